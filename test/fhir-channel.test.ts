// The FHIR channel marks its own transactions, and only them: the outbox
// trigger (sql/009) skips the SAS delivery of what the SAS did itself, and the
// shared pool's next user is never taken for the SAS.
import { sql } from 'kysely';
import t from 'tap';
import { fhirChannelOf } from '../src/sas/storage/fhir-channel.js';
import { migratedDatabase } from './helpers/database.js';
import { addBooking, addSlots, soon, tokenFor, world } from './helpers/fixtures.js';

const CHANNEL = `select current_setting('snp.channel', true) as channel`;

t.test('only the channel\'s transactions carry the mark, on the very same connection', async (t) => {
  // One connection: the channel and the plain handle take turns on it.
  const database = await migratedDatabase(t, 1);
  const channel = fhirChannelOf(database);
  const channelOf = (rows: Array<{ channel: string | null }>) => rows[0]?.channel ?? null;

  t.equal(channelOf((await channel.pool.query<{ channel: string | null }>(CHANNEL)).rows), 'fhir', 'pool.query through the channel');
  t.not(channelOf((await database.pool.query<{ channel: string | null }>(CHANNEL)).rows), 'fhir', 'the next user of the connection');
  t.equal(await channel.db.transaction().execute(async (trx) => channelOf((await sql<{ channel: string | null }>`${sql.raw(CHANNEL)}`.execute(trx)).rows)),
    'fhir', 'a Kysely transaction through the channel');
  t.not(channelOf((await sql<{ channel: string | null }>`${sql.raw(CHANNEL)}`.execute(database.db)).rows), 'fhir', 'a plain statement after it');

  await t.rejects(channel.pool.query('select 1 / 0'), { code: '22012' }, 'a failing statement keeps its own error');
  t.not(channelOf((await database.pool.query<{ channel: string | null }>(CHANNEL)).rows), 'fhir', 'rolled back: nothing left behind');
  t.equal(channelOf((await channel.pool.query<{ channel: string | null }>(CHANNEL)).rows), 'fhir', 'and the connection still serves');
  await channel.close();
  t.equal((await database.pool.query('select 1 as one')).rows[0]?.one, 1, 'closing the channel leaves the shared pool open');
});

t.test('the outbox trigger skips the delivery of events written through the channel', async (t) => {
  const database = await migratedDatabase(t, 2);
  const channel = fhirChannelOf(database);
  const w = await world(database.db, { prosPerTerritory: 1 });
  const pro = w.a.pros[0]!;
  const [first, second, third] = await addSlots(database.db, pro, { start: soon(120), count: 3 });
  const client = await tokenFor(database.db, 'regulator', ['terr-a']);
  const bookings = await Promise.all([first!, second!, third!].map((slotId) => addBooking(database.db, { slotId, clientId: client.id })));
  const insertEvent = (bookingId: string) =>
    sql`insert into events (recipient_kind, recipient_id, type, booking_id, payload) values ('professional', ${pro.id}, 'booking.created', ${bookingId}, '{}'::jsonb)`;

  const compiled = insertEvent(bookings[0]!).compile(database.db);
  await channel.pool.query(compiled.sql, [...compiled.parameters]);
  await channel.db.transaction().execute((trx) => insertEvent(bookings[1]!).execute(trx));
  await insertEvent(bookings[2]!).execute(database.db);

  const statuses = await Promise.all(bookings.map(async (id) =>
    (await sql<{ status: string }>`select status from sas_deliveries where booking_id = ${id}`.execute(database.db)).rows.map((r) => r.status)));
  t.same(statuses, [['skipped'], ['skipped'], ['pending']], 'pool.query and a transaction through the channel are skipped; another write is delivered');
});
