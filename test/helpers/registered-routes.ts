// The routes a Fastify instance really serves, read from its router
// (printRoutes), as "METHOD /path/{param}" the way OpenAPI spells them.
import type { FastifyInstance } from 'fastify';

const LINE = /^([│ ]*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/;

/** Every method and path served, HEAD left out (Fastify adds it to each GET). */
export function registeredRoutes(server: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = []; // the path of each ancestor, by depth
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = LINE.exec(line);
    if (m === null) continue;
    const depth = m[1]!.length / 4;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'HEAD')) {
      routes.push(`${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

/** Every operation of an OpenAPI document, as "METHOD /path/{param}". */
export function documentedOperations(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

/** The statuses an operation documents. */
export function documentedStatuses(document: { paths: Record<string, Record<string, any>> }, method: string, path: string): number[] {
  return Object.keys(document.paths[path]?.[method.toLowerCase()]?.responses ?? {}).map(Number);
}
