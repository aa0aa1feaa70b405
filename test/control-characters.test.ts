// Control characters in every text input (issue 15): each string field of
// every operation of the OpenAPI document (path, query, body, walked from the
// document itself so a field added tomorrow is covered), every counter
// command's body and every socket message field, and the FHIR searches, get a
// 4xx naming the field, never a 500. The service logs at trace level meanwhile:
// the log must hold none of the bodies' and messages' values (they stand for
// patient data; the URL, which carries ids and dates only, is logged on purpose).
import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { nodeProcess } from '../scripts/harness/node-command.js';
import { loadConfig } from '../src/config.js';
import { loggerOptions } from '../src/logging.js';
import { startService } from '../src/service.js';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { operationsOf } from './helpers/openapi-fuzz.js';
import { http } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';
import { nodeArgs } from './helpers/service-process.js';

const MARKER = 'Zorglubien';
const CONTROLS = ['\u0000', '\u001b', '\u007f', '\u0085'] as const;
/** The value sent: patient-looking text with a control character in its middle. */
const hostile = (i: number) => `${MARKER}${CONTROLS[i % CONTROLS.length]}Patient`;
/** For the URL (path and query carry ids and dates, never patient data, and the URL is logged for operators). */
const hostileInUrl = (i: number) => `id${CONTROLS[i % CONTROLS.length]}x`;

type Schema = Record<string, any>;
type Path = (string | number)[];

/** Every path to a string leaf of a JSON schema ($ref, anyOf/oneOf/allOf, objects and arrays followed). */
function stringPaths(schema: Schema | undefined, components: Record<string, Schema>, path: Path = [], depth = 0): Path[] {
  if (schema === undefined || depth > 12) return [];
  if (typeof schema.$ref === 'string') return stringPaths(components[schema.$ref.split('/').pop()!], components, path, depth + 1);
  const found: Path[] = [];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const branch of schema[key] ?? []) found.push(...stringPaths(branch, components, path, depth + 1));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string') && path.length > 0) found.push(path);
  for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) found.push(...stringPaths(property, components, [...path, name], depth + 1));
  if (schema.items !== undefined) found.push(...stringPaths(schema.items, components, [...path, 0], depth + 1));
  const unique = new Map(found.map((p) => [p.join('.'), p]));
  return [...unique.values()];
}

/** A value with `leaf` at `path`: {a: {b: leaf}}, or [leaf] for an array index. */
function nest(path: Path, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  return typeof head === 'number' ? [nest(rest, leaf)] : { [head!]: nest(rest, leaf) };
}

const fieldsOf = (problem: any): string[] => (problem?.errors ?? []).map((e: { field: string }) => e.field);

