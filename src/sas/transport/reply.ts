// Every /fhir answer is FHIR JSON with its own media type (FHIR R4 http.html#mime-type).
import type { FastifyReply } from 'fastify';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function sendFhir(reply: FastifyReply, status: number, resource: { resourceType: string }): FastifyReply {
  // Serialised here: no response schema applies, and the media type is not plain JSON.
  return reply.code(status).type(FHIR_JSON).send(JSON.stringify(resource));
}
