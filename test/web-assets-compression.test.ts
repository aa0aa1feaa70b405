// The web app's script and style are compressed once (brotli, gzip) and chosen
// by Accept-Encoding, with Vary and an ETag per representation; a revalidation
// with the ETag is a 304 without a body. Read over raw HTTP (fetch would decode).
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import t from 'tap';
import { migratedDatabase } from './helpers/database.js';
import { startTestService } from './helpers/service.js';

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function get(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('app.js and app.css: pre-compressed, negotiated, revalidated', async (t) => {
  const db = await migratedDatabase(t);
  const service = await startTestService(t, db.url);
  for (const [file, type] of [['app.js', /^text\/javascript/], ['app.css', /^text\/css/]] as const) {
    const url = `${service.url}/app/assets/${file}`;
    const plain = await get(url, {});
    t.equal(plain.status, 200);
    t.match(plain.headers['content-type'], type);
    t.equal(plain.headers['content-encoding'], undefined, `${file}: no Accept-Encoding, sent as is`);
    t.equal(plain.headers.vary, 'accept-encoding', 'Vary: Accept-Encoding, for caches');
    t.match(plain.headers.etag, /^"[A-Za-z0-9_-]{22}"$/, 'a strong ETag of the bytes');
    t.equal(Number(plain.headers['content-length']), plain.body.length);

    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    t.equal(br.headers['content-encoding'], 'br', `${file}: brotli when offered`);
    t.same(brotliDecompressSync(br.body), plain.body, 'the same bytes once decoded');
    t.equal(br.headers.etag, `${String(plain.headers.etag).slice(0, -1)}-br"`, 'its own ETag');
    t.equal(br.headers.vary, 'accept-encoding');
    const gz = await get(url, { 'accept-encoding': 'gzip, deflate' });
    t.equal(gz.headers['content-encoding'], 'gzip', `${file}: gzip when brotli is not offered`);
    t.same(gunzipSync(gz.body), plain.body);
    t.equal(gz.headers.etag, `${String(plain.headers.etag).slice(0, -1)}-gzip"`);
    t.equal((await get(url, { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding'], 'gzip', 'q=0 refuses brotli');
    t.equal((await get(url, { 'accept-encoding': 'identity' })).headers['content-encoding'], undefined, 'identity: as is');
    t.ok(br.body.length < gz.body.length && gz.body.length < plain.body.length / 2, `${file}: ${plain.body.length} B, gzip ${gz.body.length} B, brotli ${br.body.length} B`);

    const revalidated = await get(url, { 'accept-encoding': 'gzip, deflate, br', 'if-none-match': String(br.headers.etag) });
    t.equal(revalidated.status, 304, 'revalidated with its ETag: not modified');
    t.equal(revalidated.body.length, 0, 'without a body');
    t.equal(revalidated.headers.etag, br.headers.etag);
    t.equal(revalidated.headers.vary, 'accept-encoding');
    t.equal((await get(url, { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) })).status, 200, "another encoding's ETag does not match");
    t.equal((await get(url, { 'if-none-match': `W/${String(plain.headers.etag)}, "other"` })).status, 304, 'a weak comparison in a list');
  }
  t.equal((await get(`${service.url}/app/assets/app.js.br`, { 'accept-encoding': 'br' })).status, 404, 'the compressed files are not assets of their own');
});
