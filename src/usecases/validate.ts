// Input validation outside Fastify (the WebSocket channels): the same zod
// schemas as the HTTP routes, and the same problem — the field named
// "<where>.<path>" with zod's message, as the HTTP error handler names it.
import type { z } from 'zod';
import { validationProblem } from './problem.js';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationProblem(result.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  })));
}
