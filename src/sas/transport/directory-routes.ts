// GET /fhir/Schedule/:id, /fhir/Schedule?actor=…, /fhir/Practitioner/:id and
// /fhir/Practitioner?identifier=… as our CapabilityStatement declares them
// (those of SAS-GestionnaireAgenda-CPTS), scoped to the client's territories.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../usecases/scopes.js';
import {
  buildPractitioner, buildPractitionerSearchBundle, buildSchedule, buildScheduleSearchBundle, parsePractitionerSearchParams,
  parseScheduleSearchParams, searchIssuesOutcome, unmatchableOutcome, unpairId, withOutcomeEntry,
} from '../resources/index.js';
import { SLOT_DIRECTORY_ROLES } from '../../usecases/professional-slots.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { fhirBaseUrl, rawQueryOf } from './base-url.js';
import type { FhirHttpContext } from './context.js';
import { sendFhir } from './reply.js';
import { territoryInput } from './slot-inputs.js';
import { notFound } from './slot-routes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function directoryRoutes(app: FastifyInstance, fhir: FhirHttpContext): Promise<void> {
  app.get<{ Params: { id: string } }>('/Schedule/:id', {
    schema: {
      tags: ['fhir'],
      summary: 'The schedule of one professional at one site (FrScheduleAgregateur)',
      description: 'The ids are those the Slot search returns. Roles: regulator, coordinator.',
    },
  }, async (request, reply) => {
    const client = clientOf(request);
    requireRole(client, SLOT_DIRECTORY_ROLES);
    const { id } = request.params;
    const [professionalId, siteId] = unpairId(id) ?? [];
    if (professionalId === undefined || siteId === undefined || !UUID.test(professionalId) || !UUID.test(siteId)) throw notFound('Schedule', id);
    const practice = await fhir.practice.practice(professionalId, siteId);
    // Shown only where its Slots would be: in the client's scope, in a CPTS with an IDNST.
    if (practice === undefined || !practice.territories.some((t) => client.territories.includes(t))
      || !practice.territories.some((t) => territoryInput(fhir.ctx.territories.territory(t)) !== undefined)) throw notFound('Schedule', id);
    return sendFhir(reply, 200, buildSchedule(practice, practice.site));
  });

  app.get('/Schedule', {
    schema: {
      tags: ['fhir'],
      summary: 'Schedules by actor (FrScheduleAgregateur searchset): one per site of each practitioner',
      description: 'actor=Practitioner/<id>[,…] (at most 25), the ids the Slot and Practitioner searches give. '
        + 'Roles: regulator, coordinator; only the client\'s territories, and CPTS with an IDNST.',
    },
  }, async (request, reply) => {
    const client = clientOf(request);
    const raw = rawQueryOf(request);
    const search = parseScheduleSearchParams(raw);
    if (!search.ok) return sendFhir(reply, 400, searchIssuesOutcome(search.issues));
    requireRole(client, SLOT_DIRECTORY_ROLES);
    const practices = (await fhir.practice.practicesOf(search.value.practitionerIds, client.territories))
      .filter((p) => p.territories.some((t) => territoryInput(fhir.ctx.territories.territory(t)) !== undefined));
    const base = fhirBaseUrl(request, fhir.baseUrl);
    return sendFhir(reply, 200, buildScheduleSearchBundle(
      practices.map((p) => ({ professional: p, site: p.site })), { baseUrl: base, selfUrl: `${base}/Schedule?${raw}` },
    ));
  });

  app.get<{ Params: { id: string } }>('/Practitioner/:id', {
    schema: {
      tags: ['fhir'],
      summary: 'One practitioner (FrPractitionerAgregateur), by the id the searches give',
      description: 'Roles: regulator, coordinator; only the client\'s territories (elsewhere: 404).',
    },
  }, async (request, reply) => {
    const client = clientOf(request);
    requireRole(client, SLOT_DIRECTORY_ROLES);
    const { id } = request.params;
    const professional = await fhir.practice.professionalById(id, client.territories);
    if (professional === undefined) throw notFound('Practitioner', id);
    return sendFhir(reply, 200, buildPractitioner(professional));
  });

  app.get('/Practitioner', {
    schema: {
      tags: ['fhir'],
      summary: 'Practitioners by IDNPS (FrPractitionerAgregateur searchset)',
      description: 'identifier=urn:oid:1.2.250.1.71.4.2.1|8<RPPS>[,…] (at most 25). Roles: regulator, coordinator; only the client\'s territories.',
    },
  }, async (request, reply) => {
    const client = clientOf(request);
    const raw = rawQueryOf(request);
    const search = parsePractitionerSearchParams(raw);
    if (!search.ok) return sendFhir(reply, 400, searchIssuesOutcome(search.issues));
    requireRole(client, SLOT_DIRECTORY_ROLES);
    const found = await fhir.practice.professionalsByRpps(search.value.rpps, client.territories);
    const base = fhirBaseUrl(request, fhir.baseUrl);
    const bundle = buildPractitionerSearchBundle(found, { baseUrl: base, selfUrl: `${base}/Practitioner?${raw}` });
    return sendFhir(reply, 200, withOutcomeEntry(bundle, unmatchableOutcome(search.value.unmatchable)));
  });
}
