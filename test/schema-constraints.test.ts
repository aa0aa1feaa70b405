// The database itself refuses what must never happen, whatever the code does.
import { sql } from 'kysely';
import t, { type Test } from 'tap';
import { rppsFromPrefix } from '../src/core/rpps.js';
import { materialiseSlots } from '../src/db/materialise-slots.js';
import { migratedDatabase } from './helpers/database.js';

async function setup(t: Test) {
  const handle = await migratedDatabase(t);
  const { db } = handle;
  await db.insertInto('territories').values({ id: 'paris-test', name: 'Test', time_zone: 'Europe/Paris', organisation_identifier: null }).execute();
  await db.insertInto('communes').values({ code: '75056', name: 'Paris', population: 2_100_000, lat: 48.8566, lon: 2.3522 }).execute();
  await db.insertInto('territory_communes').values({ territory_id: 'paris-test', commune_code: '75056' }).execute();
  const pro = await db.insertInto('professionals').values({ rpps: rppsFromPrefix('1000000001'), territory_id: 'paris-test', family_name: 'Martin', given_name: 'Anne', profession: 'gp' }).returning('id').executeTakeFirstOrThrow();
  const site = await db.insertInto('sites').values({ professional_id: pro.id, commune_code: '75056', label: null, address: null, lat: 48.85, lon: 2.35 }).returning('id').executeTakeFirstOrThrow();
  return { ...handle, professionalId: pro.id, siteId: site.id };
}

t.test('RPPS numbers are checked by the database (11 digits, Luhn key)', async (t) => {
  const { db } = await setup(t);
  const insert = (rpps: string) => db.insertInto('professionals').values({ rpps, territory_id: 'paris-test', family_name: 'X', given_name: 'Y', profession: 'nurse' }).execute();
  await t.resolves(insert(rppsFromPrefix('1000000002')));
  await t.rejects(insert('10000000020'.slice(0, 10) + '9'), /is_valid_rpps|check constraint/);
  await t.rejects(insert('1234'), /check constraint/);
  await t.rejects(insert('1000000002a'), /check constraint/);
});

t.test('communes are INSEE codes and belong to at most one territory', async (t) => {
  const { db } = await setup(t);
  await t.rejects(db.insertInto('communes').values({ code: '7505', name: 'Bad', population: 1, lat: 1, lon: 1 }).execute(), /check constraint/);
  await t.resolves(db.insertInto('communes').values({ code: '2A004', name: 'Ajaccio', population: 1, lat: 41.9, lon: 8.7 }).execute());
  await db.insertInto('territories').values({ id: 'other', name: 'Other', time_zone: 'Europe/Paris', organisation_identifier: null }).execute();
  await t.rejects(db.insertInto('territory_communes').values({ territory_id: 'other', commune_code: '75056' }).execute(), /duplicate key/);
});

t.test('a professional cannot have two overlapping slots', async (t) => {
  const { db, professionalId, siteId } = await setup(t);
  const slot = (start: string, end: string) => db.insertInto('slots').values({ professional_id: professionalId, site_id: siteId, territory_id: 'paris-test', band_id: null, starts_at: start, ends_at: end, modality: 'office' }).execute();
  await t.resolves(slot('2026-12-02T13:00:00Z', '2026-12-02T13:20:00Z'));
  await t.resolves(slot('2026-12-02T13:20:00Z', '2026-12-02T13:40:00Z'), 'touching slots are fine');
  await t.rejects(slot('2026-12-02T13:10:00Z', '2026-12-02T13:30:00Z'), /slots_no_overlap/);
  await t.rejects(slot('2026-12-02T14:00:00Z', '2026-12-02T14:00:00Z'), /check constraint/, 'end must be after start');
});

