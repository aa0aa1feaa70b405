// Single resources: Slot coding per modality and profession, instants in the
// territory's offset, derived ids, the CPTS Organization, our
// CapabilityStatement against the IG's SAS-GestionnaireAgenda-CPTS, OperationOutcome.

import { formatInTimeZone } from 'date-fns-tz';
import t from 'tap';
import { PROFESSIONS } from '../src/core/domain.js';
import { buildCapabilityStatement } from '../src/sas/resources/capability-statement.js';
import { CAPABILITY, PROFILE } from '../src/sas/resources/constants.js';
import { pairId, scheduleId, unpairId } from '../src/sas/resources/ids.js';
import { formatFhirInstant, parseFhirInstant } from '../src/sas/resources/instant.js';
import type { SlotInput } from '../src/sas/resources/model.js';
import { errorOutcome, httpStatusOf, informationOutcome, operationOutcome } from '../src/sas/resources/operation-outcome.js';
import { buildHealthcareService, buildOrganization } from '../src/sas/resources/organization.js';
import { buildPractitionerRole, buildSchedule } from '../src/sas/resources/practitioner.js';
import { buildSlot, CONSULTATION_TYPE } from '../src/sas/resources/slot.js';
import { igFile } from './helpers/ig-package.js';


const slot: SlotInput = {
  id: '3f1c2b8e-9d4a-4e5f-8a7b-1c2d3e4f5a6b',
  start: new Date('2025-01-06T13:00:00Z'), end: new Date('2025-01-06T13:15:00Z'), modality: 'office',
  professional: { id: '7d0e5c3a-1b2c-4d5e-9f60-718293a4b5c6', rpps: '10002909371', name: { family: 'Martin', given: ['Anne'] }, profession: 'gp', skills: ['sutures'] },
  site: { id: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e', commune: '17306', lat: 45.6214, lon: -1.0292 },
  territory: { id: 'royan-atlantique', name: 'CPTS Royan Atlantique', timeZone: 'Europe/Paris', organisation: { idnst: '1170000001' } },
};

t.test('serviceType: AMB / HH / VR by modality, plus the CPTS 604 reference', async (t) => {
  for (const modality of ['office', 'home', 'video'] as const) {
    const s = buildSlot({ ...slot, modality });
    t.same(s.serviceType[0], { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: CONSULTATION_TYPE[modality] }] });
    t.same(s.serviceType[1], {
      extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType', valueReference: { reference: 'HealthcareService/royan-atlantique' } }],
      coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement', code: '604' }],
    });
  }
  t.same(Object.values(CONSULTATION_TYPE), ['AMB', 'HH', 'VR']);
});

t.test('specialty: TRE_R38 where the profession has an ordinal specialty, none otherwise', async (t) => {
  const codes = Object.fromEntries(PROFESSIONS.map((profession) => {
    const s = buildSlot({ ...slot, professional: { ...slot.professional, profession } });
    return [profession, s.specialty?.[0]?.coding?.[0]?.code ?? null];
  }));
  t.same(codes, { gp: 'SM54', nurse: null, physio: null, pharmacist: null, midwife: null, dentist: null, paediatrician: 'SM40' });
  t.equal(buildSlot(slot).specialty?.[0]?.coding?.[0]?.system,
    'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale');
});

