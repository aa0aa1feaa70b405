// A hold or booking may name the triage request it answers (POST /v1/requests);
// only the caller's own requests may be named.
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import { validationProblem } from './problem.js';

export async function requireOwnRequest(ctx: UseCaseContext, client: AuthenticatedClient, requestId: string | undefined, field = 'requestId'): Promise<void> {
  if (requestId === undefined) return;
  const owner = await ctx.requests.clientOf(requestId);
  if (owner === undefined || owner !== client.id) throw unknownRequest(field);
}

export const unknownRequest = (field = 'requestId') => validationProblem([{ field, message: 'no such request of this client' }]);
