// A keep-alive connection's authentication is remembered on it
// (Authenticator.cachedClientOn): on one connection, checked by its local port,
// two tokens sent in turn (a proxy's connection carries several clients) each
// get their own client and scope; a revoked token is refused on the next
// request of the connection that used it; an expired one too.
import http from 'node:http';
import t from 'tap';
import { createClient, revokeClient } from '../src/auth/clients.js';
import { migratedDatabase } from './helpers/database.js';
import { tokenFor, world } from './helpers/fixtures.js';
import { startTestService } from './helpers/service.js';

interface Answer { status: number; port: number; body: string }

/** One connection for every request (keep-alive, a single socket). */
function oneConnection(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(base);
  const post = (path: string, token: string, body: unknown) => new Promise<Answer>((resolve, reject) => {
    const request = http.request({
      agent, host: url.hostname, port: url.port, path, method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    }, (response) => {
      const port = response.socket.localPort ?? 0; // the socket goes back to the agent at the end
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => {
        resolve({ status: response.statusCode ?? 0, port, body: text });
      });
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
  return { post, close: () => agent.destroy() };
}

t.test('authentication remembered on a connection', async (t) => {
  const db = await migratedDatabase(t);
  await world(db.db, { prosPerTerritory: 1 });
  const service = await startTestService(t, db.url);
  const regulatorA = await tokenFor(db.db, 'regulator', ['terr-a']);
  const regulatorB = await tokenFor(db.db, 'regulator', ['terr-b']);

  await t.test('two tokens in turn on one connection: each its own client', async (t) => {
    const connection = oneConnection(service.url);
    t.teardown(connection.close);
    const answers: Answer[] = [];
    for (let round = 0; round < 3; round++) {
      answers.push(await connection.post('/v1/match', regulatorA.token, { territory: 'terr-a' }));
      answers.push(await connection.post('/v1/match', regulatorB.token, { territory: 'terr-a' }));
      answers.push(await connection.post('/v1/match', regulatorB.token, { territory: 'terr-b' }));
      answers.push(await connection.post('/v1/match', `${regulatorA.token.slice(0, -1)}x`, { territory: 'terr-a' }));
    }
    t.equal(new Set(answers.map((a) => a.port)).size, 1, 'one connection');
    t.same(answers.map((a) => a.status), [200, 403, 200, 401, 200, 403, 200, 401, 200, 403, 200, 401]);
  });

  await t.test('a revoked token is refused on the connection that used it', async (t) => {
    const connection = oneConnection(service.url);
    t.teardown(connection.close);
    const client = await tokenFor(db.db, 'regulator', ['terr-a']);
    const before = await connection.post('/v1/match', client.token, { territory: 'terr-a' });
    t.equal(before.status, 200);
    await revokeClient(db.db, client.id);
    const revokedAt = Date.now();
    let after = await connection.post('/v1/match', client.token, { territory: 'terr-a' });
    while (after.status === 200 && Date.now() - revokedAt < 5_000) after = await connection.post('/v1/match', client.token, { territory: 'terr-a' });
    t.equal(after.status, 401, `401 ${Date.now() - revokedAt} ms after the revocation`);
    t.ok(Date.now() - revokedAt < 2_000, 'well before the 10 s cache lifetime');
    t.equal(after.port, before.port, 'on the same connection');
  });

  await t.test('an expired token is refused on the connection that used it', async (t) => {
    const connection = oneConnection(service.url);
    t.teardown(connection.close);
    const expiresAt = new Date(Date.now() + 1_500);
    const client = await createClient(db.db, { role: 'regulator', territories: ['terr-a'], expiresAt });
    const before = await connection.post('/v1/match', client.token, { territory: 'terr-a' });
    const again = await connection.post('/v1/match', client.token, { territory: 'terr-a' });
    t.same([before.status, again.status], [200, 200], 'works before, twice');
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
    const after = await connection.post('/v1/match', client.token, { territory: 'terr-a' });
    t.equal(after.status, 401, '401 just after expiry');
    t.equal(after.port, before.port, 'on the same connection');
  });
});
