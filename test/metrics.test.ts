// /metrics on its own listener, behind METRICS_TOKEN, parsed as Prometheus
// text after some real traffic: every documented name is there with values
// that follow from that traffic.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, soon, tokenFor, world } from './helpers/fixtures.js';
import { PATIENT } from './helpers/patients.js';
import { parseScrape } from './helpers/prometheus.js';
import { waitReady } from './helpers/ready.js';
import { http, startTestService } from './helpers/service.js';
import { TestSocket } from './helpers/ws-client.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123';

/** The names the README documents. */
const DOCUMENTED = {
  snp_http_request_duration_seconds: 'HISTOGRAM',
  snp_match_duration_seconds: 'HISTOGRAM',
  snp_index_free_slots: 'GAUGE',
  snp_index_sync_lag_seconds: 'GAUGE',
  snp_index_last_applied_seq: 'GAUGE',
  snp_index_listener_connected: 'GAUGE',
  snp_ws_connections: 'GAUGE',
  snp_push_latency_seconds: 'HISTOGRAM',
  snp_outbox_unacked_events: 'GAUGE',
  snp_outbox_oldest_unacked_seconds: 'GAUGE',
  snp_bookings_total: 'COUNTER',
  snp_booking_batch_size: 'HISTOGRAM',
  snp_holds_total: 'COUNTER',
  snp_slot_conflicts_total: 'COUNTER',
  snp_refused_before_router_total: 'COUNTER',
  snp_db_pool_connections: 'GAUGE',
  snp_db_pool_waiting_clients: 'GAUGE',
  nodejs_eventloop_lag_seconds: 'GAUGE',
  nodejs_eventloop_lag_p99_seconds: 'GAUGE',
  process_cpu_seconds_total: 'COUNTER',
} as const;

