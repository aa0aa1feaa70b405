// What the API says about bookings: the minimal patient record, the booking
// as a requester sees it (SPEC §6), and the fuller record its professional and
// coordinator read. One schema serves validation, serialisation and OpenAPI.
import { z } from 'zod';
import { BOOKING_STATUSES, MODALITIES, SEXES, type BookingStatus, type Modality } from '../core/domain.js';
import { formatApiDateTime } from '../core/time/index.js';
import { plainText } from '../core/text.js';

/**
 * Only what the professional needs to call the patient back: a name (or
 * initials), a phone number, an age or birth year, a sex. Nothing clinical:
 * the complaint lives in the triage request, not here.
 */
export const patientSchema = z.strictObject({
  name: plainText().trim().min(1).max(100).meta({ description: 'Name or initials, to greet the patient when calling back' }),
  phone: plainText().trim().regex(/^\+?[0-9][0-9 .-]{5,22}$/, 'must be a phone number (digits, spaces, dots or dashes, optional leading +)'),
  birthYear: z.number().int().min(1900).max(2100).optional(),
  age: z.number().int().min(0).max(130).optional(),
  sex: z.enum(SEXES).optional(),
}).meta({ example: { name: 'J. D.', phone: '+33 6 12 34 56 78', age: 34, sex: 'female' } });
export type Patient = z.infer<typeof patientSchema>;

/** As answered: the control-character rule is for input, and a row written before it must still be served. */
const storedPatientSchema = patientSchema.extend({
  name: z.string().meta({ description: 'Name or initials, to greet the patient when calling back' }),
  phone: z.string(),
});

export const professionalRefSchema = z.object({ rpps: z.string(), name: z.string() });

export const bookingSchema = z.object({
  id: z.uuid(),
  slotId: z.uuid(),
  status: z.enum(BOOKING_STATUSES),
  start: z.string().meta({ description: 'ISO 8601 with the offset of the territory\'s zone' }),
  end: z.string(),
  professional: professionalRefSchema,
}).meta({
  example: {
    id: '0b6f3c1e-3d0a-4c55-9a43-6a9d1f2e7c10', slotId: '6c1f0e2a-58b4-4d9e-8f51-0d7b9f5a2e33', status: 'booked',
    start: '2026-03-10T14:40:00+01:00', end: '2026-03-10T15:00:00+01:00', professional: { rpps: '10000000014', name: 'Anne Martin' },
  },
});
export type BookingView = z.infer<typeof bookingSchema>;

export const bookingResponseSchema = z.object({ booking: bookingSchema });
export type BookingResponse = z.infer<typeof bookingResponseSchema>;

export const bookingDetailSchema = bookingSchema.extend({
  territory: z.string(),
  modality: z.enum(MODALITIES),
  holdId: z.uuid().nullable(),
  requestId: z.uuid().nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** null once purged by the retention policy. */
  patient: storedPatientSchema.nullable(),
  patientPurgedAt: z.string().nullable(),
});
export type BookingDetail = z.infer<typeof bookingDetailSchema>;

export interface BookingFacts {
  id: string;
  slotId: string;
  status: BookingStatus;
  start: Date | number;
  end: Date | number;
  rpps: string;
  professionalName: string;
  timeZone: string;
}

export function bookingView(f: BookingFacts): BookingView {
  return {
    id: f.id,
    slotId: f.slotId,
    status: f.status,
    start: formatApiDateTime(f.start, f.timeZone),
    end: formatApiDateTime(f.end, f.timeZone),
    professional: { rpps: f.rpps, name: f.professionalName },
  };
}

export interface BookingRecord extends BookingFacts {
  territoryId: string;
  modality: Modality;
  holdId: string | null;
  requestId: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  patient: Patient | null;
  patientPurgedAt: Date | null;
}

export function bookingDetail(r: BookingRecord, withPatient: boolean): BookingDetail {
  const tz = r.timeZone;
  const at = (d: Date | null) => (d === null ? null : formatApiDateTime(d, tz));
  return {
    ...bookingView(r),
    territory: r.territoryId,
    modality: r.modality,
    holdId: r.holdId,
    requestId: r.requestId,
    createdAt: formatApiDateTime(r.createdAt, tz),
    cancelledAt: at(r.cancelledAt),
    cancelReason: r.cancelReason,
    patient: withPatient ? r.patient : null,
    patientPurgedAt: at(r.patientPurgedAt),
  };
}

/** The outbox payload of a booking event: what the professional's socket receives. */
/**
 * The outbox event of a booking change. `requestId` is the trace id of the
 * request that caused it (HTTP X-Request-Id, or socket request:message): the
 * professional's push carries it, so a push lines up with the requester's logs.
 */
export function bookingEventPayload(view: BookingView, extra: { patient?: Patient | null; modality?: Modality; reason?: string } = {}, requestId?: string): { booking: Record<string, unknown>; requestId?: string } {
  return { booking: { ...view, ...extra }, ...(requestId !== undefined ? { requestId } : {}) };
}
