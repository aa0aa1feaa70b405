// The audit trail's rows (src/usecases/audit.ts says what they are), written
// in the caller's transaction.
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../usecases/actor.js';
import type { AuditEntry } from '../../usecases/audit.js';
import type { Database } from '../schema.js';

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