t.test('a slot carries at most one live booking', async (t) => {
  const { db, professionalId, siteId } = await setup(t);
  const s = await db.insertInto('slots').values({ professional_id: professionalId, site_id: siteId, territory_id: 'paris-test', band_id: null, starts_at: '2026-12-02T13:00:00Z', ends_at: '2026-12-02T13:20:00Z', modality: 'office' }).returning('id').executeTakeFirstOrThrow();
  const client = await db.insertInto('api_clients').values({ name: 'r', role: 'regulator', territories: ['paris-test'], professional_id: null, token_hash: Buffer.alloc(32, 1), expires_at: null, revoked_at: null }).returning('id').executeTakeFirstOrThrow();
  const book = (status: 'booked' | 'cancelled') => db.insertInto('bookings').values({ slot_id: s.id, professional_id: professionalId, territory_id: 'paris-test', client_id: client.id, request_id: null, hold_id: null, status, starts_at: '2026-12-02T13:00:00Z', ends_at: '2026-12-02T13:20:00Z', patient: null, patient_purged_at: null, cancelled_at: null, cancelled_by: null, cancel_reason: null, acked_at: null, escalated_at: null }).execute();
  await t.resolves(book('cancelled'));
  await t.resolves(book('booked'));
  await t.rejects(book('booked'), /bookings_one_live_per_slot/);
  await t.resolves(book('cancelled'), 'cancelled ones may pile up');
});

t.test('every slot write takes a new change sequence and notifies once per statement', async (t) => {
  const { db, professionalId, siteId, url } = await setup(t);
  const pg = (await import('pg')).default;
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  t.teardown(() => listener.end());
  const notes: string[] = [];
  listener.on('notification', (n) => notes.push(n.channel));
  await listener.query('listen slot_changes');
  const rows = await db.insertInto('slots').values([0, 1, 2].map((i) => ({ professional_id: professionalId, site_id: siteId, territory_id: 'paris-test', band_id: null, starts_at: new Date(Date.UTC(2026, 11, 3, 13, i * 20)), ends_at: new Date(Date.UTC(2026, 11, 3, 13, i * 20 + 20)), modality: 'office' as const }))).returning(['id', 'change_seq']).execute();
  const seqs = rows.map((r) => r.change_seq);
  t.equal(new Set(seqs).size, 3, 'distinct sequences');
  const updated = await db.updateTable('slots').set({ status: 'blocked' }).where('id', '=', rows[0]!.id).returning('change_seq').executeTakeFirstOrThrow();
  t.ok(updated.change_seq > Math.max(...seqs), 'an update takes a later sequence');
  await db.deleteFrom('slots').where('id', '=', rows[1]!.id).execute();
  const tomb = await db.selectFrom('slot_tombstones').selectAll().execute();
  t.equal(tomb.length, 1);
  t.equal(tomb[0]!.slot_id, rows[1]!.id, 'a deleted slot leaves a tombstone');
  await sql`select pg_sleep(0.1)`.execute(db);
  await listener.query('select 1');
  t.equal(notes.length, 3, 'one notification per statement (insert of 3 rows, update, delete)');
});

t.test('materialising bands is idempotent and keeps local time across DST (database path)', async (t) => {
  const { db, professionalId, siteId } = await setup(t);
  const band = await db.insertInto('oncall_bands').values({ professional_id: professionalId, site_id: siteId, days_of_week: [1, 2, 3, 4, 5, 6, 7], local_start: '14:00', local_end: '20:00', slot_minutes: 30, modality: 'office', valid_from: '2026-03-01', valid_until: null }).returning('id').executeTakeFirstOrThrow();
  const window = { from: new Date('2026-03-28T00:00:00Z'), until: new Date('2026-03-30T00:00:00Z') };
  const first = await materialiseSlots(db, window);
  t.equal(first.inserted, 24, 'two days of twelve 30-minute slots');
  const second = await materialiseSlots(db, window);
  t.equal(second.inserted, 0, 'running again adds nothing');
  const starts = await db.selectFrom('slots').select(sql<string>`to_char(starts_at at time zone 'Europe/Paris', 'YYYY-MM-DD HH24:MI')`.as('local')).select('starts_at').where('band_id', '=', band.id).orderBy('starts_at').execute();
  t.equal(starts[0]!.local, '2026-03-28 14:00');
  t.equal(starts[0]!.starts_at.toISOString(), '2026-03-28T13:00:00.000Z', 'UTC+1 before the change');
  t.equal(starts[12]!.local, '2026-03-29 14:00');
  t.equal(starts[12]!.starts_at.toISOString(), '2026-03-29T12:00:00.000Z', 'UTC+2 on the DST day');
  t.equal(starts[23]!.local, '2026-03-29 19:30', 'the last slot still starts at 19:30 local');
});
