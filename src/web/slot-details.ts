// One slot as GET /v1/slots/:id tells it (slot, professional, place, territory): read by the
// Régulation page (the SAS booking link) and by the counter's printable confirmation (the address).
import { api } from './api.js';

export interface SlotDetail {
  slot: { id: string; start: string; end: string; modality: string; available: boolean };
  professional: { rpps: string; name: string; profession: string };
  site: { commune: string; communeName?: string; address?: string };
  territory: { id: string; name?: string; timeZone: string };
}

export type Loaded = { kind: 'slot'; detail: SlotDetail } | { kind: 'introuvable' } | { kind: 'erreur' };

export async function loadSlot(id: string): Promise<Loaded> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return { kind: 'introuvable' };
  const response = await api(`/v1/slots/${encodeURIComponent(id)}`).catch(() => null);
  if (response === null) return { kind: 'erreur' };
  if (response.status === 404) return { kind: 'introuvable' };
  if (!response.ok) return { kind: 'erreur' };
  return { kind: 'slot', detail: (await response.json()) as SlotDetail };
}
