import { createRequire } from 'node:module';
import t from 'tap';
import { MODALITIES, PROFESSIONS } from '../src/core/domain.js';
import { isValidRpps, luhnCheckDigit } from '../src/core/rpps.js';
import { bandRuleProblems, bandsMayOverlap, formatLocalIso, materialiseBand } from '../src/core/time/index.js';
import { DEMO_SKILLS, type DemoTerritory, demoTerritories, distanceKm } from '../src/seed/index.js';
import centresFile from '../src/seed/commune-centres.json' with { type: 'json' };

// The official data, read here independently of src/seed.
const requireData = createRequire(import.meta.url);
const inseeCommunes = requireData('@etalab/decoupage-administratif/data/communes.json') as Array<{ code: string; nom: string; type: string; population?: number }>;
const inseeEpcis = requireData('@etalab/decoupage-administratif/data/epci.json') as Array<{ code: string; membres: Array<{ code: string }> }>;
const currentCommune = (code: string) => inseeCommunes.find((c) => c.code === code && c.type === 'commune-actuelle');
const epciMembers = (code: string) => inseeEpcis.find((e) => e.code === code)!.membres.map((m) => m.code);

const territories = demoTerritories();
const byId = (id: string) => territories.find((x) => x.id === id) as DemoTerritory;
const allProfessionals = territories.flatMap((x) => x.professionals);

t.test('the three territories of SPEC §7 with their zones and policy', async (t) => {
  t.same(territories.map((x) => [x.id, x.name, x.timeZone]), [
    ['royan-atlantique', 'CPTS Royan Atlantique', 'Europe/Paris'],
    ['venissieux', 'CPTS Vénissieux', 'Europe/Paris'],
    ['nord-reunion', 'CPTS Nord Réunion', 'Indian/Reunion'],
  ]);
  for (const x of territories) {
    t.same(x.policy, { horizonHours: 48, holdTtlSeconds: 180, ackDeadlineSeconds: 600 }, `${x.id} policy`);
    t.match(x.id, /^[a-z0-9][a-z0-9-]{1,62}$/, 'id fits the territories table');
  }
});

t.test('commune codes, names and populations come from the INSEE package', async (t) => {
  const royan = byId('royan-atlantique').communes.map((c) => c.code);
  t.equal(royan.length, 33);
  t.same([...royan].sort(), [...epciMembers('241700640')].sort(), 'exactly the members of EPCI 241700640');
  t.same(byId('venissieux').communes.map((c) => c.code), ['69259']);
  t.same(byId('nord-reunion').communes.map((c) => [c.code, c.name]), [['97411', 'Saint-Denis'], ['97418', 'Sainte-Marie'], ['97420', 'Sainte-Suzanne']]);
  t.same([...epciMembers('249740119')].sort(), ['97411', '97418', '97420'], 'CINOR in the package');
  const ours = territories.flatMap((x) => x.communes).map((c) => [c.code, c.name, c.population]);
  const official = ours.map(([code]) => currentCommune(code as string)).map((c) => [c?.code, c?.nom, c?.population]);
  t.same(ours, official, 'names and populations as in the package, all current communes');
  t.equal(new Set(territories.flatMap((x) => x.communes.map((c) => c.code))).size, 37, 'no commune in two territories');
});

t.test('commune centres: one per demo commune, named as INSEE names it, in the right region', async (t) => {
  const centres = centresFile.centres as Record<string, { name: string; lat: number; lon: number }>;
  t.same(Object.keys(centres).sort(), territories.flatMap((x) => x.communes.map((c) => c.code)).sort());
  t.same(Object.entries(centres).map(([code, c]) => [code, c.name]), Object.keys(centres).map((code) => [code, currentCommune(code)?.nom]), 'each centre names its commune');
  const inBox = (id: string, lat: [number, number], lon: [number, number]) => {
    const outside = byId(id).communes.filter((c) => !(c.centre.lat > lat[0] && c.centre.lat < lat[1] && c.centre.lon > lon[0] && c.centre.lon < lon[1]));
    t.same(outside.map((c) => c.name), [], `every centre lies in ${id}'s area`);
  };
  inBox('royan-atlantique', [45.45, 45.80], [-1.20, -0.72]);
  inBox('venissieux', [45.68, 45.72], [4.86, 4.92]);
  inBox('nord-reunion', [-20.95, -20.85], [55.40, 55.65]);
  // Neighbouring centres are a few km apart, never on top of each other nor across the region.
  t.ok(distanceKm(byId('royan-atlantique').communes.find((c) => c.code === '17306')!.centre, byId('royan-atlantique').communes.find((c) => c.code === '17333')!.centre) < 4, 'Royan and Saint-Georges-de-Didonne are neighbours');
});

