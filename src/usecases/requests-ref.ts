// A hold or booking may name the triage request it answers (POST /v1/requests);
// only the caller's own requests may be named.
import type { AuthenticatedClient } from './client.js';
import type { UseCaseContext } from './context.js';
import { validationProblem } from './problem.js';

export async function requireOwnRequest(ctx: UseCaseContext, client: AuthenticatedClient, requestId: string | undefined, field = 'requestId'): Promise<void> {
  if (requestId === undefined) return;
  const row = await ctx.database.db.selectFrom('requests').select(['client_id']).where('id', '=', requestId).executeTakeFirst();
  if (row === undefined || row.client_id !== client.id) throw unknownRequest(field);
}

export const unknownRequest = (field = 'requestId') => validationProblem([{ field, message: 'no such request of this client' }]);
