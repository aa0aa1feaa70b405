// The reference answer: a linear scan over every slot, written straight from
// the rules with no index. Tests use it as the oracle, the benchmark as the
// baseline.
import type { Candidate, FreeSlot, MatchQuery } from './free-slot.js';
import { DistanceFrom } from './geo.js';

export function matchBruteForce(slots: Iterable<FreeSlot>, q: MatchQuery): Candidate[] {
  const origin = q.near != null ? new DistanceFrom(q.near) : null;
  const maxKm = q.maxDistanceKm ?? null;
  const hits: Candidate[] = [];
  for (const slot of slots) {
    if (slot.territoryId !== q.territoryId) continue;
    if (!(slot.start >= q.from && slot.start < q.until)) continue;
    if (!q.professions.includes(slot.professional.profession)) continue;
    if (!q.skills.every((skill) => slot.professional.skills.includes(skill))) continue;
    if (q.modalities.length > 0 && !q.modalities.includes(slot.modality)) continue;
    if (q.excludeSlotIds?.has(slot.id)) continue;
    const distanceKm = origin === null ? null : origin.km(slot.site);
    if (distanceKm !== null && maxKm !== null && !(distanceKm <= maxKm)) continue;
    hits.push({ slot, distanceKm });
  }
  hits.sort(byStartDistanceId);
  return hits.slice(0, Math.max(0, Math.floor(q.limit)));
}

function byStartDistanceId(a: Candidate, b: Candidate): number {
  if (a.slot.start !== b.slot.start) return a.slot.start < b.slot.start ? -1 : 1;
  const da = a.distanceKm ?? Infinity;
  const db = b.distanceKm ?? Infinity;
  if (da < db) return -1;
  if (da > db) return 1;
  return a.slot.id < b.slot.id ? -1 : a.slot.id > b.slot.id ? 1 : 0;
}
