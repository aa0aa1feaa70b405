// Answers are written at the end of the event loop's turn
// (src/server/plugins/end-of-turn-writes.ts): over real sockets, an answer is
// complete for Fastify when the handler returns (`reply.sent`) but its bytes wait
// in the socket until the next turn; answers of every kind (sent at once,
// awaited, thrown, streamed, unknown path) reach the right client; an async
// handler that sends without returning its reply is answered once, with no
// warning; an answer whose write throws in a turn it shares with others gets its
// 500 and the others are written.
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { writeAnswersAtEndOfTurn } from '../src/server/plugins/end-of-turn-writes.js';

async function listening(t: Test, routes: (app: FastifyInstance) => void): Promise<string> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  writeAnswersAtEndOfTurn(app);
  routes(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

t.test('an answer is complete when sent; its bytes leave at the end of the turn', async (t) => {
  const seen: Array<{ sent: boolean; waitingAtSend: number; waitingNextTurn: number }> = [];
  const base = await listening(t, (app) => {
    app.get('/', (_request, reply) => {
      reply.send({ ok: true });
      const socket = reply.raw.socket!;
      const waitingAtSend = socket.writableLength;
      setImmediate(() => seen.push({ sent: reply.sent, waitingAtSend, waitingNextTurn: socket.writableLength }));
    });
  });
  const answer = await fetch(`${base}/`);
  t.same(await answer.json(), { ok: true });
  await nextTurn();
  t.equal(seen.length, 1);
  t.ok(seen[0]!.sent, 'Fastify counts it sent');
  t.ok(seen[0]!.waitingAtSend > 0, `${seen[0]!.waitingAtSend} bytes held in the socket when the handler returns`);
  t.equal(seen[0]!.waitingNextTurn, 0, 'none left by the next turn');
});

t.test('an async handler that sends without returning its reply is answered once', async (t) => {
  const lines: string[] = [];
  const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => { lines.push(line); } } } });
  writeAnswersAtEndOfTurn(app);
  app.get('/at-once', async (_request, reply) => { reply.send({ at: 'once' }); });
  app.get('/later', async (_request, reply) => { await nextTurn(); reply.send({ at: 'later' }); });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const { port } = app.server.address() as { port: number };
  for (const path of ['at-once', 'later']) {
    const answer = await fetch(`http://127.0.0.1:${port}/${path}`);
    t.same({ status: answer.status, body: await answer.json() }, { status: 200, body: { at: path === 'later' ? 'later' : 'once' } }, path);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.same(lines.map((line) => (JSON.parse(line) as { msg: string }).msg), [], 'no "Reply was already sent", no error');
});

t.test('answers of every kind reach their own client', async (t) => {
  const base = await listening(t, (app) => {
    app.get('/now/:n', (request, reply) => { reply.send({ n: (request.params as { n: string }).n }); });
    app.get('/awaited/:n', async (request) => { await nextTurn(); return { n: (request.params as { n: string }).n }; });
    app.get('/thrown/:n', async (request) => {
      throw Object.assign(new Error(`refused ${(request.params as { n: string }).n}`), { statusCode: 409 });
    });
    app.get('/streamed/:n', (request, reply) => {
      reply.type('text/plain').send(Readable.from([`part-${(request.params as { n: string }).n}-`, 'end']));
    });
  });
  const kinds = ['now', 'awaited', 'thrown', 'streamed', 'unknown'] as const;
  // Fresh connections each, sent together so that the service serves several in one turn.
  const answers = await Promise.all(Array.from({ length: 60 }, async (_, n) => {
    const kind = kinds[n % kinds.length]!;
    const answer = await fetch(`${base}/${kind}/${n}`, { headers: { connection: 'close' } });
    return { kind, n, status: answer.status, body: await answer.text() };
  }));
  for (const { kind, n, status, body } of answers) {
    if (kind === 'now' || kind === 'awaited') t.same({ status, body: JSON.parse(body) }, { status: 200, body: { n: String(n) } }, `${kind} ${n}`);
    if (kind === 'thrown') t.same({ status, message: JSON.parse(body).message }, { status: 409, message: `refused ${n}` }, `${kind} ${n}`);
    if (kind === 'streamed') t.same({ status, body }, { status: 200, body: `part-${n}-end` }, `${kind} ${n}`);
    if (kind === 'unknown') t.equal(status, 404, `${kind} ${n}`);
  }
});

t.test('an answer whose write throws gets its 500; the others of its turn are written', async (t) => {
  let releaseFirst: () => void = () => {};
  const secondArrived = new Promise<void>((resolve) => { releaseFirst = resolve; });
  const base = await listening(t, (app) => {
    // The first waits for the second, so that both answers are sent in one turn:
    // the bad one first, then the good one, in a microtask of the same turn.
    app.get('/good', async () => { await secondArrived; return { good: true }; });
    app.get('/bad', (_request, reply) => {
      reply.header('x-bad', 'line\nbreak').send({ bad: true });
      releaseFirst();
    });
  });
  const good = fetch(`${base}/good`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const bad = await fetch(`${base}/bad`);
  t.equal(bad.status, 500);
  t.equal(((await bad.json()) as { code: string }).code, 'ERR_INVALID_CHAR');
  t.equal(bad.headers.get('x-bad'), null);
  const goodAnswer = await good;
  t.same({ status: goodAnswer.status, body: await goodAnswer.json() }, { status: 200, body: { good: true } });
});
