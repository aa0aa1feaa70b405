// Regulator accounts (flux v1 of the SAS, issue 14): the SAS platform's API client
// creates and updates the accounts of its regulators; a stored, active account with
// an RPPS lets that regulator log in to the booking pages (the Régulation page) as a
// regulator of the creating client's territories. Transport-neutral: /fhir maps
// FrPractitionerRegul onto these fields.
import type { Actor } from './actor.js';
import type { AuthenticatedClient } from './client.js';
import { ApiProblem } from './problem.js';
import { requireRole } from './scopes.js';
import type { RegulatorAccountFields } from '../core/regulator-account.js';

export type { RegulatorAccountFields };

export interface RegulatorAccount extends RegulatorAccountFields {
  id: string;
  /** The person who logs in as this regulator, when there is one. */
  personId: string | null;
}

export type RegulatorIdentifierKind = 'idnps' | 'intrn';

/** Stored in PostgreSQL (src/sas/storage/regulator-accounts.ts); each write is one transaction with its audit row and person. */
export interface RegulatorAccountStore {
  /** The creating client's account with that identifier: the active one, else the last updated. */
  find(clientId: string, kind: RegulatorIdentifierKind, value: string): Promise<RegulatorAccount | undefined>;
  /** 'duplicate' when an active account of the client already has one of these identifiers. */
  insert(actor: Actor, fields: RegulatorAccountFields): Promise<RegulatorAccount | 'duplicate'>;
  update(actor: Actor, id: string, fields: RegulatorAccountFields): Promise<RegulatorAccount | 'duplicate'>;
}

export interface RegulatorAccountOutcome { status: 200 | 201; account: RegulatorAccount }

/** Only the SAS platform's client manages accounts: a regulator API client, never a person's browser session. */
function requireSasClient(client: AuthenticatedClient): void {
  requireRole(client, ['regulator']);
  if (client.sessionId !== undefined) {
    throw new ApiProblem(403, 'forbidden-role', 'Forbidden', 'regulator accounts are managed by the SAS platform\'s API client, not from a browser session');
  }
}

function duplicate(): ApiProblem {
  return new ApiProblem(422, 'duplicate', 'Unprocessable Content', 'an active regulator account already has this identifier (deactivate it first: active = false)', {
    errors: [{ field: 'identifier', message: 'already the identifier of an active account' }],
  });
}

export async function createRegulatorAccount(store: RegulatorAccountStore, actor: Actor, fields: RegulatorAccountFields): Promise<RegulatorAccountOutcome> {
  requireSasClient(actor.client);
  const account = await store.insert(actor, fields);
  if (account === 'duplicate') throw duplicate();
  return { status: 201, account };
}

/** Conditional update: the account with that identifier, or a new one when none has it (FHIR's update as create). */
export async function putRegulatorAccount(
  store: RegulatorAccountStore, actor: Actor, criterion: { kind: RegulatorIdentifierKind; value: string }, fields: RegulatorAccountFields,
): Promise<RegulatorAccountOutcome> {
  requireSasClient(actor.client);
  const existing = await store.find(actor.client.id, criterion.kind, criterion.value);
  const account = existing === undefined ? await store.insert(actor, fields) : await store.update(actor, existing.id, fields);
  if (account === 'duplicate') throw duplicate();
  return { status: existing === undefined ? 201 : 200, account };
}
