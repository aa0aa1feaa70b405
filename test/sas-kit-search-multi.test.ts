// The SAS certification kit's Slot-search groups for a CPTS agenda manager,
// continued (see sas-kit-search.test.ts): one practitioner with two sites
// (multi_lieux_group), two practitioners in one search (search_multiple_ps_group),
// one practitioner in two CPTS (single_practitioner_multiple_cpts: its groups
// two_slot_two_cpts and single_slot_two_cpts). Each kit assertion is an
// assertion here, in the kit's order, named after the kit test.
import t, { type Test } from 'tap';
import { CATEGORY_SYSTEM, KIT_PROFILE as P, SERVICE_TYPE_EXTENSION, kitSetup, kitWorld, withProfile } from './helpers/sas-kit.js';
import { kitClient } from './helpers/kit-connection.js';
import { startTlsTestService } from './helpers/tls-service.js';

/** The six tests both multiple_cpts groups run, in order, on one set-up's Bundle. */
function multipleCptsChecks(t: Test, bundle: any, variant: 'two_slot_two_cpts' | 'single_slot_two_cpts'): void {
  // cpts_validate_healthcare_service_cardinality
  const services = withProfile(bundle, P.healthcareService);
  t.ok(services.length >= 2, 'cpts_validate_healthcare_service_cardinality: au moins deux HealthcareService');
  // cpts_validate_organization_cardinality
  const organizations = withProfile(bundle, P.organization);
  t.ok(organizations.length >= 2, 'cpts_validate_organization_cardinality: au moins deux Organization');
  // cpts_validate_meta is below, apart: it cannot pass with our slot types (see there).
  // cpts_validate_service_type
  const slots = withProfile(bundle, P.slot);
  const serviceTypes = slots.flatMap((r) => r.serviceType ?? []);
  t.ok(serviceTypes.length > 0, 'cpts_validate_service_type: des serviceType dans les slots');
  t.ok(serviceTypes.some((st: any) => (st.coding ?? []).some((c: any) => c.system === CATEGORY_SYSTEM && c.code === '604')),
    'cpts_validate_service_type: un serviceType TRE_R66 604');
  const serviceRefs = services.map((hs) => `HealthcareService/${hs.id}`);
  if (variant === 'two_slot_two_cpts') {
    // cpts_validate_service_type_healthcare_service_ref
    t.ok(serviceTypes.length > 0 && services.length > 0, 'cpts_validate_service_type_healthcare_service_ref: serviceType et HealthcareService présents');
    t.ok(serviceTypes.some((st: any) => (st.extension ?? []).some((e: any) => e.url?.trim() === SERVICE_TYPE_EXTENSION && serviceRefs.includes(e.valueReference?.reference))),
      'cpts_validate_service_type_healthcare_service_ref: une extension serviceType référence un HealthcareService du Bundle');
  } else {
    // cpts_validate_service_type_multiple_healthcare_service_ref
    const perSlot = slots.map((r) => (r.serviceType ?? []).flatMap((st: any) => (st.extension ?? [])
      .filter((e: any) => e.url === SERVICE_TYPE_EXTENSION).map((e: any) => e.valueReference?.reference)).filter((x: unknown) => x !== undefined));
    t.ok(perSlot.some((refs) => new Set(refs).size >= 2 && refs.every((ref: string) => serviceRefs.includes(ref))),
      'cpts_validate_service_type_multiple_healthcare_service_ref: un Slot référence au moins deux HealthcareService distincts du Bundle');
  }
  // cpts_validate_healthcare_service_organization_ref
  const organizationRefs = organizations.map((o) => `Organization/${o.id}`);
  const providers = services.map((hs) => hs.providedBy?.reference).filter((ref) => ref !== undefined);
  t.ok(services.length > 0 && organizations.length > 0, 'cpts_validate_healthcare_service_organization_ref: HealthcareService et Organization présents');
  t.ok(services.every((hs) => organizationRefs.includes(hs.providedBy?.reference)) && new Set(providers).size >= 2,
    'cpts_validate_healthcare_service_organization_ref: chaque HealthcareService référence une Organization du Bundle, au moins deux distinctes');
}

