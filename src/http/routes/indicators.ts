// GET /v1/indicators: the SNP indicators of a territory and period, as JSON or
// as a French-friendly CSV (Accept: text/csv or ?format=csv).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { UseCaseContext } from '../../usecases/context.js';
import { CSV_CONTENT_TYPE, indicatorsCsv } from '../../usecases/indicators-csv.js';
import { computeIndicators, indicatorsQuerySchema, indicatorsReportSchema } from '../../usecases/indicators.js';
import { clientOf } from '../../auth/fastify-authentication.js';
import { problemResponses } from '../schemas/problems.js';

const indicatorsCsvSchema = z.string().meta({ description: 'UTF-8 with BOM, `;` separated, decimal comma; header `territory;from;to;indicator;key;value`.' });

function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return (request.headers.accept ?? '').toLowerCase().includes('text/csv');
}

export const indicatorRoutes: FastifyPluginAsync<{ ctx: UseCaseContext }> = async (app, { ctx }) => {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/indicators', {
    schema: {
      tags: ['indicators'],
      summary: 'SNP indicators of a territory for a day, week, month or custom range',
      description: 'Role: coordinator, of the territory. Periods are whole local days in the territory\'s zone. '
        + 'JSON by default; CSV with `Accept: text/csv` or `format=csv` (UTF-8 with BOM, `;` separator, decimal comma, '
        + 'header `territory;from;to;indicator;key;value`, one row per value).',
      querystring: indicatorsQuerySchema,
      response: {
        200: {
          description: 'The report: JSON by default, CSV when asked.',
          content: { 'application/json': { schema: indicatorsReportSchema }, 'text/csv': { schema: indicatorsCsvSchema } },
        },
        ...problemResponses(400, 401, 403, 404, 429),
      },
    },
  }, async (request, reply) => {
    const report = await computeIndicators(ctx, clientOf(request), request.query);
    if (!wantsCsv(request, request.query.format)) return report;
    const name = `indicators-${report.territory.id}-${report.period.from}-${report.period.to}.csv`;
    // A finished string under a non-JSON media type: Fastify sends it as it is, unserialised.
    return (reply as FastifyReply).type(CSV_CONTENT_TYPE).header('content-disposition', `attachment; filename="${name}"`).send(indicatorsCsv(report));
  });
};
