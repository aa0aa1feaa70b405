// The Slot search Bundle against the IG's own example (Bundle-ExampleBundleCPTS
// in ans.fhir.fr.sas 1.1.0), and include completeness on larger answers.

import t, { type Test } from 'tap';
import { rppsFromPrefix } from '../src/core/rpps.js';
import { buildPractitionerSearchBundle, buildSlotSearchBundle } from '../src/sas/resources/bundle.js';
import { PROFILE, SLOT_INCLUDES } from '../src/sas/resources/constants.js';
import type { ProfessionalInput, SiteInput, SlotInput, TerritoryInput } from '../src/sas/resources/model.js';
import { parseSlotSearchParams } from '../src/sas/resources/slot-search-params.js';
import type { Bundle, SlotSearchResource } from '../src/sas/resources/types.js';
import { igFile } from './helpers/ig-package.js';


// --- the IG example situation: Dr Pierre Foret, CPTS Axe Majeur, 12 June 2024 16:40-17:00 ---
const axeMajeur: TerritoryInput = {
  id: 'axe-majeur', name: 'CPTS AXE MAJEUR', timeZone: 'Europe/Paris',
  organisation: { idnst: '1950047225', phone: '+33102030405' },
};
const foret: ProfessionalInput = {
  id: 'foret', rpps: '10002909371', name: { family: 'Foret', given: ['Pierre'] },
  profession: 'gp', skills: [], phone: '+33561855977',
};
const aussonne: SiteInput = {
  id: '123456789', commune: '31032', lat: 43.6817, lon: 1.3247,
  address: { line: '25 CHEMIN DE MOUNESTIE', city: 'Aussonne', postalCode: '31840' },
};
const igSlot: SlotInput = {
  id: 'ExampleSlotCPTS1', start: new Date('2024-06-12T14:40:00Z'), end: new Date('2024-06-12T15:00:00Z'),
  modality: 'office', professional: foret, site: aussonne, territory: axeMajeur,
};
// The request of the IG's "CPTS - Recherche des créneaux" page, for this practitioner.
const igQuery = '_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference'
  + '&_include:iterate=HealthcareService:organization&start=ge2024-06-12T16:20:00.000+02:00'
  + '&start=le2024-06-12T17:20:00.000+02:00'
  + '&schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|810002909371&status=free';
const BASE = 'https://cpts.example/fhir';
const SITE_SYSTEM = 'https://cpts.example/fhir/site-id';

/** Leaf paths of a JSON value, arrays collapsed: "serviceType[].coding[].code". */
function paths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, p: string): void => {
    if (Array.isArray(v)) v.forEach((item) => walk(item, `${p}[]`));
    else if (v !== null && typeof v === 'object') for (const [k, child] of Object.entries(v)) walk(child, p ? `${p}.${k}` : k);
    else out.add(p);
  };
  walk(value, prefix);
  return out;
}

/** "Slot -> HealthcareService" style edges of every reference in a resource. */
function referenceEdges(resource: any): string[] {
  const edges: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'reference' && typeof child === 'string') {
          edges.push(`${resource.resourceType} -> ${child.startsWith('#') ? '#contained' : child.split('/').at(-2)}`);
        } else walk(child);
      }
    }
  };
  walk({ ...resource, contained: undefined });
  return edges.sort();
}

function assertReferencesResolve(t: Test, bundle: Bundle<SlotSearchResource>): void {
  const present = new Set((bundle.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  for (const e of bundle.entry ?? []) {
    const resource: any = e.resource;
    const containedIds = new Set((resource.contained ?? []).map((c: any) => `#${c.id}`));
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (k === 'reference' && typeof child === 'string') {
            const ok = child.startsWith('#') ? containedIds.has(child) : present.has(child);
            if (!ok) t.fail(`${resource.resourceType}/${resource.id} -> ${child} does not resolve`);
          } else if (k !== 'contained') walk(child);
        }
      }
    };
    walk(resource);
  }
  t.equal(new Set(present).size, (bundle.entry ?? []).length, 'each resource appears once');
}

