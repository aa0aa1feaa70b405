// The composition root: builds every part in dependency order and closes them in reverse.
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { openPool } from './db/database.js';
import { prepareDatabase, type PreparedDatabase } from './db/prepare-database.js';
import { ServedSlotIndex, type FreeSlotIndex } from './core/index/index.js';
import { setDebugSlowdown } from './core/debug-slowdown.js';
import { startRollingHorizon } from './db/rolling-horizon.js';
import { startHousekeeping } from './db/housekeeping.js';
import { SlotChangeHint } from './db/slot-change-hint.js';
import { pgIndicators } from './db/indicators/index.js';
import { pgUseCaseStores } from './db/stores/index.js';
import { Notifier } from './db/notifications/notifier.js';
import { IndexSync } from './db/sync/index-sync.js';
import { TerritoryDirectory } from './db/territory-directory.js';
import { RuleSetRegistry } from './db/rule-sets/rule-set-registry.js';
import { Authenticator } from './auth/authenticator.js';
import { ClientBudget } from './auth/client-budget.js';
import { CredentialWatch } from './auth/credential-watch.js';
import type { Server as HttpsServer } from 'node:https';
import { certificateCredentials } from './server/certificate-credentials.js';
import { reloadTlsOnChange } from './server/tls-reload.js';
import type { UseCaseContext } from './usecases/context.js';
import { buildServer } from './server/build-server.js';
import { loggerOptions } from './logging.js';
import { Readiness } from './readiness.js';
import { startMetricsServer } from './observability/metrics-server.js';
import { OutboxBacklog } from './observability/outbox-backlog.js';
import { observeService } from './observability/service-gauges.js';
import { bookingBatchSize } from './observability/metrics.js';
import { ProfessionalSlotView } from './db/sync/professional-slots.js';
import { fhirChannelOf } from './sas/storage/fhir-channel.js';
import { pgRegulatorAccounts } from './sas/storage/regulator-accounts.js';
import { pgSasAppointments } from './sas/storage/appointment-store.js';
import { PracticeDirectory } from './sas/storage/practice-directory.js';
import { fhirSystems } from './sas/transport/index.js';
import { SasDispatcher } from './sas/outbound/dispatcher.js';
import { OutboxFeed } from './db/outbox/outbox-feed.js';
import type { OutboxEvent } from './usecases/event-stream-store.js';
import { startEscalation } from './db/outbox/escalation.js';
import { WsHub } from './ws/hub.js';
import { WebLogin } from './auth/web-login.js';
import { createDemoPeopleIfNone } from './auth/demo-people.js';

const SOFTWARE_VERSION = '0.1.0';

export interface Service {
  server: FastifyInstance;
  prepared: PreparedDatabase;
  readiness: Readiness;
  index: FreeSlotIndex;
  sync: IndexSync;
  ruleSets: RuleSetRegistry;
  logger: Logger;
  /** The address the server listens on (with the real port when PORT=0). */
  url: string;
  /** The separate /metrics listener's URL, when METRICS_PORT is set. */
  metricsUrl?: string;
  /** New outbox events for this instance's sockets, and the sockets (issue 6). */
  outbox: OutboxFeed;
  ws: WsHub;
  /** What the transports call the use cases with (benchmarks drive them in process). */
  useCases: UseCaseContext;
  close(): Promise<void>;
}

