// What the SAS appointment use cases (sas-appointments.ts) read and write
// beside bookings: the SAS's identifier of each booking it made, and the slot
// the SAS names by professional and times. Implemented by the SAS storage
// (src/sas/storage/appointment-store.ts) and wired in src/service.ts.
export interface AppointmentIdentifier { system: string; value: string }
export interface OperatorIdentifier { type: string; system: string; value: string }

export interface AppointmentLink {
  bookingId: string;
  clientId: string;
  identifier: AppointmentIdentifier;
  operator: OperatorIdentifier;
}

export interface SlotAtTimes {
  rpps: string | undefined;
  start: Date;
  end: Date;
  territories: readonly string[];
}

export interface SasAppointmentStore {
  /** This client's link of this identifier (identifiers are scoped per client); without system, on the value alone (when unambiguous). */
  findLink(clientId: string, identifier: { system?: string | undefined; value: string }): Promise<AppointmentLink | undefined>;
  /** Every client's links of this identifier (a coordinator reaching what the SAS booked in its territory), oldest first, at most 20. */
  findLinks(identifier: { system?: string | undefined; value: string }): Promise<AppointmentLink[]>;
  /** Records the link; true when this call wrote it (false: the booking or the identifier was already linked). */
  insertLink(link: AppointmentLink): Promise<boolean>;
  /** The operator who changed it last (what outbound messages and reads show). */
  recordOperator(bookingId: string, operator: OperatorIdentifier): Promise<void>;
  /** The id of the professional's slot at exactly that start and end in those territories, if any. */
  slotAt(at: SlotAtTimes): Promise<string | undefined>;
}
