// Who is calling: an API client in a role, scoped to territories (and, for a
// professional, to its own RPPS). Every transport authenticates a request to this.
export const ROLES = ['regulator', 'pharmacist', 'professional', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

export interface AuthenticatedClient {
  id: string;
  name: string;
  role: Role;
  territories: string[];
  professionalId: string | null;
  rpps: string | null;
  /** When the token stops working by itself (null: never). */
  expiresAt?: Date | null;
  /** Set when a person's browser session authenticated the request (hex of its hash): sockets watch the session too. */
  sessionId?: string;
}
