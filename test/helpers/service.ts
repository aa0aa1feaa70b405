// A real service instance (real HTTP on a free port) on a test database.
import type { Logger } from 'pino';
import type { Test } from 'tap';
import { http } from '../../scripts/harness/http.js';
import { loadConfig } from '../../src/config.js';
import { startService, type Service } from '../../src/service.js';
import { trackTimers } from './leaks.js';

export { http };

let timers: ReturnType<typeof trackTimers> | null = null;
let running = 0;

/** `logger`: where the service logs (default: silent), for tests that read what is logged. */
export async function startTestService(t: Test, databaseUrl: string, env: Record<string, string> = {}, logger?: Logger): Promise<Service> {
  // Load shedding is off by default: a loaded CI machine stalls the event loop and
  // would turn correctness tests into 503s. test/overload.test.ts turns it on.
  // Every test client shares one address: its failed-authentication budget is
  // lifted but where a test sets it (test/security-limits.test.ts). A plugin
  // may take longer than Fastify's 10 s to start when several test files share
  // a loaded machine: that is the machine, not what a test checks.
  const config = loadConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', SEED_DEMO: 'false', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0', AUTH_FAILURES_PER_MINUTE: '1000000',
    PLUGIN_TIMEOUT_MS: '120000',
    ...env, DATABASE_URL: databaseUrl,
  });
  // Timers are process-wide: they are checked when the last running service has closed.
  timers ??= trackTimers();
  running++;
  const service = await startService(config, ...(logger !== undefined ? [logger] : []));
  t.teardown(async () => {
    await service.close();
    if (--running > 0) return;
    const leaked = await timers!.leaked();
    if (leaked.length > 0) throw new Error(`services left ${leaked.length} timer(s) running:\n${leaked.join('\n')}`);
  });
  return service;
}

/** Ids of the slots POST /v1/match offers in terr-a (50 at most), best first. */
export async function matchIds(service: { url: string }, token: string, body: Record<string, unknown> = {}): Promise<string[]> {
  const answer = await http(service, 'POST', '/v1/match', { token, body: { territory: 'terr-a', limit: 50, ...body } });
  return answer.json.candidates.map((c: { slot: { id: string } }) => c.slot.id);
}
