// Answers made in one turn of the event loop reach their sockets together, at
// the end of that turn (setImmediate), rather than each as soon as it is ready.
// Under load a turn serves several requests, 80–250 µs apart; a write to a
// client that has gone idle meanwhile wakes it (on a virtual machine, an
// inter-processor interrupt the writer pays for), so writes spread over the turn
// woke the client once per answer. Written back to back, the client is woken
// once per turn and reads them all. The same idea as uWebSockets' cork for the
// loop iteration. Measured with bench/profile-hot-paths.ts match, three rounds
// alternated (README, "Where the time goes"): 20–25 % more matches a second. An
// idle service pays a cork and one setImmediate per answer.
//
// The answer itself is complete when Fastify ends it (`reply.sent`, `onResponse`
// after the bytes are out, as before); only the socket is held: corked, and its
// `uncork` made to wait while held, because ending an HTTP response fully
// uncorks its socket. Holding the answer back instead (a deferred onSend) left
// `reply.sent` false, and Fastify then sent an async handler's answer twice.
import { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

const HELD = Symbol('socket held until the end of the turn');
type Holdable = Socket & { [HELD]?: boolean };

/** The socket's own uncork, except while held: the end of the turn uncorks it. */
function uncorkUnlessHeld(this: Holdable): void {
  if (this[HELD] !== true) Object.getPrototypeOf(this).uncork.call(this);
}

export function writeAnswersAtEndOfTurn(app: FastifyInstance): void {
  let held: Holdable[] = [];
  const release = () => {
    const sockets = held;
    held = [];
    for (const socket of sockets) {
      socket[HELD] = false;
      while (socket.writableCorked > 0) socket.uncork();
    }
  };
  app.addHook('onSend', (_request, reply, payload, done) => {
    const socket = reply.raw.socket as Holdable | null;
    // A real socket (an injected request has a stand-in), not already held this turn.
    if (socket instanceof Socket && socket[HELD] !== true) {
      // Once per connection: its own uncork (an own property from then on, so its shape stays put).
      if (socket.uncork !== uncorkUnlessHeld) socket.uncork = uncorkUnlessHeld;
      socket.cork();
      socket[HELD] = true;
      if (held.push(socket) === 1) setImmediate(release);
    }
    done(null, payload);
  });
}
