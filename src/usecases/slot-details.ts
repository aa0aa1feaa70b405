// One slot as a person about to book it needs it (the Régulation page the SAS's
// booking link opens): when, with whom, where, and whether it can still be booked.
// Read from PostgreSQL, the record: the page is opened from a link that may be old.
import { z } from 'zod';
import type { Actor } from './actor.js';
import type { UseCaseContext } from './context.js';
import { requireRole } from './scopes.js';
import { slotFromDatabase, slotNotFound } from './slot-target.js';
import { PROFESSIONS, MODALITIES } from '../core/domain.js';

export const SLOT_DETAIL_ROLES = ['regulator', 'pharmacist', 'coordinator'] as const;

export const slotDetailSchema = z.object({
  slot: z.object({
    id: z.uuid(), start: z.string(), end: z.string(), modality: z.enum(MODALITIES),
    available: z.boolean().meta({ description: 'free now (not held, booked, blocked nor started): it can be booked' }),
  }),
  professional: z.object({ rpps: z.string(), name: z.string(), profession: z.enum(PROFESSIONS) }),
  site: z.object({ commune: z.string(), communeName: z.string().optional(), address: z.string().optional(), lat: z.number(), lon: z.number() }),
  territory: z.object({ id: z.string(), name: z.string().optional(), timeZone: z.string() }),
}).meta({ id: 'SlotDetail' });

export type SlotDetail = z.infer<typeof slotDetailSchema>;

export async function slotDetail(ctx: UseCaseContext, actor: Actor, slotId: string): Promise<SlotDetail> {
  requireRole(actor.client, SLOT_DETAIL_ROLES);
  const slot = await slotFromDatabase(ctx, slotId);
  // Outside the client's territories exactly like a missing slot: nothing is learnt.
  if (slot === undefined || !actor.client.territories.includes(slot.territoryId)) throw slotNotFound(slotId, 'params.id');
  const now = ctx.now();
  const available = slot.status === 'free' && (slot.heldUntil ?? 0) <= now && slot.start > now;
  const communeName = ctx.territories.commune(slot.site.commune)?.name;
  const territoryName = ctx.territories.territory(slot.territoryId)?.name;
  return {
    slot: { id: slot.id, start: new Date(slot.start).toISOString(), end: new Date(slot.end).toISOString(), modality: slot.modality, available },
    professional: { rpps: slot.rpps, name: slot.professionalName, profession: slot.profession },
    site: {
      commune: slot.site.commune, lat: slot.site.lat, lon: slot.site.lon,
      ...(communeName !== undefined ? { communeName } : {}), ...(slot.site.address !== undefined ? { address: slot.site.address } : {}),
    },
    territory: { id: slot.territoryId, timeZone: slot.timeZone, ...(territoryName !== undefined ? { name: territoryName } : {}) },
  };
}
