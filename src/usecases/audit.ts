// The audit trail: one row per change of a booking, hold, slot or directory
// entry, written in the same transaction as the change itself. Details never
// carry patient data (the audit log outlives the retention purge).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';

export type AuditEntity = 'booking' | 'hold' | 'slot' | 'professional' | 'site' | 'band';

export interface AuditEntry {
  action: string;
  entity: AuditEntity;
  entityId: string;
  details?: Record<string, unknown>;
}

export async function writeAudit(db: Kysely<Database> | Transaction<Database>, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insertInto('audit_log').values(entries.map((e) => ({
    client_id: actor.client.id,
    request_id: actor.traceId ?? null,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId,
    details: JSON.stringify(e.details ?? {}),
  }))).execute();
}