t.test('a control character in any text field: a 4xx naming it, and nothing of it in the log', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  let logs = '';
  const sink = new Writable({ write(chunk, _encoding, done) { logs += String(chunk); done(); } });
  const logger = pino({ ...loggerOptions('trace'), transport: undefined }, sink);
  const service = await startService(loadConfig({ NODE_ENV: 'test', PLUGIN_TIMEOUT_MS: '120000', PORT: '0', SEED_DEMO: 'false', DATABASE_URL: db.url, LOG_LEVEL: 'trace', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0', RATE_LIMIT_PER_MINUTE: '1000000' }), logger);
  t.teardown(() => service.close());
  const tokens = [
    await tokenFor(db.db, 'coordinator', ['terr-a']), await tokenFor(db.db, 'pharmacist', ['terr-a']),
    await tokenFor(db.db, 'regulator', ['terr-a']), await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps),
  ].map((c) => c.token);

  const document = (await http(service, 'GET', '/docs/json')).json;
  const components: Record<string, Schema> = document.components?.schemas ?? {};
  const operations = operationsOf(document).filter((op) => !op.path.startsWith('/v1/ws/') && !op.path.startsWith('/fhir/') && !['/healthz', '/readyz'].includes(op.path));
  t.ok(operations.length >= 25, `${operations.length} /v1 operations in the OpenAPI document`);

  let sent = 0;
  /** The answer of the first token the route lets through authentication and role (validation comes first anyway). */
  const send = async (method: string, path: string, body?: unknown) => {
    let answer: Awaited<ReturnType<typeof http>> | undefined;
    for (const token of tokens) {
      answer = await http(service, method, path, { token, ...(body !== undefined ? { body } : {}) });
      if (answer.status !== 401 && answer.status !== 403) break;
    }
    sent++;
    return answer!;
  };
  const expectRefused = (what: string, answer: { status: number; json: any }, field: string) => {
    if (answer.status >= 400 && answer.status < 500 && fieldsOf(answer.json).includes(field)) t.pass(`${what}: ${answer.status} naming ${field}`);
    else t.fail(`${what}: expected a 4xx naming ${field}`, { status: answer.status, body: answer.json });
  };

  let fields = 0;
  for (const op of operations) {
    const name = `${op.method} ${op.path}`;
    const pathWith = (param: string | null, value: string) =>
      op.path.replace(/\{([^}]+)\}/g, (_, p: string) => (p === param ? encodeURIComponent(value) : '00000000-0000-4000-8000-000000000000'));
    for (const param of op.pathParams) {
      expectRefused(`${name} params.${param}`, await send(op.method, pathWith(param, hostileInUrl(fields)), op.body !== undefined ? {} : undefined), `params.${param}`);
      fields++;
    }
    for (const query of op.query) {
      if (stringPaths(query.schema, components, [query.name]).length === 0) continue;
      const path = `${pathWith(null, '')}?${encodeURIComponent(query.name)}=${encodeURIComponent(hostileInUrl(fields))}`;
      expectRefused(`${name} querystring.${query.name}`, await send(op.method, path, op.body !== undefined ? {} : undefined), `querystring.${query.name}`);
      fields++;
    }
    for (const bodyPath of stringPaths(op.body, components)) {
      const field = ['body', ...bodyPath].join('.');
      expectRefused(`${name} ${field}`, await send(op.method, pathWith(null, ''), nest(bodyPath, hostile(fields))), field);
      fields++;
    }
  }
  t.ok(fields >= 40, `${fields} string fields of the /v1 operations walked`);

  // The counter socket: its commands take the HTTP routes' bodies; its own fields are the message's.
  const counterBodies: Record<string, string> = { triage: 'POST /v1/triage', request: 'POST /v1/requests', match: 'POST /v1/match', hold: 'POST /v1/holds', book: 'POST /v1/bookings' };
  const counter = await TestSocket.open(service.url, '/v1/ws/counter', tokens[1]!);
  let n = 0;
  for (const [type, route] of Object.entries(counterBodies)) {
    const op = operations.find((o) => `${o.method} ${o.path}` === route)!;
    for (const bodyPath of stringPaths(op.body, components)) {
      const field = ['body', ...bodyPath].join('.');
      const answer = await counter.request({ id: `c${n++}`, type, body: nest(bodyPath, hostile(n)), idempotencyKey: 'k' });
      expectRefused(`counter ${type} ${field}`, { status: answer.error?.status ?? 200, json: answer.error }, field);
    }
  }
  for (const [what, message, field] of [
    ['cancel body.reason', { id: 'x1', type: 'cancel', body: { bookingId: '00000000-0000-4000-8000-000000000000', reason: hostile(1) } }, 'body.reason'],
    ['cancel body.bookingId', { id: 'x2', type: 'cancel', body: { bookingId: hostile(2) } }, 'body.bookingId'],
    ['book idempotencyKey', { id: 'x3', type: 'book', body: {}, idempotencyKey: hostile(3) }, 'message.idempotencyKey'],
  ] as const) {
    const answer = await counter.request(message as any);
    expectRefused(`counter ${what}`, { status: answer.error?.status ?? 200, json: answer.error }, field);
  }
  // A message whose own id or type carries one: refused, and the socket carries on.
  counter.send({ id: hostile(4), type: 'match', body: {} });
  counter.send({ id: 'x5', type: hostile(5), body: {} });
  const badType = await counter.waitFor((m) => m.id === 'x5' || (m.ok === false && fieldsOf(m.error).includes('type')));
  t.ok(badType.ok === false && badType.error.status >= 400 && badType.error.status < 500, 'a control character in type: a 4xx');
  const stillServing = await counter.request({ id: 'x6', type: 'match', body: { territory: 'terr-a' } });
  t.equal(stillServing.ok, true, 'the counter socket carries on');
  t.ok(counter.messages.some((m) => m.ok === false && m.error?.status === 400 && fieldsOf(m.error).some((f) => f.includes('id'))), 'a control character in a message id: a 400 naming it');
  await counter.close();

  // The stream sockets: ack and resume carry numbers; their id is the message's own text.
  const pro = await TestSocket.open(service.url, '/v1/ws/professional', tokens[3]!);
  pro.send({ type: 'ack', id: hostile(6), eventId: 1 });
  const refusedAck = await pro.waitFor((m) => m.ok === false);
  t.ok(refusedAck.error.status === 400 && fieldsOf(refusedAck.error).includes('message.id'), 'a stream message id: a 400 naming message.id', { got: refusedAck });
  await pro.close();
  const territory = await TestSocket.open(service.url, `/v1/ws/coordinator?territory=${encodeURIComponent(hostileInUrl(7))}`, tokens[0]!).catch((error) => error);
  t.ok(territory.status >= 400 && territory.status < 500, `a coordinator upgrade with a control character in ?territory=: ${territory.status}`);
  t.ok(fieldsOf(territory.body).includes('querystring.territory'), 'naming querystring.territory', { body: territory.body });

  // The FHIR searches (parsed by hand): a 400 OperationOutcome naming the parameter.
  for (const [path, parameter] of [['/fhir/Slot', 'status'], ['/fhir/Practitioner', 'identifier'], ['/fhir/Slot', 'schedule.actor:Practitioner.identifier']] as const) {
    const answer = await http(service, 'GET', `${path}?${parameter}=${encodeURIComponent(hostileInUrl(8))}`, { token: tokens[0]! });
    t.equal(answer.status, 400, `${path}?${parameter}: 400`);
    t.ok(answer.json.issue?.some((i: { diagnostics?: string }) => i.diagnostics?.startsWith(`${parameter}: `)), `naming ${parameter}`, { body: answer.json });
  }

  t.ok(sent > 0 && logs.includes('request completed'), 'requests were logged');
  t.notOk(logs.includes(MARKER), 'the log holds none of the values sent', { lines: logs.split('\n').filter((l) => l.includes(MARKER)).slice(0, 3) });
  t.notOk(logs.includes('"level":50'), 'and no error');
});

t.test('the CLI refuses a control character in an option, naming it', async (t) => {
  const { execFile } = await import('node:child_process');
  const run = (args: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const { command, args: argv } = nodeProcess(nodeArgs('src/cli/clients.ts', ...args));
    execFile(command, argv, { env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } },
      (error, _stdout, stderr) => resolve({ code: error === null ? 0 : (error as { code?: number }).code ?? null, stderr }));
  });
  // argv cannot carry NUL: the other controls stand for it.
  for (const control of ['\u0001', '\u001b', '\u007f']) {
    const answer = await run(['create', '--role', 'regulator', '--territory', 'terr-a', '--name', `${MARKER}${control}x`]);
    t.equal(answer.code, 2, `U+${control.codePointAt(0)!.toString(16).padStart(4, '0')}: a usage error`);
    t.match(answer.stderr, /--name: must not contain control characters/, 'naming --name');
  }
});
