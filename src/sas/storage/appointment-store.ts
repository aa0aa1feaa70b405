// The SAS appointment use cases' store (src/usecases/sas-appointment-store.ts)
// on one database: the service's, or the FHIR channel's marking view of it.
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.js';
import type { SasAppointmentStore } from '../../usecases/sas-appointment-store.js';
import { findAppointmentLink, findAppointmentLinks, insertAppointmentLink, recordAppointmentOperator } from './fhir-appointments.js';

export function pgSasAppointments(database: DatabaseHandle): SasAppointmentStore {
  return {
    findLink: (clientId, identifier) => findAppointmentLink(database.db, clientId, identifier),
    findLinks: (identifier) => findAppointmentLinks(database.db, identifier),
    insertLink: (link) => insertAppointmentLink(database.db, link),
    recordOperator: (bookingId, operator) => recordAppointmentOperator(database.db, bookingId, operator),
    async slotAt({ rpps, start, end, territories }) {
      const rows = await sql<{ id: string }>`
    select s.id from slots s join professionals p on p.id = s.professional_id
     where p.rpps = ${rpps} and s.starts_at = ${start} and s.ends_at = ${end}
       and (s.territory_id = any(${territories}::text[]) or exists (select 1 from professional_territories pt
            where pt.professional_id = s.professional_id and pt.territory_id = any(${territories}::text[])))`.execute(database.db);
      return rows.rows[0]?.id;
    },
  };
}
