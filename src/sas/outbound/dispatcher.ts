// Sends the booking states of the outbox to the SAS platform as FrAppointmentSAS,
// each as a conditional update PUT [endpoint]/Appointment?identifier=<system>|<value>:
// create-or-update, so a state is idempotent on the receiving side too.
// A state counts as sent once the SAS answered 2xx; until then it is retried
// with jittered exponential backoff, forever (a delivery is never dropped).
// Exactly once per state in the ordinary course; after a crash between the
// SAS's 2xx and our record, the lease lapses and the same PUT goes once more,
// which the conditional update makes harmless.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { BookingStatus } from '../../core/domain.js';
import { backoffDelay } from '../../db/sync/backoff.js';
import { buildAppointment } from '../resources/index.js';
import type { Appointment } from '../resources/types.js';
import { claimDueDeliveries, markDelivered, markFailed, type ClaimedDelivery, type DeliveredState } from '../storage/delivery-queue.js';

export interface SasDispatcherOptions {
  pool: pg.Pool;
  logger: Logger;
  /** The SAS platform's FHIR base, e.g. https://sas.example/fhir. */
  endpoint: string;
  token?: string | undefined;
  /** Our Appointment.identifier system for bookings the SAS did not make. */
  appointmentSystem: string;
  pollMs: number;
  retryBaseMs: number;
  retryCapMs?: number;
  timeoutMs?: number;
  batch?: number;
}

const STATUS_OF_STATE: Readonly<Record<DeliveredState, BookingStatus>> = {
  booked: 'booked', cancelled: 'cancelled', fulfilled: 'honoured', noshow: 'no-show',
};
const CPTS_IDNST = /^1[0-9]{9}$/;

export class SasDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly timeoutMs: number;

  constructor(private readonly options: SasDispatcherOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round: claims what is due and sends it. Returns how many were claimed. */
  async runOnce(): Promise<number> {
    const { pool, batch = 20 } = this.options;
    // The lease outlives the attempt's timeout by a wide margin.
    const claimed = await claimDueDeliveries(pool, batch, this.timeoutMs * 3);
    await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    return claimed.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce()
        .then((claimed) => this.schedule(claimed >= (this.options.batch ?? 20) ? 0 : this.options.pollMs))
        .catch((error: unknown) => {
          this.options.logger.warn({ err: error }, 'SAS outbox round failed; will retry');
          this.schedule(this.options.pollMs);
        })
        .finally(() => { this.running = null; });
    }, delayMs);
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { logger, pool } = this.options;
    const context = { eventId: delivery.eventId, bookingId: delivery.bookingId, state: delivery.state, attempt: delivery.attempts };
    let failure: string;
    try {
      const response = await this.send(delivery);
      if (response.ok) {
        await markDelivered(pool, delivery.eventId);
        logger.info({ ...context, status: response.status }, 'appointment state delivered to the SAS');
        return;
      }
      failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = (error as Error).message;
    }
    const retryInMs = backoffDelay(delivery.attempts - 1, { baseMs: this.options.retryBaseMs, capMs: this.options.retryCapMs ?? 15 * 60_000 });
    logger.warn({ ...context, failure, retryInMs }, 'appointment delivery to the SAS failed; will retry');
    await markFailed(pool, delivery.eventId, retryInMs, failure);
  }

  private async send(delivery: ClaimedDelivery): Promise<Response> {
    const appointment = this.appointmentOf(delivery);
    const identifier = appointment.identifier[0]!;
    const url = `${this.options.endpoint.replace(/\/+$/, '')}/Appointment?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`;
    // A timer of our own, cleared at once: AbortSignal.timeout's would outlive the request.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'PUT',
        headers: {
          'content-type': 'application/fhir+json',
          accept: 'application/fhir+json',
          'x-request-id': `snp-sas-event-${delivery.eventId}`,
          ...(this.options.token !== undefined ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify(appointment),
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined); // free the connection
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  private appointmentOf(d: ClaimedDelivery): Appointment {
    // Changes made through our own channels are the CPTS's: it is the operator, by its IDNST.
    if (d.organisationIdentifier === null || !CPTS_IDNST.test(d.organisationIdentifier)) {
      throw new Error(`territory ${d.territoryId} has no IDNST (organisation_identifier): the SAS cannot be told who acted`);
    }
    // No Slot reference: a relative one would point into the SAS's server, not ours.
    return buildAppointment({
      id: d.bookingId, status: STATUS_OF_STATE[d.state], start: d.start, end: d.end, professionalRpps: d.rpps,
      operator: { kind: 'structure', idnst: d.organisationIdentifier }, timeZone: d.timeZone,
      ...(d.sasIdentifier !== null ? { identifier: d.sasIdentifier } : {}),
    }, { appointmentIdentifierSystem: this.options.appointmentSystem });
  }
}