t.test('the IG example situation gives the shape of Bundle-ExampleBundleCPTS', async (t) => {
  const ig = igFile('example/Bundle-ExampleBundleCPTS.json');
  const search = parseSlotSearchParams(igQuery);
  if (!search.ok) throw new Error(JSON.stringify(search.issues));
  t.same(search.value.rpps, ['10002909371']);
  const ours = buildSlotSearchBundle([igSlot], {
    baseUrl: BASE, selfUrl: `${BASE}/Slot?${igQuery}`, siteIdentifierSystem: SITE_SYSTEM, includes: search.value.includes,
  });

  t.equal(ours.type, 'searchset');
  t.equal(ours.total, ig.total);
  t.same(ours.meta?.profile, ig.meta.profile);
  t.equal(ours.link.length, 1);
  t.equal(ours.link[0].relation, 'self');
  const entries = ours.entry ?? [];
  t.same(entries.map((e) => e.resource.resourceType), ig.entry.map((e: any) => e.resource.resourceType),
    'same resources in the same order');
  t.same(entries.map((e) => e.resource.meta.profile), ig.entry.map((e: any) => e.resource.meta.profile), 'same profiles');
  t.same(entries.map((e) => referenceEdges(e.resource)), ig.entry.map((e: any) => referenceEdges(e.resource)),
    'same include structure');
  t.same(entries.map((e) => e.search.mode), ['match', 'include', 'include', 'include', 'include', 'include']);
  for (const e of entries) t.equal(e.fullUrl, `${BASE}/${e.resource.resourceType}/${e.resource.id}`);
  assertReferencesResolve(t, ours);

  // Every element the IG example fills, we fill, but for what we deliberately leave out.
  const notEmitted = new Set([
    'Slot:comment', // booking URL for a human; the SAS books us through FHIR
    'Slot:serviceType[].text', // a free-text motive ("Visite de contrôle"); SNP slots have none
  ]);
  ig.entry.forEach((igEntry: any, i: number) => {
    const type = igEntry.resource.resourceType;
    const ourPaths = paths(entries[i]?.resource);
    for (const p of paths(igEntry.resource)) {
      if (!notEmitted.has(`${type}:${p}`)) t.ok(ourPaths.has(p), `${type}.${p} is filled`);
    }
  });

  const [slot] = entries;
  const igSlotResource = ig.entry[0].resource;
  t.equal((slot?.resource as any).start, igSlotResource.start, 'start printed like the IG: 2024-06-12T16:40:00.000+02:00');
  t.equal((slot?.resource as any).end, igSlotResource.end);
  t.same((slot?.resource as any).serviceType.slice(0, 2), igSlotResource.serviceType.slice(0, 2).map((s: any, i: number) =>
    (i === 1 ? { ...s, extension: [{ ...s.extension[0], valueReference: { reference: 'HealthcareService/axe-majeur' } }] } : s)));
  t.same((slot?.resource as any).specialty, igSlotResource.specialty, 'GP specialty SM54 (TRE_R38)');
  t.same((slot?.resource as any).appointmentType, igSlotResource.appointmentType);
  t.same((slot?.resource as any).meta.security.map((c: any) => c.code), ['CPTS'], 'CPTS alone (the kit\'s cpts_validate_meta)');
  const practitioner: any = entries[2]?.resource;
  t.same(practitioner.identifier, ig.entry[2].resource.identifier, 'IDNPS identifier as in the IG');
  const organization: any = entries[5]?.resource;
  t.same(organization.identifier, ig.entry[5].resource.identifier, 'CPTS IDNST identifier as in the IG');
  const role: any = entries[3]?.resource;
  t.same(role.contained[0].address, { ...ig.entry[3].resource.contained[0].address, country: 'FR' });
});

