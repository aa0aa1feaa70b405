// The layering of src/, checked on the real import graph: core ← use cases ←
// adapters (db, auth, sas storage) and transports (http, ws, sas transport) ←
// composition root. A new folder under src/ without a layer fails too.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { importGraph, type ImportEdge } from './helpers/import-graph.js';
import { LAYERS, layerOf, violations } from './helpers/layers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

t.test('every file under src/ belongs to a layer', async (t) => {
  const files = new Set(importGraph(root).map((edge) => edge.from));
  const unplaced = [...files].filter((file) => layerOf(file) === undefined);
  t.same(unplaced, [], 'add the folder to test/helpers/layers.ts with what it may import');
});

t.test('no import breaks the layering', async (t) => {
  const found = violations(importGraph(root));
  t.same(found.map((v) => `${v.from} → ${v.to} (${v.rule})`), []);
});

t.test('the check fails on the violations it exists for', async (t) => {
  const planted: ImportEdge[] = [
    { from: 'src/core/index/match.ts', to: 'fastify', internal: false },
    { from: 'src/core/triage/compile.ts', to: 'pg', internal: false },
    { from: 'src/core/time/zone.ts', to: 'kysely', internal: false },
    { from: 'src/http/routes/match.ts', to: 'src/ws/hub.ts', internal: true },
    { from: 'src/ws/channels.ts', to: 'src/http/routes/match.ts', internal: true },
    { from: 'src/db/schema.ts', to: 'src/http/routes/match.ts', internal: true },
    { from: 'src/db/schema.ts', to: 'fastify', internal: false },
    { from: 'src/usecases/match.ts', to: 'src/ws/hub.ts', internal: true },
    { from: 'src/core/rpps.ts', to: 'src/usecases/match.ts', internal: true },
    { from: 'src/web/main.tsx', to: 'src/auth/web-login.ts', internal: true },
    { from: 'src/web/api.ts', to: 'src/usecases/client.ts', internal: true },
    { from: 'src/web/main.tsx', to: 'fastify', internal: false },
    { from: 'src/web/live.ts', to: 'node:crypto', internal: false },
  ];
  t.equal(violations(planted).length, planted.length, 'each planted import is reported');
  t.ok(LAYERS.length > 5);
});
