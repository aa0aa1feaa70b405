// From the index's free slots to the FHIR layer's plain inputs: the CPTS
// (territory with its IDNST), the professional (name parts), the site (address).
import type { FreeSlot, ProfessionalInfo } from '../../core/index/index.js';
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

/** The booking link of a slot (Slot.comment, flux v2): the Régulation page of that slot. */
export function bookingLink(publicBaseUrl: string, slotId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/app/regulation?creneau=${encodeURIComponent(slotId)}`;
}

export async function slotInputs(
  slots: readonly FreeSlot[], territories: TerritoryLookup, practice: PracticeLookup, publicBaseUrl?: string,
): Promise<SlotInputsResult> {
  const unexposed = new Set<string>();
  const territoryInputs = new Map<string, TerritoryInput | undefined>();
  const kept: Array<{ slot: FreeSlot; territory: TerritoryInput }> = [];
  for (const slot of slots) {
    if (!territoryInputs.has(slot.territoryId)) territoryInputs.set(slot.territoryId, territoryInput(territories.territory(slot.territoryId)));
    const territory = territoryInputs.get(slot.territoryId);
    if (territory === undefined) unexposed.add(slot.territoryId);
    else kept.push({ slot, territory });
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
  const inputs = kept.map(({ slot, territory: bare }): SlotInput => {
    const territory = territoryInputs.get(slot.territoryId) ?? bare;
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
      id: slot.id, start: slot.start, end: slot.end, modality: slot.modality, professional, site, territory,
      ...(publicBaseUrl !== undefined ? { bookingUrl: bookingLink(publicBaseUrl, slot.id) } : {}),
    };
  });
  return { inputs, unexposed };
}
