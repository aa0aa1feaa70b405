// New outbox events, handed to the streams someone on THIS instance listens to.
//
// Two ways in. Events a writer knows it committed (a booking's booking.created)
// are offered at once: by this instance's writer right after its commit, and by
// the other instances' through their after-commit hint's payload
// (src/db/slot-change-hint.ts). A stream takes an offered event only when it is
// the very next position after what it delivered; otherwise (a gap: an event
// committed elsewhere not yet read here) the offer is refused and a pass reads
// them in order. The passes stay the truth; an offer saves the round trip of a
// pass, and the PostgreSQL work of one per instance and booking.
//
// Same technique as the index sync (src/db/sync/index-sync.ts): each pass reads
// the rows written by transactions at or after a watermark, the xmin of the
// previous pass's snapshot, so a transaction that took its row early and
// committed late is still found; a row seen twice is dropped by its consumer
// (by seq). NOTIFY only says "look now" — on outbox_events from the events
// trigger, or on slot_changes from writers that announce after commit (hot
// bookings, sql/004). A lost hint costs at most one backstop period; a
// reconnection triggers a pass.
import type { Logger } from 'pino';
import { isAfterCommitHint, OUTBOX_EVENTS_CHANNEL, SLOT_CHANGES_CHANNEL } from '../notifications/channels.js';
import type { Notifier, Subscription } from '../notifications/notifier.js';
import { debugPauseMs } from '../../core/debug-slowdown.js';
import { currentWatermark, readNewEvents, type OutboxEvent } from './streams.js';
import { eventsOfPayload } from './hint-payload.js';

/** What serves one stream on this instance (src/ws/event-stream.ts). */
export interface OutboxSubscriber {
  /** New events of the stream read by a pass, in position order; some may have been offered before. */
  deliver(events: OutboxEvent[]): void;
  /** Events known before a pass read them: taken when they follow what was delivered without a gap; false otherwise. */
  offer(events: OutboxEvent[]): boolean;
}

export interface OutboxFeedOptions {
  /** The instance's notification connection (src/db/notifications); the passes read on it too. */
  notifier: Notifier;
  logger: Logger;
  /** Look even without a hint this often (default 1 s). */
  backstopMs?: number;
}

