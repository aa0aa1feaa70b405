// Coordinator administration: professionals, sites, on-call bands, ad-hoc
// slots, blocking, and a professional falling ill. All scoped to the
// coordinator's territories (other ids are 404) and audited.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../usecases/actor.js';
import { bandListQuerySchema, bandListSchema, cancelBand, cancelBandResponseSchema, listBands } from '../../usecases/admin/band-calendar.js';
import { bandResponseSchema, createBand, createBandSchema } from '../../usecases/admin/bands.js';
import { updateBand, updateBandResponseSchema, updateBandSchema } from '../../usecases/admin/band-edit.js';
import {
  createProfessional, createProfessionalSchema, listProfessionals, listProfessionalsQuerySchema, professionalListSchema,
  professionalResponseSchema, updateProfessional, updateProfessionalSchema,
} from '../../usecases/admin/professionals.js';
import { createSite, createSiteSchema, siteResponseSchema } from '../../usecases/admin/sites.js';
import {
  addMember, addMemberSchema, memberParamsSchema, membershipResponseSchema, removeMember, territoryParamsSchema,
} from '../../usecases/admin/memberships.js';
import { slotCalendar, slotCalendarQuerySchema, slotCalendarSchema } from '../../usecases/admin/slot-calendar.js';
import { blockSlot, blockSlotSchema, createSlot, createSlotSchema, slotResponseSchema, unblockSlot } from '../../usecases/admin/slots.js';
import { markUnavailable, unavailableResponseSchema, unavailableSchema } from '../../usecases/admin/unavailability.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { idParamsSchema, problemResponses } from '../schemas/problems.js';

const actor = (request: FastifyRequest) => actorOf(clientOf(request), request.id);
const tags = ['administration'];
const errors = problemResponses(400, 401, 403, 404, 409, 429);

