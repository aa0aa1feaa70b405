// The SAS certification kit's Slot-search groups for a CPTS agenda manager
// (ansforge/interop-outil-fhir-sas-test-kit, lib/sas_test_kit/aggregation,
// launch version ig_launch_2), replayed against a real service: each group
// starts with the kit's set-up search, then each kit assertion is an assertion
// here, in the kit's order, named after the kit test it comes from. This file:
// bundle validation (slot_group), one practitioner with one site
// (single_practitioner_single_location), optional fields
// (practi_optionnel_group_ps, optionslots_group, orga_optionnel_group).
// Several sites, several practitioners and several CPTS: sas-kit-search-multi.test.ts.
import t from 'tap';
import { assertValidFhir } from './helpers/fhir.js';
import {
  KIT_PROFILE as P, SERVICE_TYPE_EXTENSION, kitSetup, kitWorld, normalizedQuery, withProfile,
} from './helpers/sas-kit.js';
import { kitClient } from './helpers/kit-connection.js';
import { startTlsTestService } from './helpers/tls-service.js';

/** What the kit's inputs declare of our solution: slot types (type_slot) and consultation types (type_consultation). */
const DECLARED_SLOT_TYPES = ['CPTS'];
const DECLARED_CONSULTATION_TYPES = ['AMB', 'VR'];

