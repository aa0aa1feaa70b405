// Who is acting, as every write use case records it: the authenticated client
// and the transport's trace id (HTTP request id, WebSocket message id) so that
// an audit row and the operator's logs line up.
import type { AuthenticatedClient } from './client.js';

export interface Actor {
  client: AuthenticatedClient;
  traceId?: string | undefined;
}

export function actorOf(client: AuthenticatedClient, traceId?: string): Actor {
  return { client, traceId };
}
