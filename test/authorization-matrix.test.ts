// Every role × every route × own / other territory / other professional or
// client, with the expected status. Each cell gets fresh resources, so cells
// never depend on each other. Out of scope is 404 where an id is given (the
// caller learns nothing), 403 where the caller names the territory or lacks the role.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addHold, addProfessional, addSlots, COMMUNES, nextRpps, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { http, startTestService } from './helpers/service.js';

const SUBJECTS = ['regA', 'regA2', 'pharmA', 'proA', 'proA2', 'coordA', 'regB', 'coordB', 'anon'] as const;
type Subject = (typeof SUBJECTS)[number];
type Expect = Record<Subject, number>;
const patient = PATIENT;

/** Shorthands: requester roles, professionals, coordinators. */
const row = (s: [number, number, number, number, number, number, number, number, number]): Expect =>
  Object.fromEntries(SUBJECTS.map((name, i) => [name, s[i]!])) as Expect;
//                                   regA regA2 pharmA proA proA2 coordA regB coordB anon
const ADMIN_WRITE = (created: number) => row([403, 403, 403, 403, 403, created, 403, 404, 401]);

t.test('authorization matrix', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const [proA, proA2] = w.a.pros as [typeof w.a.pros[0], typeof w.a.pros[0]];
  const service = await startTestService(t, db.url);
  const tokens = {
    regA: await tokenFor(db.db, 'regulator', ['terr-a']),
    regA2: await tokenFor(db.db, 'regulator', ['terr-a']),
    pharmA: await tokenFor(db.db, 'pharmacist', ['terr-a']),
    proA: await tokenFor(db.db, 'professional', ['terr-a'], proA!.rpps),
    proA2: await tokenFor(db.db, 'professional', ['terr-a'], proA2!.rpps),
    coordA: await tokenFor(db.db, 'coordinator', ['terr-a']),
    regB: await tokenFor(db.db, 'regulator', ['terr-b']),
    coordB: await tokenFor(db.db, 'coordinator', ['terr-b']),
  };
  const regA = tokens.regA.id;

  // Fresh, non-overlapping slots of proA: future ones forward, past ones backward.
  let nextFuture = soon(120);
  let nextPast = Date.now() - 3_600_000;
  const futureSlot = async () => (await addSlots(db.db, proA!, { start: (nextFuture += 20 * 60_000), count: 1 }))[0]!;
  const pastSlot = async () => (await addSlots(db.db, proA!, { start: (nextPast -= 20 * 60_000), count: 1 }))[0]!;
  const booking = async () => addBooking(db.db, { slotId: await futureSlot(), clientId: regA });
  const pastBooking = async () => addBooking(db.db, { slotId: await pastSlot(), clientId: regA });
  const hold = async () => addHold(db.db, { slotId: await futureSlot(), clientId: regA });
  const freshPro = () => addProfessional(db.db, { territoryId: 'terr-a', commune: COMMUNES.venissieux });
  const key = () => ({ 'idempotency-key': randomUUID() });

  interface Cell { method: string; path: string; body?: unknown; headers?: Record<string, string> }
  const routes: { name: string; cell: () => Promise<Cell>; expect: Expect }[] = [
    //                                                                                                                regA regA2 pharmA proA proA2 coordA regB coordB anon
    { name: 'POST /v1/match', cell: async () => ({ method: 'POST', path: '/v1/match', body: { territory: 'terr-a' } }), expect: row([200, 200, 200, 403, 403, 200, 403, 403, 401]) },
    { name: 'POST /v1/holds', cell: async () => ({ method: 'POST', path: '/v1/holds', body: { slotId: await futureSlot() } }), expect: row([201, 201, 201, 403, 403, 201, 404, 404, 401]) },
    { name: 'DELETE /v1/holds/:id', cell: async () => ({ method: 'DELETE', path: `/v1/holds/${await hold()}` }), expect: row([204, 404, 404, 403, 403, 404, 404, 404, 401]) },
    { name: 'POST /v1/holds/:id/release', cell: async () => ({ method: 'POST', path: `/v1/holds/${await hold()}/release` }), expect: row([204, 404, 404, 403, 403, 404, 404, 404, 401]) },
    { name: 'POST /v1/bookings {slotId}', cell: async () => ({ method: 'POST', path: '/v1/bookings', headers: key(), body: { slotId: await futureSlot(), patient } }), expect: row([201, 201, 201, 403, 403, 201, 404, 404, 401]) },
    { name: 'POST /v1/bookings {holdId}', cell: async () => ({ method: 'POST', path: '/v1/bookings', headers: key(), body: { holdId: await hold(), patient } }), expect: row([201, 404, 404, 403, 403, 404, 404, 404, 401]) },
    { name: 'GET /v1/bookings', cell: async () => ({ method: 'GET', path: '/v1/bookings' }), expect: row([200, 200, 200, 200, 200, 200, 200, 200, 401]) },
    { name: 'GET /v1/bookings?territory=terr-a', cell: async () => ({ method: 'GET', path: '/v1/bookings?territory=terr-a' }), expect: row([200, 200, 200, 200, 200, 200, 403, 403, 401]) },
    { name: 'GET /v1/bookings/:id', cell: async () => ({ method: 'GET', path: `/v1/bookings/${await booking()}` }), expect: row([200, 404, 404, 200, 404, 200, 404, 404, 401]) },
    { name: 'POST /v1/bookings/:id/cancel', cell: async () => ({ method: 'POST', path: `/v1/bookings/${await booking()}/cancel` }), expect: row([200, 404, 404, 200, 404, 200, 404, 404, 401]) },
    { name: 'POST /v1/bookings/:id/no-show', cell: async () => ({ method: 'POST', path: `/v1/bookings/${await pastBooking()}/no-show` }), expect: row([403, 403, 403, 200, 404, 200, 403, 404, 401]) },
    { name: 'POST /v1/bookings/:id/honoured', cell: async () => ({ method: 'POST', path: `/v1/bookings/${await pastBooking()}/honoured` }), expect: row([403, 403, 403, 200, 404, 200, 403, 404, 401]) },
    { name: 'GET /v1/admin/professionals?territory=terr-a', cell: async () => ({ method: 'GET', path: '/v1/admin/professionals?territory=terr-a' }), expect: row([403, 403, 403, 403, 403, 200, 403, 403, 401]) },
    {
      name: 'POST /v1/admin/professionals', expect: row([403, 403, 403, 403, 403, 201, 403, 403, 401]),
      cell: async () => ({ method: 'POST', path: '/v1/admin/professionals', body: { territory: 'terr-a', rpps: nextRpps(), familyName: 'New', givenName: 'Pro', profession: 'nurse' } }),
    },
    { name: 'PATCH /v1/admin/professionals/:id', cell: async () => ({ method: 'PATCH', path: `/v1/admin/professionals/${proA!.id}`, body: { skills: ['ecg'] } }), expect: ADMIN_WRITE(200) },
    { name: 'POST /v1/admin/professionals/:id/sites', cell: async () => ({ method: 'POST', path: `/v1/admin/professionals/${proA!.id}/sites`, body: { commune: COMMUNES.saintFons.code } }), expect: ADMIN_WRITE(201) },
    { name: 'POST /v1/admin/professionals/:id/unavailable', cell: async () => ({ method: 'POST', path: `/v1/admin/professionals/${(await freshPro()).id}/unavailable`, body: { until: new Date(Date.now() + 86_400_000).toISOString() } }), expect: ADMIN_WRITE(200) },
    {
      name: 'POST /v1/admin/bands', expect: ADMIN_WRITE(201),
      cell: async () => {
        const pro = await freshPro();
        return { method: 'POST', path: '/v1/admin/bands', body: { professionalId: pro.id, siteId: pro.siteId, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], localStart: '14:00', localEnd: '16:00', slotMinutes: 30, modality: 'office', validFrom: '2026-01-01' } };
      },
    },
    {
      name: 'POST /v1/admin/slots', expect: ADMIN_WRITE(201),
      cell: async () => {
        const start = (nextFuture += 20 * 60_000);
        return { method: 'POST', path: '/v1/admin/slots', body: { professionalId: proA!.id, siteId: proA!.siteId, start: new Date(start).toISOString(), end: new Date(start + 20 * 60_000).toISOString(), modality: 'office' } };
      },
    },
    { name: 'POST /v1/admin/slots/:id/block', cell: async () => ({ method: 'POST', path: `/v1/admin/slots/${await futureSlot()}/block` }), expect: ADMIN_WRITE(200) },
    {
      name: 'POST /v1/admin/slots/:id/unblock', expect: ADMIN_WRITE(200),
      cell: async () => {
        const slot = await futureSlot();
        await db.db.updateTable('slots').set({ status: 'blocked' }).where('id', '=', slot).execute();
        return { method: 'POST', path: `/v1/admin/slots/${slot}/unblock` };
      },
    },
  ];

  let cells = 0;
  for (const route of routes) {
    for (const subject of SUBJECTS) {
      const cell = await route.cell();
      const answer = await http(service, cell.method, cell.path, {
        ...(subject === 'anon' ? {} : { token: tokens[subject].token }),
        ...(cell.body !== undefined ? { body: cell.body } : {}),
        ...(cell.headers !== undefined ? { headers: cell.headers } : {}),
      });
      cells++;
      if (answer.status !== route.expect[subject]) {
        t.fail(`${route.name} as ${subject}: expected ${route.expect[subject]}, got ${answer.status}`, { body: answer.json });
      } else if (answer.status >= 400 && !answer.headers.get('content-type')?.includes('application/problem+json')) {
        t.fail(`${route.name} as ${subject}: the ${answer.status} is not problem+json`);
      } else {
        t.pass(`${route.name} as ${subject}: ${answer.status}`);
      }
    }
  }
  t.equal(cells, routes.length * SUBJECTS.length);
});

