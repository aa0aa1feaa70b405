// From the index's free slots to the FHIR layer's plain inputs: the CPTS
// (territory with its IDNST), the professional (name parts), the site (address).
import { servedTerritories, type FreeSlot, type ProfessionalInfo } from '../../core/index/index.js';
import type { PersonName, PracticeLookup } from '../storage/practice-directory.js';
import type { TerritoryInfo, TerritoryLookup } from '../../usecases/territories.js';
import type { ProfessionalInput, SiteInput, SlotInput, TerritoryInput } from '../resources/model.js';

/** The CPTS Organization profile requires an IDNST "1" + FINESS. */
const CPTS_IDNST = /^1[0-9]{9}$/;

/**
 * A territory the SAS can be shown: one with its IDNST configured. Without it
 * neither the Organization nor the PractitionerRole can name the CPTS.
 */
export function territoryInput(info: TerritoryInfo | undefined): TerritoryInput | undefined {
  const idnst = info?.organisationIdentifier;
  if (info === undefined || idnst === null || idnst === undefined || !CPTS_IDNST.test(idnst)) return undefined;
  return { id: info.id, name: info.name, timeZone: info.timeZone, organisation: { idnst } };
}

/** The index's "Given Family" when the directory no longer knows the professional. */
function splitDisplayName(display: string): PersonName {
  const parts = display.trim().split(/\s+/);
  const family = parts.pop() ?? display;
  return { family, given: parts.length > 0 ? parts : [family] };
}

export interface SlotInputsResult {
  inputs: SlotInput[];
  /** Territories whose slots were left out for want of an IDNST. */
  unexposed: Set<string>;
}

/**
 * The CPTS the SAS can be shown a slot under: the territories it is offered in
 * (its own first) that have an IDNST. Empty: the slot cannot be shown.
 */
export function exposableServices(slot: FreeSlot, territories: TerritoryLookup, memo = new Map<string, TerritoryInput | undefined>()): TerritoryInput[] {
  const services: TerritoryInput[] = [];
  for (const id of servedTerritories(slot)) {
    if (!memo.has(id)) memo.set(id, territoryInput(territories.territory(id)));
    const input = memo.get(id);
    if (input !== undefined) services.push(input);
  }
  return services;
}

/** The booking link of a slot (Slot.comment, flux v2): the Régulation page of that slot. */
export function bookingLink(publicBaseUrl: string, slotId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/app/regulation?creneau=${encodeURIComponent(slotId)}`;
}

export async function slotInputs(
  slots: readonly FreeSlot[], territories: TerritoryLookup, practice: PracticeLookup, publicBaseUrl?: string,
): Promise<SlotInputsResult> {
  const unexposed = new Set<string>();
  const territoryInputs = new Map<string, TerritoryInput | undefined>();
  const kept: Array<{ slot: FreeSlot; services: TerritoryInput[] }> = [];
  for (const slot of slots) {
    const services = exposableServices(slot, territories, territoryInputs);
    if (services.length === 0) unexposed.add(slot.territoryId);
    else kept.push({ slot, services });
  }
  const details = await practice.details(kept.map((k) => k.slot.professional.id), kept.map((k) => k.slot.site.id), [...territoryInputs.keys()]);
  // The CPTS's phone (Organization.telecom) once known.
  for (const [id, territory] of territoryInputs) {
    const phone = details.organisationPhones.get(id);
    if (territory !== undefined && phone !== undefined) territoryInputs.set(id, { ...territory, organisation: { ...territory.organisation, phone } });
  }
  // One input object per professional and per site, as the bundle builder dedupes by id anyway.
  const professionals = new Map<ProfessionalInfo, ProfessionalInput>();
  const sites = new Map<string, SiteInput>();
  const inputs = kept.map(({ slot, services: bare }): SlotInput => {
    const services = bare.map((s) => territoryInputs.get(s.id) ?? s);
    const territory = services[0]!;
    let professional = professionals.get(slot.professional);
    if (professional === undefined) {
      const p = slot.professional;
      const phone = details.phones.get(p.id);
      professional = {
        id: p.id, rpps: p.rpps, name: details.names.get(p.id) ?? splitDisplayName(p.name), profession: p.profession, skills: p.skills,
        ...(phone !== undefined ? { phone } : {}),
      };
      professionals.set(slot.professional, professional);
    }
    let site = sites.get(slot.site.id);
    if (site === undefined) {
      const s = slot.site;
      const address = details.addresses.get(s.id);
      site = { id: s.id, commune: s.commune, lat: s.lat, lon: s.lon, ...(address ? { address } : {}) };
      sites.set(s.id, site);
    }
    return {
      id: slot.id, start: slot.start, end: slot.end, modality: slot.modality, professional, site, territory, services,
      ...(publicBaseUrl !== undefined ? { bookingUrl: bookingLink(publicBaseUrl, slot.id) } : {}),
    };
  });
  return { inputs, unexposed };
}
