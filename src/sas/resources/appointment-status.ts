// Appointment.status values the SAS platform uses for FrAppointmentSAS (IG 1.1.0,
// "Gestion de rendez-vous", ID 7) and our booking statuses (SPEC §3).

import type { BookingStatus } from '../../core/domain.js';

export const SAS_APPOINTMENT_STATUSES = ['booked', 'fulfilled', 'noshow', 'cancelled'] as const;
export type SasAppointmentStatus = (typeof SAS_APPOINTMENT_STATUSES)[number];

export const BOOKING_STATUS_OF: Readonly<Record<SasAppointmentStatus, BookingStatus>> = {
  booked: 'booked',
  fulfilled: 'honoured',
  noshow: 'no-show',
  cancelled: 'cancelled',
};

export const APPOINTMENT_STATUS_OF: Readonly<Record<BookingStatus, SasAppointmentStatus>> = {
  booked: 'booked',
  honoured: 'fulfilled',
  'no-show': 'noshow',
  cancelled: 'cancelled',
};
