// Does an instance's in-memory index equal PostgreSQL's free slots? Read from
// outside the process, through the public surface: the size /readyz reports
// and the slot ids POST /v1/match returns, page after page.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { http } from './http.js';

/** Open slots of the index window (free, or held with the hold over), as PostgreSQL sees them. */
export async function openSlotIds(db: Kysely<Database>, territoryId?: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`select id from slots
    where (status = 'free' or (status = 'held' and held_until <= now()))
      and starts_at >= now() and starts_at < now() + interval '48 hours'
      and (${territoryId ?? null}::text is null or territory_id = ${territoryId ?? null})
    order by id`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** The slot count /readyz reports for the index ("N free slots, seq S"), or null when not ready. */
export async function readyIndexSize(instance: { url: string }): Promise<number | null> {
  const answer = await http(instance, 'GET', '/readyz').catch(() => null);
  if (answer?.status !== 200) return null;
  const detail = String(answer.json?.checks?.['slot-index']?.detail ?? '');
  const found = /^(\d+) free slots/.exec(detail);
  return found ? Number(found[1]) : null;
}

/** Every slot id /v1/match offers in a territory over the 48 h horizon, paging on `from`. */
export async function matchableSlotIds(instance: { url: string }, token: string, territory: string): Promise<string[]> {
  const seen = new Set<string>();
  let from: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const answer = await http(instance, 'POST', '/v1/match', { token, body: { territory, limit: 50, ...(from ? { from } : {}) } });
    if (answer.status !== 200) throw new Error(`match answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    const candidates = answer.json.candidates as { slot: { id: string; start: string } }[];
    const before = seen.size;
    for (const c of candidates) seen.add(c.slot.id);
    if (candidates.length < 50) break;
    // Paging on `from` cannot get past more than 50 slots starting at one instant: say so rather than under-count.
    if (seen.size === before) throw new Error(`more than 50 slots start at ${from}: /v1/match cannot page past them`);
    from = candidates.at(-1)!.slot.start;
  }
  return [...seen].sort();
}

/** True when the instance's index holds exactly the territory's open slots (and, with `wholeIndex`, nothing else). */
export async function indexAgrees(instance: { url: string }, token: string, db: Kysely<Database>, territory: string, wholeIndex = true): Promise<boolean> {
  const [matchable, open] = await Promise.all([matchableSlotIds(instance, token, territory).catch(() => null), openSlotIds(db, territory)]);
  if (matchable === null || matchable.join() !== open.join()) return false;
  if (!wholeIndex) return true;
  const [size, all] = await Promise.all([readyIndexSize(instance), openSlotIds(db)]);
  return size === all.length;
}
