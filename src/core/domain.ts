// The product's vocabulary (SPEC §3 and §6). Everything else imports these
// lists, so adding a code happens in exactly one place.

export const PROFESSIONS = ['gp', 'nurse', 'physio', 'pharmacist', 'midwife', 'dentist', 'paediatrician'] as const;
export type Profession = (typeof PROFESSIONS)[number];

export const MODALITIES = ['office', 'home', 'video'] as const;
export type Modality = (typeof MODALITIES)[number];

export const SLOT_STATUSES = ['free', 'held', 'booked', 'blocked'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

export const BOOKING_STATUSES = ['booked', 'cancelled', 'no-show', 'honoured'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const ORIENTATIONS = ['call-15', 'pharmacy-protocol', 'book'] as const;
export type Orientation = (typeof ORIENTATIONS)[number];

export const COMPLAINTS = [
  'urinary-burning', 'sore-throat', 'fever', 'cough', 'ear-pain', 'back-pain', 'wound',
  'sprain', 'rash', 'abdominal-pain', 'headache', 'chest-pain', 'dyspnea', 'other',
] as const;
export type Complaint = (typeof COMPLAINTS)[number];

export const RED_FLAGS = [
  'chest-pain', 'dyspnea', 'altered-consciousness', 'neurological-deficit', 'severe-bleeding',
  'suicidal-ideation', 'fever-over-38', 'chills', 'lumbar-pain', 'vomiting', 'drooling',
  'trismus', 'immunosuppression', 'recurrent-uti',
] as const;
export type RedFlag = (typeof RED_FLAGS)[number];

export const SEXES = ['female', 'male', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** The SNP promise: nobody is matched beyond 48 hours from now. */
export const MAX_HORIZON_HOURS = 48;
