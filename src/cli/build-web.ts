// `npm run build`: the web app's bundle into dist/web (served by the compiled service).
import { bundleWeb } from '../server/web-bundle.js';

const assets = await bundleWeb('dist/web');
process.stdout.write(`dist/web: ${[...assets].map(([name, a]) => `${name} ${a.body.length} B (br ${a.encoded.br?.length ?? '-'} B, gzip ${a.encoded.gzip?.length ?? '-'} B)`).join(', ')}\n`);