t.test('head counts', async (t) => {
  t.equal(byId('venissieux').professionals.length, 154, 'Vénissieux: its 154 professionals');
  const royan = byId('royan-atlantique').professionals.length;
  t.ok(royan >= 60 && royan <= 120, `Royan Atlantique: ${royan} professionals on SNP duty (of the 661 in the CPTS)`);
  t.ok(byId('nord-reunion').professionals.length > 30, 'Nord Réunion has a realistic team');
  for (const x of territories) {
    const share = x.professionals.filter((p) => ['gp', 'nurse', 'physio'].includes(p.profession)).length / x.professionals.length;
    t.ok(share > 0.85, `${x.id}: mostly GPs, nurses and physios`);
    t.ok(x.professionals.some((p) => p.profession === 'paediatrician'), `${x.id}: a paediatrician`);
    t.ok(x.professionals.some((p) => p.profession === 'midwife'), `${x.id}: a midwife`);
  }
});

t.test('RPPS numbers are valid and unique across territories', async (t) => {
  const numbers = allProfessionals.map((p) => p.rpps);
  t.ok(numbers.every(isValidRpps), 'all pass the Luhn check');
  t.equal(new Set(numbers).size, numbers.length, 'no number used twice');
  t.ok(numbers.every((n) => n.startsWith('19')), 'outside the range of real RPPS numbers');
});

t.test('professionals are plausible and use the product vocabulary', async (t) => {
  for (const x of territories) {
    const names = x.professionals.map((p) => `${p.givenName} ${p.familyName}`);
    t.equal(new Set(names).size, names.length, `${x.id}: no two professionals share a name`);
  }
  const problems: string[] = [];
  for (const p of allProfessionals) {
    if (!(PROFESSIONS as readonly string[]).includes(p.profession)) problems.push(`profession ${p.profession}`);
    if (!/^\p{Lu}[\p{L}' -]+$/u.test(p.givenName) || !/^\p{Lu}[\p{L}' -]+$/u.test(p.familyName)) problems.push(`name ${p.givenName} ${p.familyName}`);
    if (!p.skills.every((s) => (DEMO_SKILLS as readonly string[]).includes(s))) problems.push(`skills ${p.skills.join()}`);
    if (p.modalities.length === 0 || !p.modalities.every((m) => (MODALITIES as readonly string[]).includes(m))) problems.push(`modalities ${p.modalities.join()}`);
  }
  t.same(problems, [], 'professions, names, skills and modalities');
  t.ok(allProfessionals.filter((p) => p.profession === 'paediatrician').every((p) => p.skills.includes('paediatrics')), 'paediatricians do paediatrics');
  t.ok(allProfessionals.some((p) => p.profession === 'gp' && p.skills.includes('sutures')), 'some GPs do sutures');
  t.ok(allProfessionals.some((p) => p.profession === 'nurse' && p.modalities.includes('home')), 'nurses make home visits');
  t.ok(allProfessionals.some((p) => p.profession === 'gp' && p.modalities.includes('video')), 'some GPs offer video');
  t.ok(allProfessionals.some((p) => p.sites.length === 2), 'some practise at two sites');
});

t.test('every site is in its territory, near its commune centre', async (t) => {
  const problems: string[] = [];
  let farthest = 0;
  for (const x of territories) {
    const communes = new Map(x.communes.map((c) => [c.code, c]));
    for (const p of x.professionals) {
      if (p.sites.length < 1 || p.sites.length > 2) problems.push(`${p.rpps}: ${p.sites.length} sites`);
      if (new Set(p.sites.map((s) => s.key)).size !== p.sites.length) problems.push(`${p.rpps}: duplicate site keys`);
      for (const site of p.sites) {
        const commune = communes.get(site.commune);
        if (!commune) {
          problems.push(`${p.rpps}: site in ${site.commune}, outside ${x.id}`);
          continue;
        }
        const km = distanceKm(commune.centre, site);
        farthest = Math.max(farthest, km);
        if (km > 2.5) problems.push(`${p.rpps}: site ${km.toFixed(2)} km from the centre of ${commune.name}`);
      }
    }
  }
  t.same(problems, []);
  t.ok(farthest <= 2.5, `farthest site: ${farthest.toFixed(2)} km from its commune centre`);
});

