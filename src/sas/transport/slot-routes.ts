// GET /fhir/Slot (the SAS search, SPEC §6) and GET /fhir/Slot/:id, from the in-memory index.
import type { FastifyInstance } from 'fastify';
import {
  buildSlot, buildSlotSearchBundle, pageOf, pageUrl, parseSlotSearchParams, searchIssuesOutcome, unmatchableOutcome, withOutcomeEntry,
} from '../resources/index.js';
import type { FreeSlot } from '../../core/index/index.js';
import type { AuthenticatedClient } from '../../usecases/client.js';
import { requireRole } from '../../usecases/scopes.js';
import { freeSlotsOfProfessionals, SLOT_DIRECTORY_ROLES } from '../../usecases/professional-slots.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { fhirBaseUrl, rawQueryOf } from './base-url.js';
import type { FhirHttpContext } from './context.js';
import { FhirError } from './outcome-errors.js';
import { sendFhir } from './reply.js';
import { exposableServices, slotInputs } from './slot-inputs.js';
import { isServedInAny } from '../../core/index/index.js';
import type { TerritoryInput } from '../resources/model.js';

/** Dates sent without an offset are the client's local time: that of its (first) territory. */
function clientTimeZone(client: AuthenticatedClient, fhir: FhirHttpContext): string {
  for (const id of client.territories) {
    const zone = fhir.ctx.territories.territory(id)?.timeZone;
    if (zone !== undefined) return zone;
  }
  return 'Europe/Paris';
}

/** The slots of CPTS the SAS can be shown (with an IDNST), before paging, so that totals and pages agree. */
function exposedSlots(slots: readonly FreeSlot[], fhir: FhirHttpContext): { shown: FreeSlot[]; unexposed: Set<string> } {
  const memo = new Map<string, TerritoryInput | undefined>();
  const unexposed = new Set<string>();
  const shown = slots.filter((slot) => {
    const ok = exposableServices(slot, fhir.ctx.territories, memo).length > 0;
    if (!ok) unexposed.add(slot.territoryId);
    return ok;
  });
  return { shown, unexposed };
}

export function notFound(type: string, id: string): FhirError {
  return new FhirError(404, [{ code: 'not-found', diagnostics: `${type}/${id} is not known, or not in your territories` }]);
}

export async function slotRoutes(app: FastifyInstance, fhir: FhirHttpContext): Promise<void> {
  app.get('/Slot', {
    schema: {
      tags: ['fhir'],
      summary: 'SAS slot search (searchset Bundle of sas-cpts-slot-aggregator Slots and their includes)',
      description: 'start=ge…&start=le… (with or without offset; without: the territory\'s local time), '
        + 'schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|8<RPPS>[,…] (1 to 25; a well-formed identifier that can '
        + 'name nobody, such as one whose RPPS fails its check digit, matches nothing and is named in an outcome entry), status=free, '
        + 'and the _include / _include:iterate values of SAS-GestionnaireAgenda-CPTS; _count pages the answer (next / previous links). Roles: regulator, coordinator; '
        + 'only the client\'s territories. Unknown or malformed parameters: 400 OperationOutcome naming each.',
    },
  }, async (request, reply) => {
    const client = clientOf(request);
    const raw = rawQueryOf(request);
    const search = parseSlotSearchParams(raw, { timeZone: clientTimeZone(client, fhir) });
    if (!search.ok) return sendFhir(reply, 400, searchIssuesOutcome(search.issues));
    const { rpps, from, until, includes, count, offset } = search.value;
    const found = freeSlotsOfProfessionals(fhir.ctx, fhir.slots, client, { rpps, from: from.getTime(), until: until.getTime() });
    const { shown, unexposed } = exposedSlots(found, fhir);
    if (unexposed.size > 0) request.log.warn({ territories: [...unexposed] }, 'slots left out of a FHIR answer: territory without an IDNST (organisation_identifier)');
    // The page first: its includes are those of its own Slots.
    const page = pageOf(shown.length, offset, count);
    const { inputs } = await slotInputs(shown.slice(page.from, page.to), fhir.ctx.territories, fhir.practice, fhir.publicBaseUrl());
    const base = fhirBaseUrl(request, fhir.baseUrl);
    const selfUrl = `${base}/Slot${raw === '' ? '' : `?${raw}`}`;
    const bundle = buildSlotSearchBundle(inputs, {
      baseUrl: base, selfUrl, siteIdentifierSystem: fhir.systems.site, includes,
      page: {
        total: shown.length,
        next: page.next === undefined ? undefined : pageUrl(selfUrl, page.next),
        previous: page.previous === undefined ? undefined : pageUrl(selfUrl, page.previous),
      },
    });
    return sendFhir(reply, 200, withOutcomeEntry(bundle, unmatchableOutcome(search.value.unmatchable)));
  });

  app.get<{ Params: { id: string } }>('/Slot/:id', {
    schema: {
      tags: ['fhir'],
      summary: 'One free slot (sas-cpts-slot-aggregator)',
      description: 'Only free slots exist for the SAS (the profile fixes status "free"): a held, booked or past slot is a 404.',
    },
  }, async (request, reply) => {
    const client = clientOf(request);
    requireRole(client, SLOT_DIRECTORY_ROLES);
    const { id } = request.params;
    const slot = fhir.ctx.index.get(id);
    if (slot === undefined || !isServedInAny(slot, client.territories) || slot.start < fhir.ctx.now()) throw notFound('Slot', id);
    const [input] = (await slotInputs([slot], fhir.ctx.territories, fhir.practice, fhir.publicBaseUrl())).inputs;
    if (input === undefined) throw notFound('Slot', id);
    return sendFhir(reply, 200, buildSlot(input));
  });
}