t.test('lists only show what each client may see', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  const service = await startTestService(t, db.url);
  const regA = await tokenFor(db.db, 'regulator', ['terr-a']);
  const regA2 = await tokenFor(db.db, 'regulator', ['terr-a']);
  const proA = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);
  const proA2 = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[1]!.rpps);
  const coordA = await tokenFor(db.db, 'coordinator', ['terr-a']);
  const coordB = await tokenFor(db.db, 'coordinator', ['terr-b']);
  const regB = await tokenFor(db.db, 'regulator', ['terr-b']);
  const start = soon();
  const [s1] = await addSlots(db.db, w.a.pros[0]!, { start, count: 1 });
  const [s2] = await addSlots(db.db, w.a.pros[1]!, { start, count: 1 });
  const [s3] = await addSlots(db.db, w.b.pros[0]!, { start, count: 1 });
  const b1 = await addBooking(db.db, { slotId: s1!, clientId: regA.id });
  const b2 = await addBooking(db.db, { slotId: s2!, clientId: regA2.id });
  const b3 = await addBooking(db.db, { slotId: s3!, clientId: regB.id });
  const seen = async (token: string) => (await http(service, 'GET', '/v1/bookings', { token })).json.bookings.map((b: { id: string }) => b.id).sort();
  t.same(await seen(regA.token), [b1], 'a requester: its own');
  t.same(await seen(regA2.token), [b2]);
  t.same(await seen(proA.token), [b1], 'a professional: those made with it');
  t.same(await seen(proA2.token), [b2]);
  t.same(await seen(coordA.token), [b1, b2].sort(), 'a coordinator: its territory\'s');
  t.same(await seen(coordB.token), [b3]);
  t.same(await seen(regB.token), [b3]);
});
