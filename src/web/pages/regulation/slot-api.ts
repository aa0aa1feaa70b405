// The Régulation page's calls: the slot (GET /v1/slots/:id), the next free ones
// (POST /v1/match) and the booking (POST /v1/bookings, idempotent by its key).
import { api } from '../../api.js';
import type { SlotDetail } from '../../slot-details.js';

export { loadSlot, type Loaded, type SlotDetail } from '../../slot-details.js';

export interface Candidate {
  slot: { id: string; start: string; end: string; modality: string };
  professional: { name: string; profession: string };
  site: { commune: string };
  distanceKm?: number;
}

export interface Patient { name: string; phone: string; age?: number; sex?: 'female' | 'male' }

/** The next free slots of the same profession in the territory (the link's slot is gone). */
export async function nextSlots(detail: SlotDetail): Promise<Candidate[]> {
  const response = await api('/v1/match', {
    method: 'POST',
    body: JSON.stringify({ territory: detail.territory.id, professions: [detail.professional.profession], limit: 3 }),
  }).catch(() => null);
  if (response === null || !response.ok) return [];
  return ((await response.json()) as { candidates: Candidate[] }).candidates;
}

export type BookingAnswer =
  | { kind: 'reserve'; bookingId: string }
  | { kind: 'pris'; alternatives: Candidate[] }
  | { kind: 'champ'; fields: string[] }
  | { kind: 'session' }
  | { kind: 'erreur' };

export async function book(slotId: string, patient: Patient, idempotencyKey: string): Promise<BookingAnswer> {
  const response = await api('/v1/bookings', {
    method: 'POST', headers: { 'idempotency-key': idempotencyKey }, body: JSON.stringify({ slotId, patient }),
  }).catch(() => null);
  if (response === null) return { kind: 'erreur' };
  const body = await response.json().catch(() => ({})) as { booking?: { id: string }; alternatives?: Candidate[]; errors?: { field: string }[] };
  if (response.status === 201) return { kind: 'reserve', bookingId: body.booking?.id ?? '' };
  if (response.status === 409) return { kind: 'pris', alternatives: body.alternatives ?? [] };
  if (response.status === 400) return { kind: 'champ', fields: (body.errors ?? []).map((e) => e.field) };
  if (response.status === 401) return { kind: 'session' };
  return { kind: 'erreur' };
}