t.test('the kit\'s search groups for several sites, several practitioners, several CPTS', async (t) => {
  const w = await kitWorld(t);
  // As the kit connects: mutual TLS with the SAS's certificate, no Authorization header.
  const service = await startTlsTestService(t, w.url);
  const kit = await kitClient(w.db, service, 'regulator', ['terr-a', 'terr-b']);

  await t.test('multi_lieux_group: PS avec deux lieux de consultation', async (t) => {
    const { bundle } = await kitSetup(t, kit, `8${w.twoSites.rpps}`);
    const practitioner = withProfile(bundle, P.practitioner);
    t.equal(practitioner.length, 1, 'validate_practitioner_cardinality_1: exactement une ressource Practitioner');
    const roles = withProfile(bundle, P.practitionerRole);
    t.equal(roles.length, 2, 'validate_practitionerrole_cardinality_1: exactement deux ressources PractitionerRole');
    const schedules = withProfile(bundle, P.schedule);
    t.equal(schedules.length, 2, 'validate_schedule_cardinality_1: exactement deux ressources Schedule');
    for (const role of roles) {
      t.equal(role.practitioner.reference, `Practitioner/${practitioner[0].id}`, 'validate_practitionerrole_practitioner_ref: le PractitionerRole référence le Practitioner du Bundle');
    }
    for (const schedule of schedules) {
      for (const ref of schedule.actor.map((a: any) => a.reference).filter((r: string) => r.startsWith('PractitionerRole/'))) {
        t.ok(roles.some((r) => r.id === ref.split('/').at(-1)), 'validate_schedule_practitionerrole_ref: chaque PractitionerRole référencé par un Schedule est dans le Bundle');
      }
      const practitionerRefs = schedule.actor.map((a: any) => a.reference).filter((r: string) => r.startsWith('Practitioner/'));
      t.equal(practitionerRefs.length, 1, 'validate_schedule_practitioner_ref: un Schedule référence exactement un Practitioner');
      t.equal(practitionerRefs[0], `Practitioner/${practitioner[0].id}`, 'validate_schedule_practitioner_ref: le Practitioner du Bundle');
    }
    const locations = roles.flatMap((r) => r.location.map((l: any) => l.reference));
    const locationIds = roles.flatMap((r) => r.contained.filter((c: any) => c.resourceType === 'Location').map((c: any) => c.id));
    locations.forEach((ref: string, i: number) => t.equal(`#${locationIds[i]}`, ref, 'validate_practitionerrole_location_ref: le lieu référencé est la Location contenue'));
  });

  await t.test('search_multiple_ps_group: recherche de deux PS', async (t) => {
    const { bundle } = await kitSetup(t, kit, `8${w.third.rpps}`, `8${w.fourth.rpps}`);
    t.equal(withProfile(bundle, P.practitioner).length, 2, 'validate_practitioner_cardinality_2: exactement deux ressources Practitioner');
    t.ok(withProfile(bundle, P.practitionerRole).length >= 2, 'validate_practitionerrole_cardinality_2: au moins deux ressources PractitionerRole');
    t.ok(withProfile(bundle, P.schedule).length >= 2, 'validate_schedule_cardinality_2: au moins deux ressources Schedule');
  });

  for (const variant of ['two_slot_two_cpts', 'single_slot_two_cpts'] as const) {
    await t.test(`single_practitioner_multiple_cpts / ${variant}`, async (t) => {
      const { bundle } = await kitSetup(t, kit, `8${w.twoSites.rpps}`);
      multipleCptsChecks(t, bundle, variant);
    });
  }

  // cpts_validate_meta asks that every distinct meta.security code of the Slots be "CPTS" (the IG's own
  // example Slot-ExampleSlotCPTS1, PUBLIC + CPTS, would fail it): our Slots carry CPTS alone.
  await t.test('single_practitioner_multiple_cpts / cpts_validate_meta', async (t) => {
    const { bundle } = await kitSetup(t, kit, `8${w.twoSites.rpps}`);
    const codes = new Set(withProfile(bundle, P.slot).flatMap((r) => r.meta.security.map((c: any) => c.code)));
    t.ok(codes.size > 0 && [...codes].every((code) => code === 'CPTS'), 'cpts_validate_meta: les ressources slots sont de type CPTS');
  });

  await t.test('a client of one CPTS sees the Slots of a two-CPTS practitioner, each still naming both CPTS', async (t) => {
    const onlyB = await kitClient(w.db, service, 'regulator', ['terr-b'], service.pki.shortLived('sas-client-terr-b', 3600));
    const { bundle } = await kitSetup(t, onlyB, `8${w.twoSites.rpps}`);
    t.equal(withProfile(bundle, P.slot).length, 4, 'all four of its Slots, though its home is terr-a');
    multipleCptsChecks(t, bundle, 'single_slot_two_cpts');
  });
});
