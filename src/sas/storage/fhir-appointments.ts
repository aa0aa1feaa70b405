// The fhir_appointments table (sql/003_fhir_sas.sql): the SAS's identifier of
// each booking it made, for the conditional update and for outbound messages.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppointmentLink, OperatorIdentifier } from '../../usecases/sas-appointment-store.js';

export type { AppointmentIdentifier, AppointmentLink, OperatorIdentifier } from '../../usecases/sas-appointment-store.js';

interface Row { booking_id: string; client_id: string; identifier_system: string; identifier_value: string; operator: OperatorIdentifier }

const toLink = (r: Row): AppointmentLink => ({
  bookingId: r.booking_id, clientId: r.client_id,
  identifier: { system: r.identifier_system, value: r.identifier_value }, operator: r.operator,
});

/**
 * The link of this identifier among the client's own (identifiers are scoped per
 * client: sql/011); a criterion without system matches on the value alone (when unambiguous).
 */
export async function findAppointmentLink(db: Kysely<Database>, clientId: string, identifier: { system?: string | undefined; value: string }): Promise<AppointmentLink | undefined> {
  const result = identifier.system !== undefined
    ? await sql<Row>`select booking_id, client_id, identifier_system, identifier_value, operator from fhir_appointments
        where client_id = ${clientId} and identifier_system = ${identifier.system} and identifier_value = ${identifier.value}`.execute(db)
    : await sql<Row>`select booking_id, client_id, identifier_system, identifier_value, operator from fhir_appointments
        where client_id = ${clientId} and identifier_value = ${identifier.value} limit 2`.execute(db);
  return result.rows.length === 1 ? toLink(result.rows[0]!) : undefined;
}

/** Every client's links of this identifier (a criterion without system: on the value alone); the caller keeps those it may see. */
export async function findAppointmentLinks(db: Kysely<Database>, identifier: { system?: string | undefined; value: string }): Promise<AppointmentLink[]> {
  const result = identifier.system !== undefined
    ? await sql<Row>`select booking_id, client_id, identifier_system, identifier_value, operator from fhir_appointments
        where identifier_system = ${identifier.system} and identifier_value = ${identifier.value} order by created_at limit 20`.execute(db)
    : await sql<Row>`select booking_id, client_id, identifier_system, identifier_value, operator from fhir_appointments
        where identifier_value = ${identifier.value} order by created_at limit 20`.execute(db);
  return result.rows.map(toLink);
}

export async function findLinkOfBooking(db: Kysely<Database>, bookingId: string): Promise<AppointmentLink | undefined> {
  const result = await sql<Row>`select booking_id, client_id, identifier_system, identifier_value, operator from fhir_appointments
    where booking_id = ${bookingId}`.execute(db);
  return result.rows[0] === undefined ? undefined : toLink(result.rows[0]);
}

/** Records the link; true when this call wrote it (false: the booking, or this client's identifier, was already linked). */
export async function insertAppointmentLink(db: Kysely<Database>, link: AppointmentLink): Promise<boolean> {
  const result = await sql`insert into fhir_appointments (booking_id, client_id, identifier_system, identifier_value, operator)
    values (${link.bookingId}, ${link.clientId}, ${link.identifier.system}, ${link.identifier.value}, ${JSON.stringify(link.operator)}::jsonb)
    on conflict do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n) > 0;
}

/** The operator who changed it last (what outbound messages and reads show). */
export async function recordAppointmentOperator(db: Kysely<Database>, bookingId: string, operator: OperatorIdentifier): Promise<void> {
  await sql`update fhir_appointments set operator = ${JSON.stringify(operator)}::jsonb, updated_at = now()
    where booking_id = ${bookingId}`.execute(db);
}
