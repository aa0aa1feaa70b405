// Where a catch-up pass of the index gets its connection.
//
// From the requests' pool while it has one idle (the common case: nothing of
// its own to keep open). When a burst of writes holds every pooled connection,
// a pass asking the pool would queue behind the requests' queries (pg.Pool
// serves its waiters in order), and the commit → index lag with it: runs of
// changes reached the index 70–80 ms late that way (README, Where the time
// goes, 2026-12-07 18:00). Then the pass takes the sync's reserve instead, a
// pool of one connection opened on first need and closed after 30 s idle.
// Passes run one at a time, so the reserve never has a queue.
//
// A reserve used for every pass (a connection of the sync's own at all times)
// met the lag bar too, but bookings were slower beside it in most alternated
// runs; taking the pool's idle connection first keeps the booking path as it was.
import type pg from 'pg';

export function passConnection(pool: pg.Pool, reserve: pg.Pool | undefined): Promise<pg.PoolClient> {
  if (reserve === undefined || pool.idleCount > 0) return pool.connect();
  // Already open and free: no connection to open.
  if (reserve.idleCount > 0) return reserve.connect();
  // The pool may still grow and nobody waits for it: a new pooled connection, as the next request would get.
  if (pool.totalCount < (pool.options.max ?? 10) && pool.waitingCount === 0) return pool.connect();
  return reserve.connect();
}
