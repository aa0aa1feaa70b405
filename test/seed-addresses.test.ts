// Demo sites carry a postal address the SAS Location profile accepts
// (FrLocationAgregateur: line, city, postal code), stored as text that the
// FHIR layer reads back (src/sas/storage/practice-directory.ts).
import t from 'tap';
import { formatSiteAddress, parseSiteAddress } from '../src/db/site-address.js';
import { demoTerritories } from '../src/seed/index.js';

t.test('every demo site has a street, its commune\'s postal code and name, and round-trips through the stored text', async (t) => {
  const problems: string[] = [];
  let sites = 0;
  for (const territory of demoTerritories()) {
    const communes = new Map(territory.communes.map((c) => [c.code, c]));
    for (const p of territory.professionals) {
      for (const site of p.sites) {
        sites++;
        const commune = communes.get(site.commune)!;
        const { line, postalCode, city } = site.address;
        if (!/^\d{1,3} \S/.test(line)) problems.push(`${site.key}: line ${line}`);
        if (!/^\d{5}$/.test(postalCode) || postalCode !== commune.postalCode) problems.push(`${site.key}: postal code ${postalCode}`);
        if (city !== commune.name) problems.push(`${site.key}: city ${city}`);
        if (territory.id === 'nord-reunion' && !postalCode.startsWith('974')) problems.push(`${site.key}: ${postalCode} is not in La Réunion`);
        t.same(parseSiteAddress(formatSiteAddress(site.address)), site.address, site.key);
      }
    }
  }
  t.same(problems, [], `${sites} sites`);
  t.equal(demoTerritories()[0]!.professionals[0]!.sites[0]!.address.postalCode.length, 5);
  t.same(demoTerritories().map((x) => x.professionals[0]!.sites[0]!.address), demoTerritories().map((x) => x.professionals[0]!.sites[0]!.address), 'the same on every call');
  t.equal(parseSiteAddress('no comma 69200'), undefined, 'free text that is not "<street>, <postal code> <city>" is no address');
  t.equal(parseSiteAddress(null), undefined);
});
