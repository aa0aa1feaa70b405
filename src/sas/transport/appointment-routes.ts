// POST /fhir/Appointment and the conditional PUT /fhir/Appointment?identifier=…
// (FrAppointmentSAS), onto our bookings through the SAS appointment use case.
// Written through the FHIR channel (fhir.channelCtx): the outbox does not echo
// to the SAS what the SAS did itself.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseAppointment, parseAppointmentConditionalQuery, searchIssuesOutcome } from '../resources/index.js';
import { actorOf } from '../../usecases/actor.js';
import { bookSasAppointment, updateSasAppointment, type SasAppointmentOutcome } from '../../usecases/sas-appointments.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { appointmentResource, sasAppointmentOf, withFhirRefusals } from './appointment-mapping.js';
import { fhirBaseUrl, rawQueryOf } from './base-url.js';
import type { FhirHttpContext } from './context.js';
import { FhirError } from './outcome-errors.js';
import { sendFhir } from './reply.js';

const REFUSALS = 'Errors: 400 (not an Appointment), 422 (breaks FrAppointmentSAS or a business rule: no slot of that professional '
  + 'at that time, transition not allowed, identifier reused with other details), 409 (the slot was taken by someone else), '
  + 'each with an OperationOutcome.';

function commandOf(body: unknown) {
  const parsed = parseAppointment(body);
  if (!parsed.ok) throw new FhirError(parsed.httpStatus, parsed.issues);
  return sasAppointmentOf(parsed.command);
}

export async function appointmentRoutes(app: FastifyInstance, fhir: FhirHttpContext): Promise<void> {
  const answer = (request: FastifyRequest, reply: FastifyReply, outcome: SasAppointmentOutcome) => {
    if (outcome.status === 201) reply.header('location', `${fhirBaseUrl(request, fhir.baseUrl)}/Appointment/${outcome.booking.id}`);
    return sendFhir(reply, outcome.status, appointmentResource(outcome, fhir.systems.appointment));
  };

  app.post('/Appointment', {
    schema: {
      tags: ['fhir'],
      summary: 'Book: a FrAppointmentSAS naming the professional (IDNPS) and the slot\'s start and end',
      description: 'Atomic and idempotent like POST /v1/bookings, the Appointment.identifier being the idempotency key: '
        + `sending it again returns the same booking (201). ${REFUSALS}`,
    },
  }, async (request, reply) => {
    const input = commandOf(request.body);
    const outcome = await withFhirRefusals(() => bookSasAppointment(fhir.channelCtx, actorOf(clientOf(request), request.id), input));
    return answer(request, reply, outcome);
  });

  app.put('/Appointment', {
    schema: {
      tags: ['fhir'],
      summary: 'Conditional update: the new status (booked, fulfilled, noshow, cancelled) of the appointment with ?identifier=<system>|<value>',
      description: 'No match and status booked: created as by POST (201). No match otherwise: 404. '
        + 'cancelled frees the slot at once; fulfilled and noshow need a professional or coordinator client and a started slot. '
        + `Professional, start and end cannot change. ${REFUSALS}`,
    },
  }, async (request, reply) => {
    const criterion = parseAppointmentConditionalQuery(rawQueryOf(request));
    if (!criterion.ok) return sendFhir(reply, 400, searchIssuesOutcome(criterion.issues));
    const input = commandOf(request.body);
    const outcome = await withFhirRefusals(() => updateSasAppointment(fhir.channelCtx, actorOf(clientOf(request), request.id), criterion.value, input));
    return answer(request, reply, outcome);
  });
}
