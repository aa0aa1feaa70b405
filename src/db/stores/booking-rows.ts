// Reading bookings back, restricted to who may see which
// (src/usecases/booking-records.ts says who).
import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { StoredBooking } from '../../usecases/booking-store.js';
import type { Patient } from '../../usecases/booking-view.js';
import type { AuthenticatedClient } from '../../usecases/client.js';
import type { Database } from '../schema.js';

type BookingQuery = SelectQueryBuilder<Database, 'bookings' | 'professionals' | 'territories' | 'slots', object>;

export function selectBookings(db: Kysely<Database> | Transaction<Database>) {
  return db.selectFrom('bookings')
    .innerJoin('professionals', 'professionals.id', 'bookings.professional_id')
    .innerJoin('territories', 'territories.id', 'bookings.territory_id')
    .innerJoin('slots', 'slots.id', 'bookings.slot_id')
    .select(['bookings.id', 'bookings.slot_id', 'bookings.status', 'bookings.starts_at', 'bookings.ends_at', 'bookings.territory_id',
      'bookings.client_id', 'bookings.professional_id', 'bookings.hold_id', 'bookings.request_id', 'bookings.created_at',
      'bookings.cancelled_at', 'bookings.cancel_reason', 'bookings.patient', 'bookings.patient_purged_at',
      'professionals.rpps', 'professionals.given_name', 'professionals.family_name', 'territories.time_zone', 'slots.modality']);
}

/** Restricts a booking query to what this client may see. */
export function visibleTo<Q extends BookingQuery>(query: Q, client: AuthenticatedClient): Q {
  let q = query.where('bookings.territory_id', 'in', client.territories) as Q;
  if (client.role === 'professional') q = q.where('bookings.professional_id', '=', client.professionalId ?? '00000000-0000-0000-0000-000000000000') as Q;
  else if (client.role !== 'coordinator') q = q.where('bookings.client_id', '=', client.id) as Q;
  return q;
}

type Row = Awaited<ReturnType<ReturnType<typeof selectBookings>['executeTakeFirstOrThrow']>>;

export function toStoredBooking(row: Row): StoredBooking {
  return {
    id: row.id, slotId: row.slot_id, status: row.status, start: row.starts_at, end: row.ends_at,
    rpps: row.rpps, professionalName: `${row.given_name} ${row.family_name}`, timeZone: row.time_zone,
    territoryId: row.territory_id, modality: row.modality, holdId: row.hold_id, requestId: row.request_id,
    createdAt: row.created_at, cancelledAt: row.cancelled_at, cancelReason: row.cancel_reason,
    patient: (row.patient as Patient | null) ?? null, patientPurgedAt: row.patient_purged_at,
    clientId: row.client_id, professionalId: row.professional_id,
  };
}
