// All configuration comes from the environment, parsed once by one schema.
// An invalid value stops the start with one line naming the variable.
import { z } from 'zod';
import { accessSync, constants } from 'node:fs';
import { parseDebugSlowdown } from './core/debug-slowdown.js';
import { parseAddressList } from './address-list.js';

const port = z.coerce.number().int().min(0).max(65535);
const readableFile = z.string().min(1).refine((path) => {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}, { error: 'not a readable file' });
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Concurrent bookings sharing one statement and commit at most (src/db/booking-batches.ts); 1: each booking alone. */
  BOOKING_BATCH_MAX: z.coerce.number().int().min(1).max(256).default(32),
  /** How long a request may wait for a pool connection before it is shed (503). */
  DB_POOL_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Days ahead that on-call bands are materialised into slots. */
  MATERIALISE_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** Seed the demo territories on first start of an empty embedded database. */
  SEED_DEMO: booleanFlag.default(true),
  /** Days after which patient fields of past bookings are purged. */
  PATIENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** How long one of the server's plugins may take to start before the start fails (Fastify's own default). */
  PLUGIN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  /** Requests per minute per API client, per instance, HTTP, FHIR and WebSocket messages together (429 with Retry-After beyond). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  /** Failed authentications per minute per source address, per instance (bursts as many), before 429 without any lookup. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Refusals a second answered at once to a throttled address; past them each is held a second (the tarpit). */
  AUTH_TARPIT_FREE_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** Behind a reverse proxy: whose X-Forwarded-For to trust for the client's address (`true`: any, else the proxies' addresses/CIDRs, comma-separated). Unset: the peer's address. */
  TRUST_PROXY: z.string().min(1).optional().transform((v) => (v === undefined || v === 'false' ? undefined : v === 'true' ? true : v)),
  /** HTTPS: the server's certificate (PEM, chain after it). With TLS_KEY_FILE set too, the service listens with TLS 1.2+ only. */
  TLS_CERT_FILE: readableFile.optional(),
  /** HTTPS: the server's private key (PEM). */
  TLS_KEY_FILE: readableFile.optional(),
  /** Mutual TLS: the authorities (PEM bundle) whose client certificates are accepted; a certificate is asked for, not required (bearer tokens keep working). */
  TLS_CLIENT_CA_FILE: readableFile.optional(),
  /** Mutual TLS: revoked client certificates (PEM CRL of each authority); optional. */
  TLS_CRL_FILE: readableFile.optional(),
  /** How often the TLS files are checked for a change (a new CRL, a renewed certificate), re-read without a restart. */
  TLS_RELOAD_CHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Reverse proxy terminating TLS: the proxies' addresses/CIDRs (comma-separated) whose X-SSL-Client-Cert header (URL-encoded PEM) is trusted; unset: the header is refused. */
  TLS_CLIENT_CERT_PROXIES: z.string().min(1).optional().transform((v, ctx) => {
    if (v === undefined) return undefined;
    try {
      return parseAddressList(v);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  /** WebSockets one API client may hold open at once, per instance (429 on the upgrade beyond). */
  WS_MAX_SOCKETS_PER_CLIENT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Overload: answer 503 + Retry-After when the mean event-loop delay over a sample exceeds this (0: off). */
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Overload: answer 503 + Retry-After while the V8 heap in use exceeds this (0: off). */
  PRESSURE_MAX_HEAP_USED_BYTES: z.coerce.number().int().min(0).default(1_536 * 1024 * 1024),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  /** Port of the separate /metrics listener (Prometheus); unset: no metrics listener. 0 picks a free port. */
  METRICS_PORT: port.optional(),
  /** Address of the /metrics listener: keep it private (loopback or an internal interface). */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** When set, scrapes must send Authorization: Bearer METRICS_TOKEN. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Public base of /fhir (e.g. https://cpts.example/fhir) for fullUrl, Location and identifier systems; default: from each request. */
  FHIR_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The SAS platform's FHIR base: bookings made through our other channels are sent there as FrAppointmentSAS. Unset: kept in the outbox. */
  SAS_FHIR_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** Bearer token for SAS_FHIR_ENDPOINT, when it needs one. */
  SAS_FHIR_TOKEN: z.string().min(1).optional(),
  /** How often each instance looks for appointment deliveries due. */
  SAS_FHIR_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  /** First retry delay of a refused delivery; doubles per attempt (jittered), capped at 15 minutes. */
  SAS_FHIR_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
  /** WebSocket ping period; a peer that missed the previous ping is cut. */
  WS_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** How often each instance looks for bookings past their acknowledgement deadline. */
  ESCALATION_CHECK_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Public base of the service as browsers reach it (e.g. https://cpts.example): the web app's links, cookies and the embedded OpenID issuer (PUBLIC_BASE_URL/oidc). Default: http://HOST:PORT. */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).transform((v) => v.replace(/\/+$/, '')).optional(),
  /** An external OpenID provider (Pro Santé Connect: https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet); unset: the embedded one. */
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Scopes asked for (PSC: `openid scope_all`). */
  OIDC_SCOPE: z.string().min(1).default('openid profile'),
  /** The claim that names the person, matched to a person's login (PSC: `SubjectNameID`, `8` + RPPS, mapped to the RPPS). */
  OIDC_LOGIN_CLAIM: z.string().min(1).default('preferred_username'),
  /** acr_values sent with the authorization request (PSC: `eidas1`). */
  OIDC_ACR_VALUES: z.string().min(1).optional(),
  /** A browser session ends after this many minutes without a request. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** A browser session ends this many hours after the login, used or not. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  /** Test only: a deliberate slowdown of hot paths (e.g. match:2ms,booking:5ms), to prove the benchmark guards fail. Never set in production. */
  SNP_DEBUG_SLOWDOWN: z.string().optional().transform((spec, ctx) => {
    if (spec === undefined) return undefined;
    try {
      return parseDebugSlowdown(spec);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
}).superRefine((config, ctx) => {
  // An external issuer needs our client's credentials there.
  if (config.OIDC_ISSUER === undefined) return;
  for (const variable of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
    if (config[variable] === undefined) ctx.addIssue({ code: 'custom', path: [variable], message: 'required when OIDC_ISSUER is set' });
  }
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `FOO=` in a shell or an env file means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (parsed.success) {
    // One without the other would silently serve plain HTTP.
    if ((parsed.data.TLS_CERT_FILE === undefined) !== (parsed.data.TLS_KEY_FILE === undefined)) {
      const missing = parsed.data.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE';
      throw new ConfigError(`invalid configuration: ${missing}: required with ${missing === 'TLS_CERT_FILE' ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'}`);
    }
    for (const variable of ['TLS_CLIENT_CA_FILE', 'TLS_CRL_FILE'] as const) {
      if (parsed.data[variable] !== undefined && parsed.data.TLS_CERT_FILE === undefined && !(variable === 'TLS_CLIENT_CA_FILE' && parsed.data.TLS_CLIENT_CERT_PROXIES !== undefined)) {
        throw new ConfigError(`invalid configuration: ${variable}: needs TLS_CERT_FILE and TLS_KEY_FILE (or, for the CA, TLS_CLIENT_CERT_PROXIES)`);
      }
    }
    return parsed.data;
  }
  const issue = parsed.error.issues[0]!;
  const variable = issue.path.join('.') || 'environment';
  const shown = env[variable] === undefined ? '' : ` (got ${JSON.stringify(env[variable])})`;
  throw new ConfigError(`invalid configuration: ${variable}: ${issue.message}${shown}`);
}
