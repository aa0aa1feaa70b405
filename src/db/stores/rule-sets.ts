// A territory's rule set versions (src/usecases/rule-set-store.ts
// RuleSetStore): read from triage_rule_sets, appended with an audit row.
import type { RuleSetStore } from '../../usecases/rule-set-store.js';
import type { DatabaseHandle } from '../database.js';
import { insertNextVersion, storedRuleSet, storedVersions } from '../rule-sets/rule-set-rows.js';

export function pgRuleSets(database: DatabaseHandle): RuleSetStore {
  return {
    versions: (territoryId) => storedVersions(database.db, territoryId),
    find: (territoryId, version) => storedRuleSet(database.db, territoryId, version),
    saveNextVersion: (actor, { territoryId, ruleSet, note, action, details }) => database.db.transaction().execute(async (trx) => {
      const inserted = await insertNextVersion(trx, { territoryId, document: ruleSet, createdBy: actor.client.id, note });
      // Same table and columns as src/db/stores/audit.ts (whose entity list is the booking side's).
      await trx.insertInto('audit_log').values({
        client_id: actor.client.id, request_id: actor.traceId ?? null, action, entity: 'rule-set', entity_id: territoryId,
        details: JSON.stringify({ version: inserted.version, previousVersion: inserted.previous, rules: ruleSet.rules.length, ...details }),
      }).execute();
      return inserted;
    }),
  };
}