t.test('metrics after some traffic, on a separate listener with a token', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 1 });
  const [s1, s2, s3] = await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 4 });
  const regulator = await tokenFor(db.db, 'regulator', ['terr-a']);
  const pharmacist = await tokenFor(db.db, 'pharmacist', ['terr-a']);
  const service = await startTestService(t, db.url, { METRICS_PORT: '0', METRICS_TOKEN });
  await waitReady(service);
  await service.sync.catchUp();
  t.match(service.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/, 'bound to loopback by default');
  const metricsUrl = service.metricsUrl!;
  // The professional is online before the bookings: their events are live pushes.
  const professional = await tokenFor(db.db, 'professional', ['terr-a'], w.a.pros[0]!.rpps);
  const pro = await TestSocket.open(service.url, '/v1/ws/professional', professional.token);
  t.teardown(() => pro.close());
  await pro.waitFor((m) => m.type === 'ready');

  // Traffic: 2 matches, a hold and a conflicting hold, a booking, its replay, a
  // conflicting booking, a cancellation, a release, and a 404.
  const patient = PATIENT;
  for (let i = 0; i < 2; i++) t.equal((await http(service, 'POST', '/v1/match', { token: regulator.token, body: { territory: 'terr-a' } })).status, 200);
  const hold = await http(service, 'POST', '/v1/holds', { token: regulator.token, body: { slotId: s1 } });
  t.equal(hold.status, 201);
  t.equal((await http(service, 'POST', '/v1/holds', { token: pharmacist.token, body: { slotId: s1 } })).status, 409);
  const key = randomUUID();
  const booking = await http(service, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': key }, body: { slotId: s2, patient } });
  t.equal(booking.status, 201);
  const replay = await http(service, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': key }, body: { slotId: s2, patient } });
  t.equal(replay.headers.get('idempotent-replayed'), 'true');
  t.equal((await http(service, 'POST', '/v1/bookings', { token: pharmacist.token, headers: { 'idempotency-key': randomUUID() }, body: { slotId: s1, patient } })).status, 409);
  t.equal((await http(service, 'POST', `/v1/bookings/${booking.json.booking.id}/cancel`, { token: pharmacist.token, body: {} })).status, 200);
  t.equal((await http(service, 'DELETE', `/v1/holds/${hold.json.hold.id}`, { token: regulator.token })).status, 204);
  t.equal((await http(service, 'GET', '/no/such/path/12345')).status, 404);
  // The counter socket: open while scraped; a match, a hold lost to the HTTP one, a booking.
  const socket = await TestSocket.open(service.url, '/v1/ws/counter', pharmacist.token);
  t.teardown(() => socket.close());
  t.equal((await socket.request({ id: 1, type: 'match', body: { territory: 'terr-a' } })).ok, true);
  const lost = await socket.request({ id: 2, type: 'hold', body: { slotId: s2 } });
  t.equal(lost.ok, true, 'the cancelled booking freed s2');
  t.equal((await socket.request({ id: 3, type: 'hold', body: { slotId: s2 } })).error?.status, 409, 'its own hold: a conflict');
  t.equal((await socket.request({ id: 4, type: 'book', idempotencyKey: randomUUID(), body: { slotId: s3, patient } })).ok, true);
  await service.sync.catchUp();
  await pro.waitFor(() => pro.events('booking.created').length === 2 && pro.events('booking.cancelled').length === 1, 5_000, 'three pushes');

  t.test('refused without the token, absent from the public port', async (t) => {
    t.equal((await fetch(metricsUrl)).status, 401);
    t.equal((await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status, 401);
    t.equal((await fetch(metricsUrl.replace('/metrics', '/other'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 404);
    t.equal((await http(service, 'GET', '/metrics')).status, 404, 'the public API serves no /metrics');
  });

  const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const scrape = parseScrape(await response.text());

  for (const [name, type] of Object.entries(DOCUMENTED)) {
    t.equal(scrape.families.get(name)?.type, type, `${name} is a ${type.toLowerCase()}`);
    t.ok((scrape.families.get(name)?.help ?? '').length > 0, `${name} has a help text`);
  }

  const http2xx = { route: '/v1/match', method: 'POST', status_class: '2xx' };
  t.equal(scrape.value('snp_http_request_duration_seconds_count', http2xx), 2, 'two matches timed under their route pattern');
  t.ok(scrape.value('snp_http_request_duration_seconds_sum', http2xx)! > 0);
  t.equal(scrape.value('snp_http_request_duration_seconds_count', { route: '/v1/bookings/:id/cancel', status_class: '2xx' }), 1, 'the pattern, not the URL');
  t.equal(scrape.value('snp_http_request_duration_seconds_count', { route: '/v1/holds', status_class: '4xx' }), 1);
  t.equal(scrape.value('snp_http_request_duration_seconds_count', { route: 'unmatched', status_class: '4xx' }), 1, 'unknown paths share one label');
  t.notOk(scrape.samples('snp_http_request_duration_seconds_count').some((s) => s.labels.route?.includes('12345')), 'no raw URL as a label');
  t.equal(scrape.value('snp_http_request_duration_seconds_bucket', { ...http2xx, le: '+Inf' }), 2);
  t.equal(scrape.value('snp_match_duration_seconds_count', { channel: 'http' }), 2);

  t.equal(scrape.value('snp_ws_connections', { channel: 'counter' }), 1, 'the open counter socket');
  t.equal(scrape.value('snp_ws_connections', { channel: 'professional' }), 1);
  t.equal(scrape.value('snp_push_latency_seconds_count', { type: 'booking.created' }), 2, 'two bookings pushed live');
  t.equal(scrape.value('snp_push_latency_seconds_count', { type: 'booking.cancelled' }), 1);
  const push = scrape.value('snp_push_latency_seconds_sum', { type: 'booking.created' })!;
  t.ok(push >= 0 && push < 10, `push latency summed ${push} s`);
  t.equal(scrape.value('snp_match_duration_seconds_count', { channel: 'ws' }), 1);
  t.equal(scrape.value('snp_holds_total', { channel: 'ws', result: 'placed' }), 1);
  t.equal(scrape.value('snp_slot_conflicts_total', { channel: 'ws', operation: 'hold' }), 1);
  t.equal(scrape.value('snp_bookings_total', { channel: 'ws', result: 'created' }), 1);
  t.equal(scrape.value('snp_holds_total', { channel: 'http', result: 'placed' }), 1);
  t.equal(scrape.value('snp_holds_total', { channel: 'http', result: 'released' }), 1);
  t.equal(scrape.value('snp_bookings_total', { channel: 'http', result: 'created' }), 1);
  t.equal(scrape.value('snp_bookings_total', { channel: 'http', result: 'replayed' }), 1);
  t.equal(scrape.value('snp_bookings_total', { channel: 'http', result: 'cancelled' }), 1);
  // One after the other, each alone: the two bookings, and the conflicting booking's two
  // rounds (src/usecases/claim-booking.ts tries twice); a replay claims nothing.
  t.equal(scrape.value('snp_booking_batch_size_count'), 4, 'four booking statements');
  t.equal(scrape.value('snp_booking_batch_size_bucket', { le: '1' }), 4, 'each carrying one booking');
  t.equal(scrape.value('snp_booking_batch_size_sum'), 4);
  t.equal(scrape.value('snp_slot_conflicts_total', { channel: 'http', operation: 'hold' }), 1);
  t.equal(scrape.value('snp_slot_conflicts_total', { channel: 'http', operation: 'booking' }), 1);

  const sync = service.sync.status();
  t.equal(scrape.value('snp_index_free_slots'), sync.size, 'index size read from sync.status() at scrape time');
  t.equal(sync.size, 2, 's1 released; s2 held and s3 booked over the socket');
  t.ok(scrape.value('snp_index_last_applied_seq')! > 0);
  t.equal(scrape.value('snp_index_listener_connected'), 1);
  t.ok(scrape.value('snp_index_sync_lag_seconds')! >= 0);
  const unacked = await db.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('recipient_kind', '=', 'professional').where('acked_at', 'is', null).executeTakeFirstOrThrow();
  t.ok(unacked.n >= 3, 'created, cancelled and created events wait for the professional');
  t.equal(scrape.value('snp_outbox_unacked_events', { recipient_kind: 'professional' }), unacked.n, 'outbox backlog counted in PostgreSQL');
  t.ok(scrape.value('snp_outbox_oldest_unacked_seconds', { recipient_kind: 'professional' })! >= 0);
  t.ok(scrape.value('snp_db_pool_connections', { state: 'total' })! >= 1, 'the pool has connections');
  t.ok(scrape.value('snp_db_pool_connections', { state: 'idle' })! >= 0);
  t.equal(scrape.value('snp_db_pool_waiting_clients'), 0);
  const lag = scrape.value('nodejs_eventloop_lag_seconds')!;
  t.ok(lag >= 0 && lag < 5, `event-loop lag ${lag} s`);
  t.ok(scrape.value('process_cpu_seconds_total')! > 0);
});

t.test('no metrics listener unless METRICS_PORT is set', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url);
  t.equal(service.metricsUrl, undefined);
});
