// Validation problems, the same on every transport: each offending field is
// named by its path in the input with zod's message, and an unknown key is
// named itself, not its parent object. Each transport then names the fields
// its own way (ApiProblem.withFieldNames): HTTP maps Fastify's validation
// errors here (src/http/error-handler.ts); the WebSocket channels parse with parseInput.
import type { z } from 'zod';
import { validationProblem, type FieldError } from './problem.js';

export interface InputIssue {
  path: readonly PropertyKey[];
  code: string;
  message: string;
  /** unrecognized_keys: the keys themselves. */
  keys?: readonly string[] | undefined;
}

export function fieldErrors(issues: readonly InputIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length > 0) {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'unknown field' }));
    }
    return [{ field: path.join('.'), message: issue.message }];
  });
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationProblem(fieldErrors(result.error.issues.map((issue) => ({
    path: issue.path, code: issue.code, message: issue.message, keys: 'keys' in issue ? issue.keys : undefined,
  }))));
}
