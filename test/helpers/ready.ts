// Waits until the service says it is ready (index loaded, not shedding load):
// the first seconds after a start in a test process can lag the event loop.
import { http } from './service.js';

export async function waitReady(service: { url: string }, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await http(service, 'GET', '/readyz')).status === 200) return;
    if (Date.now() > deadline) throw new Error('the service did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
