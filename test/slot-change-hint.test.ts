// The after-commit hint on slot_changes: it says HINT_REFLECTED only when every
// write it stands for was reflected in the sender's index, and its sender hears
// it as its own (fromSelf) where any other instance does not.
import t from 'tap';
import { HINT_ANNOUNCES_EVENTS, HINT_REFLECTED, SLOT_CHANGES_CHANNEL } from '../src/db/notifications/channels.js';
import { Notifier } from '../src/db/notifications/notifier.js';
import { SlotChangeHint } from '../src/db/slot-change-hint.js';
import { testDatabase } from './helpers/database.js';

const eventually = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (check()) return true; await new Promise((r) => setTimeout(r, 10)); }
  return check();
};

t.test('a hint says reflected only when every write it merges was, and only its sender hears it as its own', async (t) => {
  const db = await testDatabase(t);
  const own = new Notifier({ url: db.url, heartbeatMs: 1_000 });
  const other = new Notifier({ url: db.url, heartbeatMs: 1_000 });
  const hint = new SlotChangeHint(own);
  t.teardown(async () => { await hint.stop(); await own.stop(); await other.stop(); });
  const heardHere: [string, boolean][] = [];
  const heardThere: [string, boolean][] = [];
  const here = own.subscribe({ channels: [SLOT_CHANGES_CHANNEL], onNotification: (_c, payload, fromSelf) => heardHere.push([payload, fromSelf]), onConnected: () => {} });
  const there = other.subscribe({ channels: [SLOT_CHANGES_CHANNEL], onNotification: (_c, payload, fromSelf) => heardThere.push([payload, fromSelf]), onConnected: () => {} });
  await Promise.all([here.listening(), there.listening()]);

  hint.signal(undefined, true);
  t.ok(await eventually(() => heardHere.length === 1 && heardThere.length === 1));
  t.same(heardHere, [[HINT_REFLECTED, true]], 'a reflected write: the sender hears its own hint');
  t.same(heardThere, [[HINT_REFLECTED, false]], 'another instance hears it as anyone else');

  // Signals made while a hint is in flight merge into the next one: one unreflected write makes it plain.
  hint.signal(undefined, true);
  hint.signal(undefined, true);
  hint.signal();
  hint.signal(undefined, true);
  t.ok(await eventually(() => heardHere.length >= 3 && heardThere.length === heardHere.length));
  await new Promise((r) => setTimeout(r, 200));
  const merged = heardHere.slice(1).map(([payload]) => payload);
  t.ok(merged.length <= 3, `signals merged into ${merged.length} hints`);
  t.equal(merged.at(-1), HINT_ANNOUNCES_EVENTS, 'the hint that carried the unreflected write is plain');
  t.ok(heardHere.slice(1).every(([, fromSelf]) => fromSelf) && heardThere.slice(1).every(([, fromSelf]) => !fromSelf));

  // Once that hint is gone, reflected writes say so again.
  heardHere.length = 0;
  hint.signal(undefined, true);
  t.ok(await eventually(() => heardHere.length === 1));
  t.same(heardHere, [[HINT_REFLECTED, true]], 'the next hint starts afresh');
});
