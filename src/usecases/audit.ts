// The audit trail: one row per change of a booking, hold, slot or directory
// entry, written in the same transaction as the change itself (by the stores
// of src/db, src/db/stores/audit.ts). Details never carry patient data (the
// audit log outlives the retention purge).
export type AuditEntity = 'booking' | 'hold' | 'slot' | 'professional' | 'site' | 'band' | 'regulator-account';

export interface AuditEntry {
  action: string;
  entity: AuditEntity;
  entityId: string;
  details?: Record<string, unknown>;
}
