// The web app's assets compressed once, when they are bundled (or read from
// dist/web), never per request: brotli at its best quality and gzip, so a
// pharmacy PC or a phone downloads a fraction of the bundle. Each asset's ETag
// is the SHA-256 of its uncompressed bytes; each encoding is its own
// representation (RFC 9110 §8.8.3), so the route suffixes the ETag with it.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** The ETag's opaque part: the first 128 bits of the SHA-256 of the bytes, base64url. */
export function contentTag(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 22);
}

/** The body in each encoding; one that would not be smaller is left out (sent as is). */
export async function compressAsset(body: Buffer, type: string): Promise<Partial<Record<Encoding, Buffer>>> {
  const [br, gz] = await Promise.all([
    brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: type.startsWith('text/') ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    gzipped(body, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  return { ...(br.length < body.length ? { br } : {}), ...(gz.length < body.length ? { gzip: gz } : {}) };
}
