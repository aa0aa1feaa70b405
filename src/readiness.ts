// What must be true before this instance takes traffic. Each part of the
// service registers a check; /readyz reports them all.
export type ReadinessCheck = () => { ready: boolean; detail?: string };

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private draining = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Shutdown has begun: tell the load balancer to send traffic elsewhere. */
  startDraining(): void {
    this.draining = true;
  }

  report(): { ready: boolean; checks: Record<string, { ready: boolean; detail?: string }> } {
    const checks: Record<string, { ready: boolean; detail?: string }> = {};
    let ready = !this.draining;
    if (this.draining) checks.shutdown = { ready: false, detail: 'draining' };
    for (const [name, check] of this.checks) {
      const result = check();
      checks[name] = result;
      if (!result.ready) ready = false;
    }
    return { ready, checks };
  }
}