t.test("bands: afternoons 14:00–20:00, valid, never overlapping, on the professional's own sites", async (t) => {
  const problems: string[] = [];
  for (const p of allProfessionals) {
    const siteKeys = new Set(p.sites.map((s) => s.key));
    const rules = p.bands.map((b) => b.rule);
    for (const band of p.bands) {
      const invalid = bandRuleProblems(band.rule);
      if (invalid.length > 0) problems.push(`${band.key}: ${invalid.join('; ')}`);
      if (!siteKeys.has(band.siteKey)) problems.push(`${band.key}: unknown site ${band.siteKey}`);
      if (!p.modalities.includes(band.modality)) problems.push(`${band.key}: modality ${band.modality} not offered`);
      if (![15, 20, 30].includes(band.rule.slotMinutes)) problems.push(`${band.key}: ${band.rule.slotMinutes}-minute slots`);
    }
    if ([...new Set(p.bands.map((b) => b.modality))].sort().join() !== [...p.modalities].sort().join()) problems.push(`${p.rpps}: not one band per modality offered`);
    if (Math.min(...rules.map((r) => Number(r.localStart.slice(0, 2)))) !== 14) problems.push(`${p.rpps}: not on call from 14:00`);
    if (Math.max(...rules.map((r) => Number(r.localEnd.slice(0, 2)))) !== 20) problems.push(`${p.rpps}: not on call until 20:00`);
    const days = new Set(rules.flatMap((r) => [...r.daysOfWeek]));
    if (![1, 2, 3, 4, 5, 6].every((d) => days.has(d))) problems.push(`${p.rpps}: not on call Monday to Saturday`);
    rules.forEach((a, i) => rules.slice(i + 1).forEach((b) => {
      if (bandsMayOverlap(a, b)) problems.push(`${p.rpps}: overlapping bands`);
    }));
  }
  t.same(problems, [], `${allProfessionals.length} professionals checked`);
  const days = allProfessionals.map((p) => new Set(p.bands.flatMap((b) => [...b.rule.daysOfWeek])).size);
  t.ok(days.includes(7) && days.includes(6), 'some work Monday–Sunday, others Monday–Saturday');
});

t.test('demo slots over the spring DST weekend stay in 14:00–20:00 local time, without overlap', async (t) => {
  const problems: string[] = [];
  for (const x of territories) {
    let count = 0;
    for (const p of x.professionals) {
      const slots = p.bands.flatMap((b) => materialiseBand(b.rule, x.timeZone, new Date('2026-03-28T00:00:00Z'), new Date('2026-03-31T00:00:00Z')))
        .sort((a, b) => a.start.getTime() - b.start.getTime());
      for (let i = 0; i < slots.length; i++) {
        const start = formatLocalIso(slots[i]!.start, x.timeZone).slice(11, 16);
        const end = formatLocalIso(slots[i]!.end, x.timeZone).slice(11, 16);
        if (start < '14:00' || end > '20:00') problems.push(`${p.rpps}: slot ${start}–${end}`);
        if (i > 0 && slots[i]!.start < slots[i - 1]!.end) problems.push(`${p.rpps}: overlapping slots`);
      }
      count += slots.length;
    }
    t.ok(count >= x.professionals.length * 24, `${x.id}: ${count} slots from Saturday 28 to Monday 30 March 2026`);
  }
  t.same(problems, []);
});

t.test('the CPTS organisation has a synthetic FINESS-shaped identifier', async (t) => {
  const departements = { 'royan-atlantique': '17', venissieux: '69', 'nord-reunion': '974' } as const;
  for (const x of territories) {
    const { finess, idnst, synthetic, name } = x.organisation;
    t.equal(name, x.name);
    t.equal(synthetic, true, 'flagged as synthetic');
    t.match(finess, /^\d{9}$/);
    t.ok(finess.startsWith(departements[x.id as keyof typeof departements]), `${x.id}: FINESS starts with its département`);
    t.equal(Number(finess[8]), luhnCheckDigit(finess.slice(0, 8)), 'Luhn key');
    t.equal(idnst, `1${finess}`, 'IDNST of a FINESS entity');
  }
});

t.test('deterministic: two calls give equal, independent data', async (t) => {
  const again = demoTerritories();
  t.same(again, territories);
  t.not(again[0], territories[0], 'fresh objects each call');
  again[0]!.professionals[0]!.skills.push('mutated');
  t.notSame(demoTerritories()[0]!.professionals[0]!.skills, again[0]!.professionals[0]!.skills, 'mutating one result leaves the next call alone');
});
