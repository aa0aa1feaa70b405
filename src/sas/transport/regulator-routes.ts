// POST /fhir/Practitioner and the conditional PUT /fhir/Practitioner?identifier=…:
// the SAS's regulator accounts (FrPractitionerRegul, flux v1), onto the regulator
// account use cases. Only the SAS platform's regulator API client may call them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildRegulatorPractitioner, operationOutcome, parseRegulatorCriterion, parseRegulatorPractitioner } from '../resources/index.js';
import { actorOf } from '../../usecases/actor.js';
import { createRegulatorAccount, putRegulatorAccount, type RegulatorAccountOutcome } from '../../usecases/regulator-accounts.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { fhirBaseUrl, rawQueryOf } from './base-url.js';
import type { FhirHttpContext } from './context.js';
import { FhirError } from './outcome-errors.js';
import { sendFhir } from './reply.js';

const REFUSALS = 'Role: regulator (the SAS platform\'s API client; not a browser session). Errors: 400 (not a Practitioner, '
  + 'bad identifier parameter), 422 (breaks FrPractitionerRegul, naming the element as a FHIRPath; or an identifier already held '
  + 'by an active account of this client), each with an OperationOutcome.';

function fieldsOf(body: unknown) {
  const parsed = parseRegulatorPractitioner(body);
  if (!parsed.ok) throw new FhirError(parsed.httpStatus, parsed.issues);
  return parsed.account;
}

export async function regulatorRoutes(app: FastifyInstance, fhir: FhirHttpContext): Promise<void> {
  const answer = (request: FastifyRequest, reply: FastifyReply, outcome: RegulatorAccountOutcome) => {
    const id = outcome.account.id;
    if (outcome.status === 201) reply.header('location', `${fhirBaseUrl(request, fhir.baseUrl)}/Practitioner/${id}`);
    return sendFhir(reply, outcome.status, buildRegulatorPractitioner(id, outcome.account));
  };

  app.post('/Practitioner', {
    schema: {
      tags: ['fhir'],
      summary: 'Create a regulator account (FrPractitionerRegul)',
      description: 'Identified by its IDNPS (urn:oid:1.2.250.1.71.4.2.1) and/or the SAS\'s internal identifier (urn:oid:1.2.250.1.213.3.6). '
        + 'An active account whose IDNPS is "8" + RPPS lets that regulator log in to the booking pages (Régulation) for the client\'s territories. '
        + `201 + Location. ${REFUSALS}`,
    },
  }, async (request, reply) => {
    const fields = fieldsOf(request.body);
    return answer(request, reply, await createRegulatorAccount(fhir.regulatorAccounts, actorOf(clientOf(request), request.id), fields));
  });

  app.put('/Practitioner', {
    schema: {
      tags: ['fhir'],
      summary: 'Conditional update of a regulator account: ?identifier=<system>|<value> (IDNPS or the SAS\'s internal system)',
      description: 'Replaces the account found by that identifier (200), or creates one when none has it (201). active = false '
        + 'deactivates it (its sessions end; its identifiers may then be given to another account); active = true reactivates it. '
        + REFUSALS,
    },
  }, async (request, reply) => {
    const criterion = parseRegulatorCriterion(rawQueryOf(request));
    if (!criterion.ok) return sendFhir(reply, 400, operationOutcome(criterion.issues));
    const fields = fieldsOf(request.body);
    const outcome = await putRegulatorAccount(fhir.regulatorAccounts, actorOf(clientOf(request), request.id), { kind: criterion.system, value: criterion.value }, fields);
    return answer(request, reply, outcome);
  });
}
