// Triage requests as the use cases record and reference them. PostgreSQL
// implements it (src/db/stores/requests.ts); src/service.ts wires it.
import type { Orientation } from '../core/domain.js';
import type { Role } from './client.js';

export interface RequestRecord {
  territoryId: string | null;
  clientId: string;
  origin: Role;
  communeCode: string | null;
  /** Only what the triage used: nothing that identifies the patient. */
  patient: unknown;
  complaint: string;
  redFlags: string[];
  triage: unknown;
  orientation: Orientation;
  maxDelayMinutes: number | null;
  outcome: string;
  candidatesCount: number;
}

export interface RequestStore {
  /** The client that made the request, undefined when there is no such request. */
  clientOf(requestId: string): Promise<string | undefined>;
  /** Records it; its id. */
  record(request: RequestRecord): Promise<string>;
}
