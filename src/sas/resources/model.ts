// Plain input shapes of the FHIR mapping layer (IG ans.fhir.fr.sas 1.1.0, CPTS
// flow). The index / database adapters fill these; the builders never reach
// back into them, so the FHIR layer stays free of fastify and pg.

import type { BookingStatus, Modality, Profession } from '../../core/domain.js';

/** An instant as the index stores it: a Date or epoch milliseconds. */
export type Instant = Date | number;

export interface TerritoryInput {
  /** Our territory id, e.g. "royan-atlantique"; becomes the Organization / HealthcareService id. */
  id: string;
  /** The CPTS name, e.g. "CPTS Royan Atlantique". */
  name: string;
  /** IANA zone used to print every instant of this territory, e.g. "Europe/Paris". */
  timeZone: string;
  organisation: {
    /**
     * IDNST of the CPTS: "1" + its 9-digit FINESS (the CPTS Organization profile
     * enforces ^1[0-9]{9}$). Synthetic in the demo data.
     */
    idnst: string;
    phone?: string;
  };
}

export interface ProfessionalInput {
  id: string;
  /** 11 digits; the FHIR identifier is IDNPS = "8" + RPPS. */
  rpps: string;
  name: { family: string; given: readonly string[] };
  profession: Profession;
  skills: readonly string[];
  phone?: string;
}

export interface PostalAddress {
  line: string;
  city: string;
  postalCode: string;
}

export interface SiteInput {
  id: string;
  /** INSEE commune code (not a postal code). */
  commune: string;
  lat: number;
  lon: number;
  /**
   * FrLocationAgregateur requires address.line, .city and .postalCode; without
   * an address the Location only carries its position and the commune code.
   */
  address?: PostalAddress;
}

export interface SlotInput {
  id: string;
  start: Instant;
  end: Instant;
  modality: Modality;
  professional: ProfessionalInput;
  site: SiteInput;
  /** The CPTS whose zone prints the instants and which the PractitionerRole names: the first of `services`. */
  territory: TerritoryInput;
  /**
   * Every CPTS the slot is offered in (its own, then its professional's other
   * CPTS; issue 14): one "604" HealthcareService reference each on the Slot.
   * Absent: `territory` alone.
   */
  services?: readonly TerritoryInput[];
  /** Slot.comment: the link that opens this slot's booking page for a regulator (SAS flux v2, SSO). */
  bookingUrl?: string;
}

/** Who made or changed an appointment (the FrAppointmentOperator extension). */
export type AppointmentOperator =
  /** A person with a national identifier (IDNPS), e.g. a regulating doctor: "8" + RPPS. */
  | { kind: 'national'; idnps: string }
  /** A regulator without a national identifier: the SAS technical id (a UUID). */
  | { kind: 'sas-internal'; id: string }
  /** A structure, e.g. the CPTS itself when its coordinator or a pharmacist booked. */
  | { kind: 'structure'; idnst: string };

/** One of our bookings, as sent to the SAS platform as a FrAppointmentSAS. */
export interface BookingInput {
  id: string;
  status: BookingStatus;
  start: Instant;
  end: Instant;
  slotId?: string;
  professionalRpps: string;
  operator: AppointmentOperator;
  timeZone: string;
  /**
   * The Appointment.identifier to use. Bookings that came in as a SAS
   * Appointment keep the identifier the SAS knows them by; others get ours.
   */
  identifier?: { system: string; value: string };
}
