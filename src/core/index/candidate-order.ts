// The order of an answer: earliest start, then nearest (no distance last),
// then slot id, so equal queries always give equal answers.
import type { Candidate } from './free-slot.js';

/** Order among candidates that start at the same instant. */
export function compareSameStart(a: Candidate, b: Candidate): number {
  const da = a.distanceKm;
  const db = b.distanceKm;
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    if (da < db) return -1;
    if (da > db) return 1;
  }
  return compareIds(a.slot.id, b.slot.id);
}

export function compareCandidates(a: Candidate, b: Candidate): number {
  return a.slot.start - b.slot.start || compareSameStart(a, b);
}

/** Code-unit order of slot ids: the final, deterministic tie-break. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