t.test('the kit\'s search groups for one practitioner with one site', async (t) => {
  const w = await kitWorld(t);
  // As the kit connects: mutual TLS with the SAS's certificate, no Authorization header.
  const service = await startTlsTestService(t, w.url);
  const kit = await kitClient(w.db, service, 'regulator', ['terr-a', 'terr-b']);
  const idnps = `8${w.single.rpps}`;

  await t.test('slot_group: validation du bundle', async (t) => {
    const { bundle } = await kitSetup(t, kit, idnps);
    t.equal(bundle.resourceType, 'Bundle', 'assert_resource_type(Bundle)');
    t.same(bundle.meta?.profile, [P.bundle], 'the Bundle claims sas-cpts-bundle-aggregator (the profile the kit validates it against)');
    assertValidFhir(t, bundle, 'assert_valid_resource (here: the R4 schema; profile rules are checked by the groups below and test/fhir-bundle.test.ts)');
  });

  await t.test('single_practitioner_single_location: PS avec un seul lieu de consultation', async (t) => {
    const s = await kitSetup(t, kit, idnps);
    const b = s.bundle;
    const slots = withProfile(b, P.slot);
    const practitioners = withProfile(b, P.practitioner);
    const schedules = withProfile(b, P.schedule);
    const roles = withProfile(b, P.practitionerRole);

    // validate_cardinality
    t.equal(practitioners.length, 1, 'validate_cardinality: une seule ressource Practitioner pour un RPPS appelé');
    t.equal(schedules.length, 1, 'validate_cardinality: une seule ressource Schedule');
    t.equal(roles.length, 1, 'validate_cardinality: une seule ressource PractitionerRole');
    t.equal(roles.flatMap((r) => r.contained ?? []).length, 1, 'validate_cardinality: une seule ressource Location');
    t.equal(b.total, slots.length, 'validate_cardinality (warning in the kit): total = nombre de Slots');
    t.ok(slots.length > 0 && schedules.length > 0 && practitioners.length > 0 && roles.length > 0, 'validate_cardinality: Slot, Schedule, Practitioner et PractitionerRole présents');

    // validate_rpps
    t.equal(practitioners[0].identifier[0].value, s.idnps, 'validate_rpps: le RPPS retourné est le RPPS appelé');
    t.match(practitioners[0].identifier[0].value, /^8[0-9]{11}$/, 'validate_rpps: 11 chiffres préfixés par 8');

    // validate_dates
    const now = Date.now();
    t.equal(slots.filter((r) => Date.parse(r.start) < now).length, 0, 'validate_dates: aucun créneau antérieur à maintenant');
    for (const r of slots) {
      t.ok(r.start.slice(0, 10) <= s.dateFin.slice(0, 10), `validate_dates: ${r.start} n'est pas après la date de fin ${s.dateFin}`);
      t.match(r.start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/, 'validate_dates: start AAAA-MM-DDTHH:MM:SS.000+0X:00');
      t.match(r.end, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/, 'validate_dates: end AAAA-MM-DDTHH:MM:SS.000+0X:00');
    }
    t.ok(slots.every((r) => r.end !== undefined), 'validate_dates: toutes les ressources Slot ont une date de fin');
    t.ok(slots.every((r) => Date.parse(r.start) < Date.parse(r.end)), 'validate_dates: start < end');

    // validate_ref
    const scheduleActors = schedules.flatMap((r) => r.actor.map((a: any) => a.reference)).join(', ');
    t.equal(roles[0].practitioner.reference, `Practitioner/${practitioners[0].id}`, 'validate_ref: PractitionerRole.practitioner = le Practitioner');
    t.ok(scheduleActors.includes(`PractitionerRole/${roles[0].id}`), 'validate_ref: le Schedule référence le PractitionerRole');
    t.ok(scheduleActors.includes(`Practitioner/${practitioners[0].id}`), 'validate_ref: le Schedule référence le Practitioner');
    t.equal(roles[0].location[0].reference, `#${roles[0].contained[0].id}`, 'validate_ref: PractitionerRole.location = la Location contenue');

    // validate_location
    const address = roles[0].contained[0].address;
    t.ok(address?.line?.length > 0, 'validate_location: ligne d\'adresse');
    t.ok(address?.city, 'validate_location: ville');
    t.ok(address?.postalCode, 'validate_location: code postal');
    t.match(address?.postalCode, /^[0-9]{5}$/, 'validate_location: le code postal a exactement 5 chiffres');

    // bundle_url_equal_url
    const link = b.link?.[0]?.url;
    t.ok(typeof link === 'string' && link.length > 0, 'bundle_url_equal_url: link.url présent');
    t.same(normalizedQuery(link), normalizedQuery(s.query), 'bundle_url_equal_url: les query correspondent');
    t.equal(link, s.query, 'bundle_url_equal_url (warning in the kit): l\'URL du bundle est celle de la requête');

    // slot_has_url: the kit reads the PS slot profile (FrSlotAgregateur); our Slots claim the CPTS one, so it is
    // true of none, as the kit's FHIRPath all() is on an empty collection. Booking links (Slot.comment): flux v2.
    const psSlots = withProfile(b, P.psSlot);
    t.equal(psSlots.length, 0, 'our Slots are CPTS Slots (sas-cpts-slot-aggregator), none the PS profile this kit test reads');
    t.ok(psSlots.every((r) => typeof r.comment === 'string' && !/^\s*$/.test(r.comment)), 'slot_has_url: une URL de prise de RDV sur chaque créneau (FrSlotAgregateur)');

    // ps_validate_slots_status, ps_validate_appointmentType
    t.ok(slots.length > 0 && slots.every((r) => r.status === 'free'), 'ps_validate_slots_status: le statut des slots est free');
    const appointmentTypes = new Set(slots.flatMap((r) => r.appointmentType.coding.map((c: any) => c.code)));
    t.ok([...appointmentTypes].every((c) => c === 'ROUTINE' || c === 'WALKIN'), 'ps_validate_appointmentType: ROUTINE ou WALKIN');

    // validate_cardinality_cpts
    const services = withProfile(b, P.healthcareService);
    const organizations = withProfile(b, P.organization);
    t.ok(services.length > 0, 'validate_cardinality_cpts: des HealthcareService');
    t.ok(organizations.length > 0, 'validate_cardinality_cpts: des Organization');
    t.equal(services.length, organizations.length, 'validate_cardinality_cpts: autant de HealthcareService que d\'Organization');

    // validate_ref_cpts
    const serviceRefs = slots.flatMap((r) => r.serviceType.filter((st: any) => st.coding?.some((c: any) => c.code === '604')))
      .flatMap((st: any) => st.extension.filter((e: any) => e.url === SERVICE_TYPE_EXTENSION && e.valueReference).map((e: any) => e.valueReference.reference));
    t.ok(services[0]?.providedBy?.reference, 'validate_ref_cpts: HealthcareService.providedBy.reference');
    t.ok(organizations[0]?.id, 'validate_ref_cpts: Organization.id');
    t.ok(serviceRefs.length > 0, 'validate_ref_cpts: les Slots référencent un HealthcareService');
    t.equal(services[0].providedBy.reference, `Organization/${organizations[0].id}`, 'validate_ref_cpts: providedBy = l\'Organization');
    t.ok(serviceRefs.every((ref: string) => ref === `HealthcareService/${services[0].id}`), 'validate_ref_cpts: chaque référence 604 = le HealthcareService');

    // validate_cpts_id
    const idnst = organizations.flatMap((r) => r.identifier.map((i: any) => i.value));
    t.ok(idnst.length > 0, 'validate_cpts_id: Organization.identifier.value');
    t.match(idnst[0], /^1[0-9]{9}$/, 'validate_cpts_id: 9 chiffres préfixés par 1');
  });

  await t.test('practi_optionnel_group_ps: champs optionnels', async (t) => {
    const s = await kitSetup(t, kit, idnps);
    const practitioners = withProfile(s.bundle, P.practitioner);
    const roles = withProfile(s.bundle, P.practitionerRole);
    t.equal(practitioners[0]?.identifier[0].value, s.idnps, 'ps_validate_rpps: le RPPS retourné est le RPPS appelé');
    t.match(practitioners[0]?.identifier[0].value, /^8[0-9]{11}$/, 'ps_validate_rpps: 11 chiffres préfixés par 8');
    t.ok(practitioners[0]?.name?.[0]?.family, 'ps_validate_name: nom de famille');
    t.ok(practitioners[0]?.name?.[0]?.given?.[0], 'ps_validate_firstname: le prénom est renseigné');
    const phone = roles[0]?.telecom?.[0]?.value ?? '';
    t.ok(phone !== '', 'ps_validate_phone: le numéro de téléphone est présent');
    t.match(phone, /^\+33\d{9}$|^\+262\d{9}$|^\+590\d{9}$|^\+596\d{9}$|^\+594\d{9}$/, 'ps_validate_phone: au bon format');
    const idnst = roles[0]?.organization?.identifier?.value ?? '';
    t.ok(idnst !== '', 'ps_validate_idnst: l\'identifiant de structure est présent');
    t.match(idnst, /^1[0-9]{9}$|^3[0-9]{14}$|^4[0-9]{14}$/, 'ps_validate_idnst: au bon format (FINESS, SIRET ou RPPS rang)');
  });

  await t.test('optionslots_group: types de créneaux et de consultations', async (t) => {
    const s = await kitSetup(t, kit, idnps);
    const slots = withProfile(s.bundle, P.slot);
    const upper = (values: Iterable<string>) => new Set([...values].map((v) => v.trim().toUpperCase()).filter((v) => v !== ''));
    const difference = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x));
    // cpts_validate_slot_type
    const slotTypes = upper(slots.flatMap((r) => r.meta.security.map((c: any) => c.code)).filter((c: string) => c !== '604'));
    t.same(difference(upper(DECLARED_SLOT_TYPES), slotTypes), [], 'cpts_validate_slot_type: chaque type déclaré est retourné');
    t.same(difference(slotTypes, upper(DECLARED_SLOT_TYPES)), [], 'cpts_validate_slot_type: aucun type retourné non déclaré');
    // ps_validate_motif_type
    const consultationTypes = upper(slots.flatMap((r) => r.serviceType.flatMap((st: any) => (st.coding ?? []).map((c: any) => c.code))).filter((c: string) => c !== '604'));
    t.same(difference(upper(DECLARED_CONSULTATION_TYPES), consultationTypes), [], 'ps_validate_motif_type: chaque type de consultation déclaré est retourné');
    t.same(difference(consultationTypes, upper(DECLARED_CONSULTATION_TYPES)), [], 'ps_validate_motif_type: aucun type retourné non déclaré');
  });

  await t.test('orga_optionnel_group: contrôles Organization', async (t) => {
    const s = await kitSetup(t, kit, idnps);
    const organizations = withProfile(s.bundle, P.organization);
    t.ok(organizations[0]?.name, 'Vérification nom CPTS: le nom de la CPTS est présent');
    t.ok(organizations[0]?.telecom?.[0]?.value, 'Vérification téléphone CPTS: le téléphone de la CPTS est présent');
    t.ok(organizations.every((o) => o.identifier.some((i: any) => i.system === 'urn:oid:1.2.250.1.71.4.2.2')), 'its IDNST under the IDNST system');
  });
});
