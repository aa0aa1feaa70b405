// The end-of-soak checks, once the load has stopped: every instance's index
// equals PostgreSQL's free slots (every free slot matchable, no matched slot
// booked), the bookings PostgreSQL holds are those the clients were told of,
// no slot has two live bookings, and each professional's device received each
// of its bookings and cancellations exactly once.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { matchableSlotIds, openSlotIds } from '../harness/index-truth.js';
import type { Devices } from './devices.js';
import type { Ledger } from './operations.js';

export interface Check { name: string; ok: boolean; detail: string }

export async function checkConsistency(db: Kysely<Database>, instances: readonly { name: string; url: string }[], token: string, ledger: Ledger, devices: Devices): Promise<Check[]> {
  const checks: Check[] = [];
  const open = await openSlotIds(db, 'terr-a');
  const openSet = new Set(open);
  const booked = new Set((await db.selectFrom('slots').select('id').where('status', '=', 'booked').execute()).map((r) => r.id));
  for (const instance of instances) {
    const matchable = await matchableSlotIds(instance, token, 'terr-a').catch((error: Error) => error);
    if (matchable instanceof Error) {
      checks.push({ name: `${instance.name}: index = PostgreSQL free slots`, ok: false, detail: `could not read the index: ${matchable.message}` });
      continue;
    }
    const matchableSet = new Set(matchable);
    const missing = open.filter((id) => !matchableSet.has(id)).length;
    const extra = matchable.filter((id) => !openSet.has(id));
    checks.push({ name: `${instance.name}: index = PostgreSQL free slots`, ok: missing === 0 && extra.length === 0,
      detail: `${matchable.length} matchable, ${open.length} free in PostgreSQL, ${missing} free not matchable, ${extra.length} matchable not free (${extra.filter((id) => booked.has(id)).length} of them booked)` });
  }

  const live = await db.selectFrom('bookings').select(['id', 'slot_id']).where('status', '=', 'booked').execute();
  const liveIds = new Set(live.map((b) => b.id));
  const toldLive = [...ledger.created.keys()].filter((id) => !ledger.cancelled.has(id));
  const lost = toldLive.filter((id) => !liveIds.has(id)).length;
  const unknown = live.filter((b) => !ledger.created.has(b.id)).length;
  checks.push({ name: 'bookings: PostgreSQL = what clients were told', ok: lost === 0 && unknown === 0,
    detail: `${ledger.created.size} acknowledged, ${ledger.cancelled.size} cancelled, ${live.length} live in PostgreSQL; ${lost} lost, ${unknown} nobody was told of` });
  const doubles = await db.selectFrom('bookings').select('slot_id').where('status', '<>', 'cancelled').groupBy('slot_id').having(sql`count(*)`, '>', 1).execute();
  const slotMismatch = await sql<{ n: number }>`select count(*)::int as n from slots s
    where (s.status = 'booked') <> exists (select 1 from bookings b where b.slot_id = s.id and b.status <> 'cancelled')`.execute(db);
  checks.push({ name: 'no double booking', ok: doubles.length === 0 && slotMismatch.rows[0]!.n === 0,
    detail: `${doubles.length} slots with two live bookings, ${slotMismatch.rows[0]!.n} slots whose status disagrees with their bookings` });

  let missingPushes = 0;
  let duplicatePushes = 0;
  const expect = (type: string, expected: Map<string, string>) => {
    for (const [bookingId, rpps] of expected) {
      const n = devices.byRpps.get(rpps)?.received.filter((e) => e.type === type && e.bookingId === bookingId).length ?? 0;
      if (n === 0) missingPushes++;
      if (n > 1) duplicatePushes++;
    }
  };
  expect('booking.created', ledger.created);
  expect('booking.cancelled', ledger.cancelled);
  const pushes = [...devices.byRpps.values()].reduce((n, d) => n + d.received.length, 0);
  checks.push({ name: 'pushes: each booking and cancellation once on its professional\'s device', ok: missingPushes === 0 && duplicatePushes === 0,
    detail: `${pushes} events received for ${ledger.created.size + ledger.cancelled.size} expected; ${missingPushes} missing, ${duplicatePushes} duplicated; ${devices.reconnections} reconnections` });
  return checks;
}
