// HOST and PORT checked before any database work: a name that does not resolve,
// an address not on this machine or a port in use is one line naming the variable.
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:net';
import { ConfigError, type Config } from './config.js';

export async function checkListenAddresses(config: Config): Promise<void> {
  await checkListen('HOST', 'PORT', config.HOST, config.PORT);
  if (config.METRICS_PORT !== undefined) await checkListen('METRICS_HOST', 'METRICS_PORT', config.METRICS_HOST, config.METRICS_PORT);
}

async function checkListen(hostVariable: string, portVariable: string, host: string, port: number): Promise<void> {
  try {
    await lookup(host);
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${hostVariable}: ${JSON.stringify(host)} does not resolve to an address (${(error as NodeJS.ErrnoException).code})`);
  }
  const failure = await tryBind(host, port);
  if (failure === null) return;
  if (failure === 'EADDRINUSE') throw new ConfigError(`invalid configuration: ${portVariable}: port ${port} is already in use on ${host}`);
  if (failure === 'EACCES') throw new ConfigError(`invalid configuration: ${portVariable}: port ${port} needs privileges this user does not have; use a port above 1023`);
  if (failure === 'EADDRNOTAVAIL') throw new ConfigError(`invalid configuration: ${hostVariable}: ${JSON.stringify(host)} is not an address of this machine`);
  throw new ConfigError(`invalid configuration: ${hostVariable}/${portVariable}: cannot listen on ${host}:${port} (${failure})`);
}

function tryBind(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}
