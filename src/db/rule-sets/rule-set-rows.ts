// The triage_rule_sets table: every version of every territory's rule set is
// kept; the highest version is in force. Version 1 (DEFAULT_RULE_SET_VERSION)
// of every territory is the national default shipped with the service, so a
// territory's own versions start above it and a version number names one
// document in a territory's history.
import { sql, type Kysely, type Transaction } from 'kysely';
import { DEFAULT_RULE_SET_VERSION } from '../../core/triage/index.js';
import type { Database } from '../schema.js';
import type { StoredRuleSet, StoredVersion } from '../../usecases/rule-set-store.js';

export type { StoredRuleSet, StoredVersion } from '../../usecases/rule-set-store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The highest stored version of each territory that has one. */
export async function latestVersions(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('triage_rule_sets')
    .select(['territory_id', (eb) => eb.fn.max('version').as('version')])
    .groupBy('territory_id').execute();
  return new Map(rows.map((r) => [r.territory_id, Number(r.version)]));
}

export async function storedRuleSet(db: Db, territoryId: string, version: number): Promise<StoredRuleSet | undefined> {
  const row = await db.selectFrom('triage_rule_sets').selectAll()
    .where('territory_id', '=', territoryId).where('version', '=', version).executeTakeFirst();
  return row === undefined ? undefined : {
    territoryId: row.territory_id, version: row.version, document: row.document,
    createdAt: row.created_at, createdBy: row.created_by, note: row.note,
  };
}

/** The stored version just below `version`, if any (walking back past a document that no longer parses). */
export async function previousVersion(db: Db, territoryId: string, version: number): Promise<number | undefined> {
  const row = await db.selectFrom('triage_rule_sets').select('version')
    .where('territory_id', '=', territoryId).where('version', '<', version)
    .orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row?.version;
}

/** A territory's history, newest first, without the documents. */
export async function storedVersions(db: Db, territoryId: string): Promise<StoredVersion[]> {
  const rows = await db.selectFrom('triage_rule_sets')
    .select(['version', 'created_at', 'created_by', 'note', sql<number>`coalesce(jsonb_array_length(document -> 'rules'), 0)`.as('rules')])
    .where('territory_id', '=', territoryId).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, createdAt: r.created_at, createdBy: r.created_by, note: r.note, rules: Number(r.rules) }));
}

/**
 * Stores `document` as the territory's next version, in the caller's
 * transaction. The territory row is locked first, so two coordinators saving
 * at once get consecutive versions instead of a key conflict. (FOR NO KEY
 * UPDATE: foreign-key checks of other writers are not blocked.)
 */
export async function insertNextVersion(trx: Transaction<Database>, input: {
  territoryId: string; document: unknown; createdBy: string; note: string | null;
}): Promise<{ version: number; createdAt: Date; previous: number }> {
  await trx.selectFrom('territories').select('id').where('id', '=', input.territoryId).forNoKeyUpdate().executeTakeFirstOrThrow();
  const current = await trx.selectFrom('triage_rule_sets').select((eb) => eb.fn.max('version').as('version'))
    .where('territory_id', '=', input.territoryId).executeTakeFirst();
  const previous = current?.version == null ? DEFAULT_RULE_SET_VERSION : Number(current.version);
  const version = Math.max(previous, DEFAULT_RULE_SET_VERSION) + 1;
  const row = await trx.insertInto('triage_rule_sets').values({
    territory_id: input.territoryId, version, document: JSON.stringify(input.document), created_by: input.createdBy, note: input.note,
  }).returning(['version', 'created_at']).executeTakeFirstOrThrow();
  return { version: row.version, createdAt: row.created_at, previous };
}