export async function startService(config: Config, logger: Logger = pino(loggerOptions(config.LOG_LEVEL))): Promise<Service> {
  // Test only (bench guards): off unless SNP_DEBUG_SLOWDOWN is set.
  setDebugSlowdown(config.SNP_DEBUG_SLOWDOWN);
  if (config.SNP_DEBUG_SLOWDOWN !== undefined) logger.warn({ slowdown: config.SNP_DEBUG_SLOWDOWN }, 'SNP_DEBUG_SLOWDOWN is set: hot paths are deliberately slowed');
  const prepared = await prepareDatabase(config, logger, 'snp-match');
  const closers: (() => Promise<void>)[] = [() => prepared.close()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((error) => logger.error({ err: error }, 'close failed'));
  };
  try {
    const horizon = startRollingHorizon(prepared.database.db, config.MATERIALISE_DAYS, logger);
    closers.push(() => horizon.stop());
    // The seed or the previous run already materialised slots; catching up can happen in the background.
    void horizon.run();
    // Patient-data retention, expired-hold tidying, old idempotency keys: every instance may run it.
    const housekeeping = startHousekeeping(prepared.database.db, { retentionDays: config.PATIENT_RETENTION_DAYS }, logger);
    closers.push(() => housekeeping.stop());
    void housekeeping.run();
    // One notification connection for the whole instance: every LISTEN channel, the after-commit hint, the outbox reads.
    const notifier = new Notifier({ url: prepared.location.url });
    closers.push(() => notifier.stop());
    notifier.start();
    const readiness = new Readiness();
    // Each slot offered in every CPTS it is served in (issue 14).
    const index = new ServedSlotIndex();
    // The catch-up passes' reserve, for when every pooled connection is busy (src/db/sync/pass-connection.ts).
    const reserve = openPool(prepared.location.url, { max: 1, applicationName: 'snp-match:index-sync', waitMs: config.DB_POOL_WAIT_MS });
    closers.push(() => reserve.end());
    const sync = new IndexSync({ notifier, pool: prepared.database.pool, reserve, index, logger });
    readiness.register('slot-index', () => {
      const status = sync.status();
      if (!status.loaded) return { ready: false, detail: 'loading' };
      if (!status.listenerConnected) return { ready: false, detail: 'database connection lost; resyncing' };
      if (!status.lastPassOk) return { ready: false, detail: 'catch-up failing' };
      return { ready: true, detail: `${status.size} free slots, seq ${status.lastAppliedSeq}` };
    });
    closers.push(() => sync.stop());
    // Territories and communes: loaded before the server listens, kept current by NOTIFY (sql/010).
    const territories = new TerritoryDirectory(prepared.database.db);
    closers.push(() => territories.stop());
    await territories.follow({ notifier, logger });
    // Triage rule sets: loaded before the server listens (one small query), kept current by NOTIFY (sql/005).
    const ruleSets = new RuleSetRegistry({ notifier, db: prepared.database.db, logger });
    readiness.register('triage-rule-sets', () => {
      const status = ruleSets.status();
      if (!status.loaded) return { ready: false, detail: 'loading' };
      if (!status.listenerConnected) return { ready: false, detail: 'database connection lost; reloading' };
      if (!status.lastReloadOk) return { ready: false, detail: 'reload failing' };
      return { ready: true, detail: `${status.territories} territory set(s), others national default` };
    });
    closers.push(() => ruleSets.stop());
    await ruleSets.start();
    // Holds and bookings announce slot changes after commit, keeping group commit (sql/004).
    const slotChanges = new SlotChangeHint(notifier, (error) => logger.warn({ err: error }, 'slot change hint failed'));
    closers.push(() => slotChanges.stop());
    // Pushes (issue 6): a commit here wakes this instance's outbox feed at once; the others hear the hint.
    const outbox = new OutboxFeed({ notifier, logger });
    // This instance's sockets get a write's known events at once; the hint carries them to the others'.
    const afterCommit = {
      signal: (events?: readonly OutboxEvent[], reflected?: boolean) => {
        if (events === undefined) outbox.requestPass(); else outbox.offer(events);
        slotChanges.signal(events, reflected);
      },
    };
    // Concurrent bookings share a statement (src/db/booking-batches.ts); the metric shows how many.
    const storeOptions = { bookingBatchMax: config.BOOKING_BATCH_MAX, onBookingStatement: (n: number) => bookingBatchSize.observe(n) };
    const useCases: UseCaseContext = {
      index, sync, territories, now: Date.now, ruleSets, slotChanges: afterCommit,
      indicators: pgIndicators(prepared.database.db), ...pgUseCaseStores(prepared.database, storeOptions), sasAppointments: pgSasAppointments(prepared.database),
    };
    // Revocations reach every instance's token cache at once (sql/008).
    const authenticator = new Authenticator(prepared.database.db, { notifier, logger, failuresPerMinute: config.AUTH_FAILURES_PER_MINUTE });
    closers.push(() => authenticator.stop());
    await authenticator.start();
    // People's browser sessions (web app, OpenID Connect): a credential kind of their own.
    const web = new WebLogin(prepared.database.db, {
      external: config.OIDC_ISSUER === undefined ? undefined : { issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID!, clientSecret: config.OIDC_CLIENT_SECRET! },
      scope: config.OIDC_SCOPE, loginClaim: config.OIDC_LOGIN_CLAIM, acrValues: config.OIDC_ACR_VALUES,
      lifetimes: { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_MAX_HOURS * 3_600_000 },
    });
    if (prepared.location.embedded !== null && config.SEED_DEMO && web.usesEmbeddedProvider) {
      // Like the embedded database: demo accounts at the first start, their passwords printed once.
      for (const account of await createDemoPeopleIfNone(prepared.database.db)) {
        logger.info(`demo account (web app /app/): login ${account.login}  password ${account.password}  — ${account.role}, ${account.territory}`);
      }
    }
    // Mutual TLS (issue 14): client certificates beside bearer tokens, told of the same client changes.
    const clientCertificates = certificateCredentials(config, prepared.database.db, authenticator);
    if (clientCertificates !== undefined) closers.push(async () => clientCertificates.certificates.stop());
    // Sockets hold their credential as long as they are open: a change closes them (4401/4403); a person's, its session too.
    const credentials = new CredentialWatch(authenticator, { logger, sessions: web.store });
    closers.push(async () => credentials.stop());
    // One budget per client for HTTP, FHIR and socket messages.
    const clientBudget = new ClientBudget(config.RATE_LIMIT_PER_MINUTE);
    // FHIR (issue 7): slots by RPPS for the SAS search, and the channel whose writes are not echoed to the SAS.
    const professionalSlots = new ProfessionalSlotView(index);
    const detachSlotView = professionalSlots.attach(sync);
    professionalSlots.startSweeping();
    closers.push(async () => { professionalSlots.stopSweeping(); detachSlotView(); });
    // Names and addresses for the SAS: their cache is emptied by every change to professionals or sites (sql/010).
    const practice = new PracticeDirectory(prepared.database.db);
    practice.follow(notifier);
    closers.push(() => practice.stop());
    const fhirDatabase = fhirChannelOf(prepared.database);
    const systems = fhirSystems(config.FHIR_BASE_URL);
    const fhir = {
      // The channel's writes are marked (no echo to the SAS), slot claims included.
      ctx: useCases, channelCtx: { ...useCases, ...pgUseCaseStores(fhirDatabase, storeOptions), sasAppointments: pgSasAppointments(fhirDatabase) }, slots: professionalSlots,
      practice, baseUrl: config.FHIR_BASE_URL, systems, softwareVersion: SOFTWARE_VERSION,
      regulatorAccounts: pgRegulatorAccounts(prepared.database.db), publicBaseUrl: () => web.publicBaseUrl,
    };
    if (config.SAS_FHIR_ENDPOINT !== undefined) {
      const dispatcher = new SasDispatcher({
        pool: prepared.database.pool, logger, endpoint: config.SAS_FHIR_ENDPOINT, token: config.SAS_FHIR_TOKEN,
        appointmentSystem: systems.appointment, pollMs: config.SAS_FHIR_POLL_MS, retryBaseMs: config.SAS_FHIR_RETRY_BASE_MS,
      });
      dispatcher.start();
      closers.push(() => dispatcher.stop());
    }
    // WebSockets (issue 6): new outbox events for this instance's sockets, the
    // escalation of unacknowledged bookings, the sockets. Closed after the server
    // (which first sends its clients 1001), before the pool.
    closers.push(() => outbox.stop());
    await outbox.start();
    const escalation = startEscalation(prepared.database.pool, logger, { everyMs: config.ESCALATION_CHECK_MS });
    closers.push(() => escalation.stop());
    const ws = new WsHub(useCases, outbox, { heartbeatMs: config.WS_HEARTBEAT_MS, maxSocketsPerClient: config.WS_MAX_SOCKETS_PER_CLIENT }, { credentials, budget: clientBudget });
    closers.push(() => ws.stop());
    const server = await buildServer(config, logger, {
      readiness, authenticator, useCases, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, clientBudget, materialiseDays: config.MATERIALISE_DAYS, fhir, ws, web,
      ...(clientCertificates !== undefined ? { clientCertificates } : {}),
    });
    closers.push(async () => { await server.close(); });
    // Metrics (issue 9): gauges read at scrape time; /metrics only on its own listener.
    const stopObserving = observeService({ sync, pool: prepared.database.pool, outbox: new OutboxBacklog(prepared.database.pool) });
    closers.push(async () => stopObserving());
    const metrics = config.METRICS_PORT === undefined ? undefined
      : await startMetricsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, token: config.METRICS_TOKEN, logger });
    if (metrics !== undefined) closers.push(() => metrics.close());
    // Listen first: /healthz answers and /readyz says 503 while the index loads.
    await server.listen({ port: config.PORT, host: config.HOST });
    if (config.TLS_CERT_FILE !== undefined) {
      const stopReloading = reloadTlsOnChange(server.server as unknown as HttpsServer, config, logger, config.TLS_RELOAD_CHECK_MS);
      closers.push(async () => stopReloading());
    }
    const address = server.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
    const url = `${config.TLS_CERT_FILE !== undefined ? 'https' : 'http'}://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    web.setPublicBaseUrl(config.PUBLIC_BASE_URL ?? url);
    await sync.start();
    return {
      server, prepared, readiness, index, sync, ruleSets, logger, url,
      outbox, ws, useCases,
      ...(metrics !== undefined ? { metricsUrl: metrics.url } : {}),
      close: async () => {
        readiness.startDraining();
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
