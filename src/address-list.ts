// A comma-separated list of addresses and CIDRs (`10.0.0.1, 192.168.0.0/16, ::1`)
// as a node:net BlockList, to ask "is this peer one of them?" in constant work.
import { BlockList, isIP } from 'node:net';

export interface AddressList {
  /** The list as written, for messages. */
  readonly text: string;
  has(address: string | undefined): boolean;
}

export function parseAddressList(text: string): AddressList {
  const list = new BlockList();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address);
    if (family === 0) throw new Error(`${JSON.stringify(entry)} is not an IP address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) throw new Error(`${JSON.stringify(entry)}: bad prefix length`);
      list.addSubnet(address, bits, type);
    }
  }
  return {
    text,
    has(address) {
      if (address === undefined) return false;
      // IPv4 peers of a dual-stack socket arrive as ::ffff:a.b.c.d.
      const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
