// Command-line options of the soak: `--minutes 10 --instances 3 --rate 40`.
export interface SoakOptions {
  minutes: number;
  instances: number;
  /** Operations started per second, whatever their latency (open loop). */
  rate: number;
  /** Professionals with slots, each with one device on a socket. */
  professionals: number;
}

export function parseArgs(argv: string[]): SoakOptions {
  const options: SoakOptions = { minutes: 10, instances: 3, rate: 40, professionals: 40 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '') as keyof SoakOptions;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !Number.isFinite(value) || value <= 0) {
      throw new Error(`usage: soak [--minutes N] [--instances N] [--rate OPS_PER_S] [--professionals N] (got ${argv[i]} ${argv[i + 1]})`);
    }
    options[key] = value;
  }
  return options;
}
