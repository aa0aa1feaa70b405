// The soak's territory: professionals with a slot every 10 minutes over the next
// 40 hours (inside the 48 h horizon for the whole run), requesters' tokens, and
// each professional's own token for its device. Three start offsets (0, 3, 6
// min) that never coincide: at most a third of the professionals share an
// instant, so the final check can page through /v1/match (50 a page).
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { addProfessional, addSlots, COMMUNES, soon, tokenFor, world, type ProfessionalFixture } from '../harness/fixtures.js';

export interface SoakDataset {
  professionals: (ProfessionalFixture & { token: string })[];
  requesters: { id: string; token: string }[];
  slots: number;
}

export async function createDataset(db: Kysely<Database>, professionals: number): Promise<SoakDataset> {
  await world(db, { prosPerTerritory: 0 });
  const start = soon(60);
  const pros: SoakDataset['professionals'] = [];
  let slots = 0;
  for (let i = 0; i < professionals; i++) {
    const pro = await addProfessional(db, { territoryId: 'terr-a', commune: i % 2 === 0 ? COMMUNES.venissieux : COMMUNES.saintFons, profession: 'gp' });
    slots += (await addSlots(db, pro, { start: start + (i % 3) * 3 * 60_000, count: 240, minutes: 10 })).length;
    pros.push({ ...pro, token: (await tokenFor(db, 'professional', ['terr-a'], pro.rpps)).token });
  }
  const requesters = [
    await tokenFor(db, 'regulator', ['terr-a']), await tokenFor(db, 'regulator', ['terr-a']),
    await tokenFor(db, 'pharmacist', ['terr-a']), await tokenFor(db, 'pharmacist', ['terr-a']),
  ];
  return { professionals: pros, requesters, slots };
}