export const adminRoutes: FastifyPluginAsync<{ ctx: UseCaseContext; materialiseDays: number }> = async (app, { ctx, materialiseDays }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/v1/admin/professionals', {
    schema: { tags, summary: 'Professionals of your territories', querystring: listProfessionalsQuerySchema, response: { 200: professionalListSchema, ...errors } },
  }, async (request) => listProfessionals(ctx, actor(request), request.query));

  api.post('/v1/admin/professionals', {
    schema: { tags, summary: 'Register a professional (RPPS checked: 11 digits, Luhn key)', body: createProfessionalSchema, response: { 201: professionalResponseSchema, ...errors } },
  }, async (request, reply) => reply.code(201).send(await createProfessional(ctx, actor(request), request.body)));

  api.patch('/v1/admin/professionals/:id', {
    schema: { tags, summary: 'Change a professional\'s name, skills, modalities or active flag', params: idParamsSchema, body: updateProfessionalSchema, response: { 200: professionalResponseSchema, ...errors } },
  }, async (request) => updateProfessional(ctx, actor(request), request.params.id, request.body));

  api.post('/v1/admin/professionals/:id/sites', {
    schema: { tags, summary: 'Add a practice site', params: idParamsSchema, body: createSiteSchema, response: { 201: siteResponseSchema, ...errors } },
  }, async (request, reply) => reply.code(201).send(await createSite(ctx, actor(request), request.params.id, request.body)));

  api.post('/v1/admin/professionals/:id/unavailable', {
    schema: {
      tags, summary: 'A professional falls ill: block its slots and cancel its bookings over a period',
      description: 'Every live booking starting in [from, until) is cancelled (its requester and the professional receive booking.cancelled events) and every open slot is blocked.',
      params: idParamsSchema, body: unavailableSchema, response: { 200: unavailableResponseSchema, ...errors },
    },
  }, async (request) => markUnavailable(ctx, actor(request), request.params.id, request.body));

  api.post('/v1/admin/territories/:id/members', {
    schema: {
      tags, summary: 'A professional (by RPPS) becomes a member of your territory: its slots are offered there too',
      description: 'For a professional managed by another CPTS (its home territory). 201 when added, 200 when it already was a member. Audited.',
      params: territoryParamsSchema, body: addMemberSchema, response: { 200: membershipResponseSchema, 201: membershipResponseSchema, ...errors },
    },
  }, async (request, reply) => {
    const { status, body } = await addMember(ctx, actor(request), request.params.id, request.body);
    return reply.code(status).send(body);
  });

  api.delete('/v1/admin/territories/:id/members/:rpps', {
    schema: {
      tags, summary: 'A professional stops being a member of your territory',
      description: 'Its slots are no longer offered there (those the territory organised stay). The home territory cannot be removed: 409. Audited.',
      params: memberParamsSchema, response: { 200: membershipResponseSchema, ...errors },
    },
  }, async (request) => removeMember(ctx, actor(request), request.params.id, request.params.rpps));

  api.post('/v1/admin/bands', {
    schema: { tags, summary: 'Create an on-call band; its slots are materialised at once', body: createBandSchema, response: { 201: bandResponseSchema, ...errors } },
  }, async (request, reply) => reply.code(201).send(await createBand(ctx, actor(request), request.body, materialiseDays)));

  api.get('/v1/admin/bands', {
    schema: {
      tags, summary: 'Your territories\' (or one\'s) active on-call bands valid over at most 8 days, with their professional, site and territory',
      description: 'Role: coordinator, of the territory when one is named. Bands of every professional serving the territories (home or member); '
        + 'each says its territory (the professional\'s home, whose coordinators edit and cancel it) and every territory where its slots are offered.',
      querystring: bandListQuerySchema, response: { 200: bandListSchema, ...problemResponses(400, 401, 403, 429) },
    },
  }, async (request) => listBands(ctx, actor(request), request.query));

  api.patch('/v1/admin/bands/:id', {
    schema: {
      tags, summary: 'Edit an on-call band (days, hours, dates, slot length, site, modality); its slots from now on follow at once',
      description: 'Open slots from now on that the edited band still has stay as they are (a blocked one stays blocked); the others are removed '
        + '(kept blocked when a past hold or booking names them) and the edited band is materialised over the rolling horizon. '
        + 'A booked slot is never moved nor cancelled: one outside the edited band stays booked, counted in bookedSlotsKept with its booking in bookingsKept. '
        + 'A live hold on a slot the edit removes: 409 band-slot-held, nothing changed (retry when the hold ends). Same scope as DELETE. Audited.',
      params: idParamsSchema, body: updateBandSchema, response: { 200: updateBandResponseSchema, ...errors },
    },
  }, async (request) => updateBand(ctx, actor(request), request.params.id, request.body, materialiseDays));

  api.delete('/v1/admin/bands/:id', {
    schema: {
      tags, summary: 'Cancel an on-call band: its open slots from now on are removed',
      description: 'Free, blocked and expired-hold slots from now on are deleted and the band is no longer materialised. '
        + 'A booked or live-held slot is never dropped silently: 409 naming the bookings (cancel them first). Audited.',
      params: idParamsSchema, response: { 200: cancelBandResponseSchema, ...errors },
    },
  }, async (request) => cancelBand(ctx, actor(request), request.params.id));

  api.get('/v1/admin/slots', {
    schema: {
      tags, summary: 'A territory\'s slots over at most 8 days, with their professional and state (the week of on-call bands)',
      description: 'Role: coordinator, of the territory. Earliest first; an expired hold is free.',
      querystring: slotCalendarQuerySchema, response: { 200: slotCalendarSchema, ...problemResponses(400, 401, 403, 429) },
    },
  }, async (request) => slotCalendar(ctx, actor(request), request.query));

  api.post('/v1/admin/slots', {
    schema: { tags, summary: 'Create an ad-hoc slot', body: createSlotSchema, response: { 201: slotResponseSchema, ...errors } },
  }, async (request, reply) => reply.code(201).send(await createSlot(ctx, actor(request), request.body)));

  api.post('/v1/admin/slots/:id/block', {
    schema: { tags, summary: 'Block a free or held slot (a booked one must be cancelled first)', params: idParamsSchema, body: blockSlotSchema, response: { 200: slotResponseSchema, ...errors } },
  }, async (request) => blockSlot(ctx, actor(request), request.params.id, request.body?.reason ?? null));

  api.post('/v1/admin/slots/:id/unblock', {
    schema: { tags, summary: 'Offer a blocked slot again', params: idParamsSchema, response: { 200: slotResponseSchema, ...errors } },
  }, async (request) => unblockSlot(ctx, actor(request), request.params.id));
};
