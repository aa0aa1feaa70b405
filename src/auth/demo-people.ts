// Demo accounts of the embedded OpenID provider, made at the first start of
// the embedded database (like the demo territories): for each territory a
// pharmacist, a regulator, a coordinator and its first professional (whose
// login is its RPPS, as with Pro Santé Connect). The passwords exist in clear
// only in what this returns, printed once by the service.
import type { Kysely } from 'kysely';
import { countPeople, insertPerson } from '../db/people.js';
import type { Database } from '../db/schema.js';
import type { Role } from '../usecases/client.js';
import { generatePassword, hashPassword } from './passwords.js';

export interface DemoAccount { login: string; password: string; role: Role; territory: string; name: string }

const STAFF: { role: Role; prefix: string; name: string }[] = [
  { role: 'pharmacist', prefix: 'pharmacien', name: 'Pharmacie de démonstration' },
  { role: 'regulator', prefix: 'regulateur', name: 'Régulation SAS de démonstration' },
  { role: 'coordinator', prefix: 'coordination', name: 'Coordination de démonstration' },
];

/** Creates the demo accounts when there is no person yet; [] otherwise. */
export async function createDemoPeopleIfNone(db: Kysely<Database>): Promise<DemoAccount[]> {
  if (await countPeople(db) > 0) return [];
  const territories = await db.selectFrom('territories').select(['id', 'name']).orderBy('id').execute();
  const accounts: DemoAccount[] = [];
  for (const territory of territories) {
    const wanted = STAFF.map((staff) => ({ role: staff.role, login: `${staff.prefix}.${territory.id}`, name: `${staff.name} (${territory.name})`, rpps: undefined as string | undefined }));
    const professional = await db.selectFrom('professionals').select(['rpps', 'given_name', 'family_name'])
      .where('territory_id', '=', territory.id).where('active', '=', true).orderBy('rpps').executeTakeFirst();
    if (professional !== undefined) {
      wanted.push({ role: 'professional', login: professional.rpps, name: `${professional.given_name} ${professional.family_name}`, rpps: professional.rpps });
    }
    for (const account of wanted) {
      const password = generatePassword();
      await insertPerson(db, { ...account, territories: [territory.id], passwordHash: await hashPassword(password) });
      accounts.push({ login: account.login, password, role: account.role, territory: territory.id, name: account.name });
    }
  }
  return accounts;
}