// --- a bigger answer: many professionals, sites, territories ---
const reunion: TerritoryInput = {
  id: 'nord-reunion', name: 'CPTS Nord Réunion', timeZone: 'Indian/Reunion', organisation: { idnst: '1970000001' },
};
const professions = ['gp', 'nurse', 'physio', 'paediatrician', 'midwife'] as const;
function professional(i: number): ProfessionalInput {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, rpps: rppsFromPrefix(String(1000000000 + i)),
    name: { family: `Nom${i}`, given: [`Prénom${i}`] }, profession: professions[i % professions.length]!, skills: [],
  };
}
function site(i: number): SiteInput {
  return { id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`, commune: '17306', lat: 45.62, lon: -1.02 };
}
function slots(count: number, professionalCount: number): SlotInput[] {
  const out: SlotInput[] = [];
  for (let i = 0; i < count; i++) {
    const p = i % professionalCount;
    const start = Date.UTC(2025, 0, 6, 13, 0) + i * 15 * 60_000;
    out.push({
      id: `slot-${i}`, start, end: start + 15 * 60_000, modality: (['office', 'home', 'video'] as const)[i % 3]!,
      professional: professional(p), site: site(p % 2 === 0 ? p : p + 100 + (i % 2)), territory: p % 3 === 0 ? reunion : axeMajeur,
    });
  }
  return out;
}

t.test('include completeness: every reference resolves, each resource once', async (t) => {
  const input = slots(200, 25);
  const bundle = buildSlotSearchBundle(input, { baseUrl: BASE, selfUrl: `${BASE}/Slot?x`, siteIdentifierSystem: SITE_SYSTEM });
  t.equal(bundle.total, 200);
  const byType = new Map<string, number>();
  for (const e of bundle.entry ?? []) byType.set(e.resource.resourceType, (byType.get(e.resource.resourceType) ?? 0) + 1);
  const schedules = new Set(input.map((s) => `${s.professional.id}|${s.site.id}`)).size;
  t.equal(byType.get('Slot'), 200);
  t.equal(byType.get('Schedule'), schedules);
  t.equal(byType.get('PractitionerRole'), schedules);
  t.equal(byType.get('Practitioner'), 25);
  t.equal(byType.get('HealthcareService'), 2);
  t.equal(byType.get('Organization'), 2);
  t.ok((bundle.entry ?? []).every((e) => e.search.mode === (e.resource.resourceType === 'Slot' ? 'match' : 'include')));
  const firstInclude = (bundle.entry ?? []).findIndex((e) => e.search.mode === 'include');
  t.equal(firstInclude, 200, 'matches first, then includes');
  assertReferencesResolve(t, bundle);
});

t.test('the same slot given twice is one match', async (t) => {
  const bundle = buildSlotSearchBundle([igSlot, igSlot], { baseUrl: BASE, selfUrl: 's', siteIdentifierSystem: SITE_SYSTEM });
  t.equal(bundle.total, 1);
  t.equal(bundle.entry?.length, 6);
});

t.test('includes are honoured, iterate only over what was included', async (t) => {
  const build = (includes: Array<(typeof SLOT_INCLUDES)[number]>) => buildSlotSearchBundle(slots(10, 4), {
    baseUrl: BASE, selfUrl: 's', siteIdentifierSystem: SITE_SYSTEM, includes,
  });
  const types = (b: Bundle<SlotSearchResource>) => [...new Set((b.entry ?? []).map((e) => e.resource.resourceType))];
  t.same(types(build([])), ['Slot']);
  t.same(types(build(['Slot:schedule'])), ['Slot', 'Schedule']);
  t.same(types(build(['Schedule:actor', 'HealthcareService:organization'])), ['Slot'], 'iterate needs its source included');
  t.same(types(build(['Slot:service-type-reference'])), ['Slot', 'HealthcareService']);
  t.same(types(build([...SLOT_INCLUDES])),
    ['Slot', 'Schedule', 'Practitioner', 'PractitionerRole', 'HealthcareService', 'Organization']);
  // Whatever is included resolves; references to what was not asked for are expected to dangle.
  const partial = build(['Slot:schedule', 'Schedule:actor']);
  t.ok((partial.entry ?? []).every((e) => e.resource.resourceType !== 'Organization'));
});

t.test('an empty answer: total 0, no entry, no CPTS profile claim', async (t) => {
  const bundle = buildSlotSearchBundle([], { baseUrl: BASE, selfUrl: `${BASE}/Slot?q`, siteIdentifierSystem: SITE_SYSTEM });
  t.equal(bundle.total, 0);
  t.notOk('entry' in bundle);
  t.notOk('meta' in bundle, 'sas-cpts-bundle-aggregator needs at least 4 entries');
  t.same(bundle.link, [{ relation: 'self', url: `${BASE}/Slot?q` }]);
});

t.test('the bundle profile is claimed whenever there are matches', async (t) => {
  const bundle = buildSlotSearchBundle(slots(3, 3), { baseUrl: BASE, selfUrl: 's', siteIdentifierSystem: SITE_SYSTEM, id: 'b1' });
  t.same(bundle.meta?.profile, [PROFILE.bundle]);
  t.equal(bundle.id, 'b1');
});

t.test('Practitioner search bundle', async (t) => {
  const bundle = buildPractitionerSearchBundle([foret, foret], { baseUrl: BASE, selfUrl: `${BASE}/Practitioner?identifier=x` });
  t.equal(bundle.total, 1);
  t.equal(bundle.entry?.[0]?.fullUrl, `${BASE}/Practitioner/foret`);
  t.same(bundle.entry?.[0]?.resource.identifier[0]?.value, '810002909371');
  t.equal(buildPractitionerSearchBundle([], { baseUrl: BASE, selfUrl: 's' }).total, 0);
});

t.test('a 25-practitioner, 48-hour answer builds fast', async (t) => {
  // 25 professionals × 6 h × 2 days of 15-minute slots = 1,200 matches. Best of
  // five runs, so a busy CI machine does not fail it; the SAS allows 1 s in all.
  const input = slots(1200, 25);
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const bundle = buildSlotSearchBundle(input, { baseUrl: BASE, selfUrl: 's', siteIdentifierSystem: SITE_SYSTEM });
    best = Math.min(best, performance.now() - started);
    if (run === 0) t.equal(bundle.total, 1200);
  }
  t.ok(best < 250, `built in ${best.toFixed(1)} ms`);
});