t.test('the fixed parts of sas-cpts-slot-aggregator', async (t) => {
  const s = buildSlot(slot);
  t.same(s.meta.profile, [PROFILE.slot]);
  t.same(s.meta.security, [
    { system: 'https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau', code: 'CPTS' },
  ], 'CPTS alone: the kit\'s cpts_validate_meta refuses any other code');
  t.same(s.appointmentType, { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0276', code: 'ROUTINE' }] });
  t.equal(s.status, 'free');
  t.equal(s.schedule.reference, `Schedule/${scheduleId(slot.professional.id, slot.site.id)}`);
  t.throws(() => buildSlot({ ...slot, end: slot.start }), /end must be after start/);
  t.throws(() => buildSlot({ ...slot, id: 'no spaces allowed' }), /FHIR id/);
});

t.test('instants: YYYY-MM-DDTHH:MM:SS.000+HH:MM in the territory\'s zone', async (t) => {
  const at = (iso: string, zone: string) => formatFhirInstant(new Date(iso), zone);
  t.equal(at('2024-06-12T14:40:00Z', 'Europe/Paris'), '2024-06-12T16:40:00.000+02:00', 'Paris, summer');
  t.equal(at('2025-01-06T13:00:00Z', 'Europe/Paris'), '2025-01-06T14:00:00.000+01:00', 'Paris, winter');
  t.equal(at('2024-03-31T00:59:59.999Z', 'Europe/Paris'), '2024-03-31T01:59:59.999+01:00', 'just before spring forward');
  t.equal(at('2024-03-31T01:00:00Z', 'Europe/Paris'), '2024-03-31T03:00:00.000+02:00', 'just after spring forward');
  t.equal(at('2024-10-27T00:30:00Z', 'Europe/Paris'), '2024-10-27T02:30:00.000+02:00', 'first 02:30 of the fall-back night');
  t.equal(at('2024-10-27T01:30:00Z', 'Europe/Paris'), '2024-10-27T02:30:00.000+01:00', 'second 02:30');
  t.equal(at('2024-06-12T14:40:00Z', 'Indian/Reunion'), '2024-06-12T18:40:00.000+04:00');
  t.equal(at('2024-06-12T14:40:00Z', 'Indian/Mayotte'), '2024-06-12T17:40:00.000+03:00');
  t.equal(at('2024-06-12T14:40:00Z', 'America/Cayenne'), '2024-06-12T11:40:00.000-03:00');
  t.equal(at('2024-06-12T14:40:00Z', 'America/Martinique'), '2024-06-12T10:40:00.000-04:00');
  t.equal(formatFhirInstant(Date.UTC(2024, 5, 12, 14, 40), 'Europe/Paris'), '2024-06-12T16:40:00.000+02:00', 'epoch ms input');
  // The memo must return exactly what formatInTimeZone says, for every instant of a DST day.
  for (let ms = Date.UTC(2024, 9, 26, 22); ms < Date.UTC(2024, 9, 27, 4); ms += 7 * 60_000) {
    t.equal(formatFhirInstant(ms, 'Europe/Paris'), formatInTimeZone(ms, 'Europe/Paris', "yyyy-MM-dd'T'HH:mm:ss.SSSxxx"));
  }
  t.throws(() => formatFhirInstant(Number.NaN, 'Europe/Paris'));
  t.equal(parseFhirInstant('2024-06-12T16:40:00.000+02:00'), Date.UTC(2024, 5, 12, 14, 40));
  t.equal(parseFhirInstant('2024-06-12T16:40:00+02:00'), Date.UTC(2024, 5, 12, 14, 40));
  for (const bad of ['2024-06-12T16:40:00', '2024-06-12', '2024-02-30T10:00:00Z', '2024-06-12T16:40+02:00']) {
    t.equal(parseFhirInstant(bad), undefined, bad);
  }
});

t.test('Schedule / PractitionerRole ids pair two of our ids reversibly within 64 chars', async (t) => {
  const id = scheduleId(slot.professional.id, slot.site.id);
  t.ok(id.length <= 64 && /^[A-Za-z0-9\-.]+$/.test(id), id);
  t.same(unpairId(id), [slot.professional.id, slot.site.id]);
  t.same(unpairId(pairId('prof-42', 'site-7')), ['prof-42', 'site-7']);
  t.same(unpairId(pairId('42', slot.site.id.toUpperCase())), ['42', slot.site.id], 'UUIDs come back lower-case');
  t.same(unpairId(pairId('ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000000')),
    ['ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000000']);
  for (const foreign of ['abc', 'a.b.c', 'xa.yb', 'uzzzzzzzzzzzzzzzzzzzzzzzzz.xa', 'x.x']) t.equal(unpairId(foreign), undefined, foreign);
  t.throws(() => pairId('a b', 'c'));
  t.throws(() => pairId('x'.repeat(40), 'y'.repeat(40)), /FHIR id/);
  const schedule = buildSchedule(slot.professional, slot.site);
  const role = buildPractitionerRole(slot.professional, slot.site, slot.territory, 'https://cpts.example/site');
  t.equal(schedule.id, role.id);
  t.same(schedule.actor, [{ reference: `Practitioner/${slot.professional.id}` }, { reference: `PractitionerRole/${id}` }]);
});

t.test('PractitionerRole: contained Location with the site, the CPTS as organization', async (t) => {
  const role = buildPractitionerRole(slot.professional, slot.site, slot.territory, 'https://cpts.example/site');
  const [location] = role.contained;
  t.same(role.location, [{ reference: `#${location.id}` }]);
  t.same(location.meta.profile, [PROFILE.location]);
  t.same(location.position, { longitude: -1.0292, latitude: 45.6214 });
  t.same(location.identifier[0]?.value, slot.site.id);
  t.same(location.address, { text: 'Commune INSEE 17306', country: 'FR' }, 'no postal address known: no invented one');
  const withAddress = buildPractitionerRole(slot.professional,
    { ...slot.site, address: { line: '1 rue du Port', city: 'Royan', postalCode: '17200' } }, slot.territory, 's');
  t.same(withAddress.contained[0].address, { line: ['1 rue du Port'], city: 'Royan', postalCode: '17200', country: 'FR' });
  t.equal(role.organization?.identifier?.value, '1170000001');
  t.notOk('telecom' in role);
  t.same(buildPractitionerRole({ ...slot.professional, phone: '+33546000000' }, slot.site, slot.territory, 's').telecom,
    [{ system: 'phone', value: '+33546000000' }]);
});

t.test('the CPTS Organization and its HealthcareService', async (t) => {
  const org = buildOrganization(slot.territory);
  t.same(org.identifier, [{
    type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-location-identifier-type', code: 'IDNST' }] },
    system: 'urn:oid:1.2.250.1.71.4.2.2', value: '1170000001',
  }]);
  t.equal(org.name, 'CPTS Royan Atlantique');
  t.throws(() => buildOrganization({ ...slot.territory, organisation: { idnst: '170000001' } }), /FINESS/);
  t.throws(() => buildOrganization({ ...slot.territory, organisation: { idnst: '3170000001' } }), /FINESS/);
  t.same(buildHealthcareService(slot.territory).providedBy, { reference: 'Organization/royan-atlantique' });
});

t.test('our CapabilityStatement against SAS-GestionnaireAgenda-CPTS', async (t) => {
  const ig = igFile('CapabilityStatement-SAS-GestionnaireAgenda-CPTS.json');
  const rdv = igFile('CapabilityStatement-SAS-GestionnaireAgenda-RDVpsindiv.json');
  const cs: any = buildCapabilityStatement({
    baseUrl: 'https://cpts.example/fhir', softwareName: 'snp-match', softwareVersion: '0.1.0', date: '2025-01-06',
  });
  const structure = igFile('CapabilityStatement-SAS-GestionnaireStructure.json');
  t.same(cs.instantiates, [ig.url, rdv.url, structure.url]);
  t.same(cs.instantiates, [CAPABILITY.agendaCpts, CAPABILITY.appointments, CAPABILITY.structure]);
  t.equal(cs.kind, 'instance');
  t.equal(cs.fhirVersion, ig.fhirVersion);
  t.same(cs.implementationGuide, ig.implementationGuide);
  const resources = cs.rest[0].resource;
  t.same(resources.map((r: any) => r.type), ['Slot', 'Schedule', 'Practitioner', 'Appointment']);
  const igSlot = ig.rest[0].resource.find((r: any) => r.type === 'Slot');
  const ourSlot = resources[0];
  t.equal(ourSlot.profile, igSlot.profile);
  t.same(ourSlot.searchInclude, igSlot.searchInclude, 'the four _include values of the IG');
  t.same(ourSlot.interaction, igSlot.interaction);
  t.ok(ourSlot.searchParam.some((p: any) => p.definition === igSlot.searchParam[0].definition), 'SPDateDebutSlot');
  // Issue 14: everything the IG's CPTS statement lists for Schedule and Practitioner is served.
  for (const [i, type] of [[1, 'Schedule'], [2, 'Practitioner']] as const) {
    const igResource = ig.rest[0].resource.find((r: any) => r.type === type);
    t.equal(resources[i].profile, igResource.profile, `${type}: the IG's profile`);
    // Practitioner is also SAS-GestionnaireStructure's (regulator accounts, flux v1): its create and update follow.
    const structurePractitioner = structure.rest[0].resource.find((r: any) => r.type === type);
    t.same(resources[i].interaction, [...igResource.interaction, ...(structurePractitioner?.interaction ?? [])],
      `${type}: read and search-type, as the IG${type === 'Practitioner' ? ', with create and update as SAS-GestionnaireStructure' : ''}`);
    if (structurePractitioner !== undefined) t.same(resources[i].supportedProfile, [structurePractitioner.profile], 'FrPractitionerRegul, as SAS-GestionnaireStructure');
    t.same(resources[i].searchParam.map((p: any) => p.definition), igResource.searchParam.map((p: any) => p.definition), `${type}: the IG's search parameter`);
  }
  const igAppointment = rdv.rest[0].resource[0];
  t.equal(resources[3].profile, igAppointment.profile);
  t.same(resources[3].interaction, igAppointment.interaction);
  t.equal(resources[3].conditionalUpdate, true);
  t.same(resources[3].searchParam.map((p: any) => p.definition), igAppointment.searchParam.map((p: any) => p.definition));
});

t.test('OperationOutcome', async (t) => {
  const outcome = operationOutcome([
    { code: 'invalid', parameter: 'start', diagnostics: 'start: bad' },
    { code: 'required', expression: 'Appointment.identifier', diagnostics: 'missing', severity: 'warning' },
  ]);
  t.same(outcome.issue, [
    { severity: 'error', code: 'invalid', diagnostics: 'start: bad', location: ['http.start'] },
    { severity: 'warning', code: 'required', diagnostics: 'missing', expression: ['Appointment.identifier'] },
  ]);
  t.equal(httpStatusOf(outcome), 400);
  t.equal(httpStatusOf(errorOutcome('not-found', 'no such Slot')), 404);
  t.equal(httpStatusOf(errorOutcome('business-rule', 'slot already booked')), 422);
  t.equal(httpStatusOf(errorOutcome('conflict', 'version')), 409);
  t.equal(httpStatusOf(errorOutcome('exception', 'boom')), 500);
  t.equal(httpStatusOf(informationOutcome('ok')), 200);
  t.throws(() => operationOutcome([]));
});
