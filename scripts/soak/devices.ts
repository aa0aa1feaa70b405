// One device per professional on /v1/ws/professional, spread over the
// instances; acks what it receives and, should its socket close, reconnects to
// the next instance resuming after its last ack.
import { ProDevice } from '../harness/pro-device.js';

export interface Devices {
  byRpps: Map<string, ProDevice>;
  reconnections: number;
  stop(): Promise<void>;
}

export async function connectDevices(professionals: readonly { rpps: string; token: string }[], instances: readonly { name: string; url: string }[]): Promise<Devices> {
  const byRpps = new Map<string, ProDevice>();
  let stopped = false;
  const devices: Devices = {
    byRpps, reconnections: 0,
    async stop() {
      stopped = true;
      for (const device of byRpps.values()) await device.close();
    },
  };
  const keepConnected = (device: ProDevice, k: number) => {
    void device.closed.then(async () => {
      for (let attempt = 1; !stopped; attempt++) {
        try {
          await device.connect(instances[(k + attempt) % instances.length]!);
          devices.reconnections++;
          keepConnected(device, k + attempt);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    });
  };
  for (const [k, pro] of professionals.entries()) {
    const device = new ProDevice(pro.rpps, pro.token);
    await device.connect(instances[k % instances.length]!);
    byRpps.set(pro.rpps, device);
    keepConnected(device, k);
  }
  return devices;
}
