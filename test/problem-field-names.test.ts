// A problem's detail quotes its fields ("near.lat: expected a number"); each
// transport renames them its own way (HTTP "body.near.lat", the counter socket
// "body.near.lat", FHIR a FHIRPath). A field is any key a client sent: the
// WebSocket fuzzer once sent a 60 KB key, and the regular expression built from
// the fields was too large to compile: a 500 where a 400 was due. The renaming
// now scans the detail; the former expression stays here as the oracle for
// fields of ordinary length.
import fc from 'fast-check';
import t from 'tap';
import { ApiProblem, validationProblem } from '../src/usecases/problem.js';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

function formerRenaming(detail: string, fields: string[], name: (field: string) => string): string {
  const sorted = [...new Set(fields)].sort((a, b) => b.length - a.length);
  const quoted = sorted.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return detail.replace(new RegExp(`(^|\\s)(${quoted})(?=: )`, 'g'), (match, before: string, field: string) =>
    field === '' && before !== '' ? match : `${before}${name(field)}`);
}

const rename = (field: string) => `<${field}>`;

t.test('the same detail as the former regular expression, for any detail and fields', async (t) => {
  // Few characters, so that fields, spaces and ": " meet often; fields may be empty or end with a space.
  const piece = fc.string({ unit: fc.constantFrom('a', 'b', '.', ' ', ':', '\t', '\u00a0', '*'), maxLength: 6 });
  let renamed = 0;
  fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.array(piece, { maxLength: 8 }), (fields, glue) => {
    // The detail: fields and glue, often followed by ": ".
    const detail = glue.map((g, i) => `${g}${fields[i % fields.length]}${i % 2 === 0 ? ': ' : ''}`).join('');
    const problem = validationProblem(fields.map((field) => ({ field, message: 'm' })), detail);
    const actual = problem.withFieldNames(rename).body.detail;
    const expected = formerRenaming(detail, fields, rename);
    if (actual !== detail) renamed++;
    return actual === expected;
  }), { numRuns: 5_000 });
  t.ok(renamed > 500, `the property exercised renamings (${renamed} of 5,000 details renamed)`);
});

t.test('a field name of 100,000 characters is renamed like any other', async (t) => {
  const long = `near.${'a'.repeat(100_000)}`;
  const problem = validationProblem([{ field: long, message: 'unrecognized key' }, { field: 'near.lat', message: 'required' }],
    `${long}: unrecognized key; near.lat: required`);
  const named = problem.withFieldNames((field) => `body.${field}`);
  t.equal(named.body.detail, `body.${long}: unrecognized key; body.near.lat: required`);
  t.same((named.body.errors as { field: string }[]).map((e) => e.field), [`body.${long}`, 'body.near.lat']);
  t.ok(named instanceof ApiProblem && named.status === 400);
});

t.test('a counter message and a match request with a huge unknown key get a 400 naming it', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const key = 'a'.repeat(60_000);

  const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  t.teardown(() => socket.close());
  const answer = await socket.request({ id: 'm1', type: 'match', body: { commune: '69259', near: { [key]: 1 } } });
  t.equal(answer.ok, false);
  t.equal(answer.error?.status, 400, 'a 400 on the socket, not a 500');
  t.ok(answer.error?.errors?.some((e: { field: string }) => e.field.endsWith(key)), 'naming the key');

  const reply = await http(service, 'POST', '/v1/match', { token: pharmacist.token, body: { commune: '69259', near: { [key]: 1 } } });
  t.equal(reply.status, 400, 'a 400 over HTTP, not a 500');
  t.ok(reply.json.errors.some((e: { field: string }) => e.field.startsWith('body.near') && e.field.endsWith(key)), 'naming the key');
});