export class OutboxFeed {
  // The passes read on the notifier's connection. Not on the service pool:
  // behind a busy pool (bookings waiting on their commits) a pass would wait,
  // and so would every push. Not on a connection of their own any more: a pass
  // is one short read-committed statement, and the notifier's connection is
  // otherwise idle between notifications.
  private readonly subscription: Subscription;
  private readonly handlers = new Map<string, Set<OutboxSubscriber>>();
  private watermark: string | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;
  private backstop: NodeJS.Timeout | null = null;
  private readonly delayedOffers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: OutboxFeedOptions) {
    this.subscription = options.notifier.subscribe({
      channels: [OUTBOX_EVENTS_CHANNEL, SLOT_CHANGES_CHANNEL],
      onNotification: (channel, payload) => this.onHint(channel, payload),
      onConnected: () => this.requestPass(),
      onDisconnected: (error) => options.logger.warn({ err: error }, 'outbox listener disconnected; reconnecting'),
    });
  }

  async start(): Promise<void> {
    // Nobody subscribes yet: what is committed now is for the replay of whoever connects.
    while (this.watermark === null && !this.stopped) {
      await this.subscription.listening();
      try {
        this.watermark = await currentWatermark(this.options.notifier);
      } catch (error) {
        if (this.options.notifier.isConnected) throw error; // else: lost meanwhile, read it once back
      }
    }
    this.requestPass();
    this.backstop = setInterval(() => this.requestPass(), this.options.backstopMs ?? 1_000);
  }

  get isListenerConnected(): boolean {
    return this.options.notifier.isConnected;
  }

  /** For fault-injection tests: the backend pid of the LISTEN connection (the instance's notifier). */
  get listenerBackendPid(): number | null {
    return this.options.notifier.backendPid;
  }

  /** Hands `handler` each later batch of new events of `stream` (a streamKey). */
  subscribe(stream: string, handler: OutboxSubscriber): () => void {
    let set = this.handlers.get(stream);
    if (set === undefined) this.handlers.set(stream, set = new Set());
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(stream) === set) this.handlers.delete(stream);
    };
  }

  /**
   * Events just committed, offered to the streams served here before any pass reads them;
   * a pass is requested when a stream could not take them (a gap before them).
   */
  offer(events: readonly OutboxEvent[]): void {
    if (this.stopped) return;
    const pause = debugPauseMs('push'); // 0 unless SNP_DEBUG_SLOWDOWN says so (bench guards): a slower push path
    if (pause > 0) {
      const timer = setTimeout(() => { this.delayedOffers.delete(timer); this.offerNow(events); }, pause);
      this.delayedOffers.add(timer);
      return;
    }
    this.offerNow(events);
  }

  private offerNow(events: readonly OutboxEvent[]): void {
    let taken = true;
    for (const [stream, batch] of byStream(events)) {
      for (const handler of this.handlers.get(stream) ?? []) {
        try { taken = handler.offer(batch) && taken; } catch (error) { taken = false; this.options.logger.error({ err: error }, 'outbox handler failed'); }
      }
    }
    if (!taken) this.requestPass();
  }

  // On slot_changes, an after-commit hint announced its events on outbox_events too (below);
  // anything else there (the slots trigger, an instance of an earlier version) may have written events.
  private onHint(channel: string, payload: string): void {
    if (channel === SLOT_CHANGES_CHANNEL && isAfterCommitHint(payload)) return;
    const events = channel === OUTBOX_EVENTS_CHANNEL ? eventsOfPayload(payload) : undefined;
    if (events === undefined) this.requestPass();
    else this.offer(events);
  }

  /** A pass soon; requests during a pass collapse into one more. */
  requestPass(): void {
    // While the notifier is down there is nothing to read on: its reconnection requests a pass.
    if (this.stopped || this.watermark === null || !this.options.notifier.isConnected) return;
    if (this.running !== null) {
      this.rerun = true;
      return;
    }
    this.running = this.loop().finally(() => { this.running = null; });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.backstop !== null) clearInterval(this.backstop);
    this.backstop = null;
    for (const timer of this.delayedOffers) clearTimeout(timer);
    this.delayedOffers.clear();
    await this.subscription.unsubscribe();
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.rerun = false;
      try {
        await this.pass();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'outbox pass failed; will retry');
        return; // the backstop tries again
      }
    } while (this.rerun && !this.stopped);
  }

  private async pass(): Promise<void> {
    const { watermark, events } = await readNewEvents(this.options.notifier, this.watermark!);
    this.watermark = watermark;
    const pause = debugPauseMs('push') + debugPauseMs('outbox-pass'); // 0 unless SNP_DEBUG_SLOWDOWN says so (bench guards, tests)
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    // Rows come by stream, then position: one batch per stream served here.
    let from = 0;
    for (let i = 1; i <= events.length; i++) {
      if (i < events.length && events[i]!.stream === events[from]!.stream) continue;
      if (this.handlers.has(events[from]!.stream)) this.dispatch(events[from]!.stream, events.slice(from, i));
      from = i;
    }
  }

  private dispatch(stream: string, events: OutboxEvent[]): void {
    for (const handler of this.handlers.get(stream) ?? []) {
      try { handler.deliver(events); } catch (error) { this.options.logger.error({ err: error }, 'outbox handler failed'); }
    }
  }
}

/**
 * The events by stream, each stream's by position: a batch of bookings writes one professional's
 * events in booking-id order, and its members signal in arrival order.
 */
function byStream(events: readonly OutboxEvent[]): Map<string, OutboxEvent[]> {
  const streams = new Map<string, OutboxEvent[]>();
  for (const event of events) {
    const batch = streams.get(event.stream);
    if (batch === undefined) streams.set(event.stream, [event]);
    else batch.push(event);
  }
  for (const batch of streams.values()) if (batch.length > 1) batch.sort((x, y) => x.seq - y.seq);
  return streams;
}
