import type { Modality, Orientation, Profession, Sex } from '../domain.js';

/** What the caller knows about the request (SPEC §6 `POST /v1/triage`). */
export interface TriageInput {
  patient: {
    /** Age in years; fractions are truncated to completed years ("de 16 à 65 ans"). */
    age: number;
    /** Anything other than `female`/`male` is treated as `unknown`. */
    sex: Sex;
    /** Absent means "not known to be pregnant". */
    pregnant?: boolean;
  };
  /** A complaint code of the set's vocabulary; an unknown code is treated as `other`. */
  complaint: string;
  /** Red-flag codes; codes outside the set's vocabulary are ignored (validate first). */
  redFlags: readonly string[];
}

/**
 * The answer of the triage. `maxDelayMinutes` is 0 for `call-15` (act now),
 * null for `pharmacy-protocol` (handled at the counter, nothing to book) and
 * 1..2880 for `book`.
 */
export interface TriageDecision {
  orientation: Orientation;
  maxDelayMinutes: number | null;
  /** In preference order. */
  professions: Profession[];
  /** Every matched professional must have all of these. */
  skills: string[];
  modalities: Modality[];
  rule: { id: string; version: number };
  reason: string;
}

/** One problem found in a document; `path` is a JSON path such as `$.rules[3].when.ageMin`. */
export interface ValidationError {
  path: string;
  message: string;
}
