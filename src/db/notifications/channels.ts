// Every channel the instance's notifier LISTENs to, and who NOTIFYs on it.
// A notification means "look now". Two payloads say more: an after-commit hint
// (src/db/slot-change-hint.ts) sends HINT_ANNOUNCES_EVENTS or HINT_REFLECTED on
// slot_changes, and on outbox_events the events it committed
// (src/db/outbox/hint-payload.ts).

/** Slots written: the slots trigger (sql/001, deferred by hot writers per sql/004) and the after-commit hint. */
export const SLOT_CHANGES_CHANNEL = 'slot_changes';
/** What an after-commit hint says on slot_changes: its outbox events (if any) are announced on outbox_events. */
export const HINT_ANNOUNCES_EVENTS = 'hint';
/**
 * The same, and every slot change it announces is already in the sending instance's index
 * (read-your-writes, src/db/sync/local-writes.ts): that instance need not look at once.
 */
export const HINT_REFLECTED = 'hint reflected';

/** An after-commit hint on slot_changes: its outbox events, if any, were announced on outbox_events. */
export function isAfterCommitHint(payload: string): boolean {
  return payload === HINT_ANNOUNCES_EVENTS || payload === HINT_REFLECTED;
}
/** Outbox events written: the events trigger (sql/007), or an after-commit hint carrying them. */
export const OUTBOX_EVENTS_CHANNEL = 'outbox_events';
/** Triage rule sets written (sql/005). */
export const RULE_SETS_CHANNEL = 'triage_rule_sets';
/** API clients changed: revocation, expiry, deletion (sql/008). */
export const API_CLIENT_CHANGES_CHANNEL = 'api_client_changes';
/** Reference data written: territories, communes, territory_communes, professionals, sites; the payload names the table (sql/010). */
export const REFERENCE_DATA_CHANNEL = 'reference_data';
