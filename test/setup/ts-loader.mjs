// `node --import ./test/setup/ts-loader.mjs`: what tap puts before each test file
// instead of tsx (see ts-hooks.mjs and README "Keeping the suite fast").
import { register } from 'node:module';
import './cpu-log.mjs';

// The first tap run after `npm ci` still loads tap's default plugins, tsx among
// them (tap rebuilds its plugin set from package.json during that run): under
// tsx's hooks the dependency bundle's chunks do not link, so that run resolves
// packages as usual.
const foreignTypeScriptHooks = process.execArgv.some((arg) => arg.includes('@tapjs/typescript') || /(^|[/=])tsx(\/|$)/.test(arg));
register('./ts-hooks.mjs', import.meta.url, { data: { bundledDependencies: !foreignTypeScriptHooks } });
