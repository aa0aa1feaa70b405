// `node --import ./test/setup/ts-loader.mjs`: what tap puts before each test file
// instead of tsx (see ts-hooks.mjs and README "Keeping the suite fast").
import { register } from 'node:module';
import './cpu-log.mjs';

register('./ts-hooks.mjs', import.meta.url);
