// The answer to the SAS Slot search: a searchset Bundle conforming to
// sas-cpts-bundle-aggregator, shaped like the IG example Bundle-ExampleBundleCPTS
// ("CPTS - Recherche des créneaux"): the matching Slots, then every resource the
// _include / _include:iterate parameters pull in, each exactly once.

import { PROFILE, SLOT_INCLUDES, type SlotInclude } from './constants.js';
import type { ProfessionalInput, SiteInput, SlotInput } from './model.js';
import { buildHealthcareService, buildOrganization, healthcareServiceId, organizationId } from './organization.js';
import {
  buildPractitioner, buildPractitionerRole, buildSchedule, practitionerId,
} from './practitioner.js';
import { scheduleId } from './ids.js';
import { buildSlot, servicesOf } from './slot.js';
import type { Bundle, BundleEntry, BundleLink, OperationOutcome, OutcomeEntry, Practitioner, Schedule, Slot, SlotSearchResource } from './types.js';

export interface SearchBundleContext {
  /** Our FHIR base, without trailing slash, e.g. "https://cpts.example/fhir". */
  baseUrl: string;
  /** The request URL as received; becomes the "self" link. */
  selfUrl: string;
}

/** The searchset with an outcome entry saying why it matched less than asked (R4 search.mode "outcome"). */
export function withOutcomeEntry<R>(bundle: Bundle<R>, outcome: OperationOutcome | undefined): Bundle<R, OutcomeEntry> {
  if (outcome === undefined) return bundle;
  return { ...bundle, entry: [...(bundle.entry ?? []), { resource: outcome, search: { mode: 'outcome' } }] };
}

export interface SlotSearchBundleOptions extends SearchBundleContext {
  /** Identifier system of our site ids (contained Location.identifier). */
  siteIdentifierSystem: string;
  /** The includes the search asked for; all four by default. */
  includes?: Iterable<SlotInclude>;
  id?: string;
  /**
   * When the slots given are one page of a larger answer (_count): the number
   * of matches in all, and the page's next / previous links.
   */
  page?: { total: number; next?: string | undefined; previous?: string | undefined } | undefined;
}

type IncludeBuilder = () => SlotSearchResource;

/** Collects included resources once each, in first-reference order, building each lazily. */
class IncludeSet {
  private readonly byKey = new Map<string, SlotSearchResource>();
  add(type: SlotSearchResource['resourceType'], id: string, build: IncludeBuilder): void {
    const key = `${type}/${id}`;
    if (!this.byKey.has(key)) this.byKey.set(key, build());
  }
  values(): IterableIterator<SlotSearchResource> {
    return this.byKey.values();
  }
}

function entry<R extends { resourceType: string; id: string }>(
  baseUrl: string, resource: R, mode: 'match' | 'include',
): BundleEntry<R> {
  return { fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`, resource, search: { mode } };
}

export function buildSlotSearchBundle(
  slots: readonly SlotInput[], options: SlotSearchBundleOptions,
): Bundle<SlotSearchResource> {
  const wanted = new Set<SlotInclude>(options.includes ?? SLOT_INCLUDES);
  // _include:iterate only walks resources that an earlier include brought in.
  const withSchedule = wanted.has('Slot:schedule');
  const withActors = withSchedule && wanted.has('Schedule:actor');
  const withService = wanted.has('Slot:service-type-reference');
  const withOrganization = withService && wanted.has('HealthcareService:organization');

  const matches = new Map<string, Slot>();
  const included = new IncludeSet();
  for (const slot of slots) {
    if (matches.has(slot.id)) continue;
    matches.set(slot.id, buildSlot(slot));
    const { professional, site, territory } = slot;
    if (withSchedule) {
      const id = scheduleId(professional.id, site.id);
      included.add('Schedule', id, () => buildSchedule(professional, site));
      if (withActors) {
        included.add('Practitioner', practitionerId(professional), () => buildPractitioner(professional));
        included.add('PractitionerRole', id,
          () => buildPractitionerRole(professional, site, territory, options.siteIdentifierSystem));
      }
    }
    if (withService) {
      for (const service of servicesOf(slot)) {
        included.add('HealthcareService', healthcareServiceId(service), () => buildHealthcareService(service));
        if (withOrganization) {
          included.add('Organization', organizationId(service), () => buildOrganization(service));
        }
      }
    }
  }

  const entries: Array<BundleEntry<SlotSearchResource>> = [];
  for (const slot of matches.values()) entries.push(entry(options.baseUrl, slot, 'match'));
  for (const resource of included.values()) entries.push(entry(options.baseUrl, resource, 'include'));

  const link: [BundleLink, ...BundleLink[]] = [{ relation: 'self', url: options.selfUrl }];
  if (options.page?.next !== undefined) link.push({ relation: 'next', url: options.page.next });
  if (options.page?.previous !== undefined) link.push({ relation: 'previous', url: options.page.previous });
  return {
    resourceType: 'Bundle',
    ...(options.id ? { id: options.id } : {}),
    // The CPTS bundle profile needs at least one Slot, Schedule, Practitioner
    // and PractitionerRole (entry min 4), and allows one link (self): an empty
    // answer, or a page with paging links, does not claim it.
    ...(matches.size > 0 && link.length === 1 ? { meta: { profile: [PROFILE.bundle] } } : {}),
    type: 'searchset',
    total: options.page?.total ?? matches.size,
    link,
    // FHIR JSON forbids empty arrays.
    ...(entries.length > 0 ? { entry: entries } : {}),
  };
}

/** GET /fhir/Practitioner?identifier=…: a plain searchset of FrPractitionerAgregateur. */
export function buildPractitionerSearchBundle(
  professionals: readonly ProfessionalInput[], context: SearchBundleContext,
): Bundle<Practitioner> {
  const unique = new Map<string, Practitioner>();
  for (const p of professionals) if (!unique.has(p.id)) unique.set(p.id, buildPractitioner(p));
  const entries = [...unique.values()].map((p) => entry(context.baseUrl, p, 'match'));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: unique.size,
    link: [{ relation: 'self', url: context.selfUrl }],
    ...(entries.length > 0 ? { entry: entries } : {}),
  };
}

/** GET /fhir/Schedule?actor=…: a plain searchset of FrScheduleAgregateur, one per professional and site. */
export function buildScheduleSearchBundle(
  practices: ReadonlyArray<{ professional: ProfessionalInput; site: SiteInput }>, context: SearchBundleContext,
): Bundle<Schedule> {
  const unique = new Map<string, Schedule>();
  for (const { professional, site } of practices) {
    const id = scheduleId(professional.id, site.id);
    if (!unique.has(id)) unique.set(id, buildSchedule(professional, site));
  }
  const entries = [...unique.values()].map((s) => entry(context.baseUrl, s, 'match'));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: unique.size,
    link: [{ relation: 'self', url: context.selfUrl }],
    ...(entries.length > 0 ? { entry: entries } : {}),
  };
}
