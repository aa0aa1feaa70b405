// POST /v1/match writes its answer by hand (src/http/match-json.ts), keeping the
// JSON of professionals and sites beside their shared views. The oracle is the
// serializer every other route uses: fast-json-stringify compiled from the same
// zod schema. For any answer, including ones that share slots, professionals
// and sites with earlier answers, both must write the same text.
import fc from 'fast-check';
import t from 'tap';
import { matchResponseJson } from '../src/http/match-json.js';
import { serializerCompiler } from '../src/server/zod-compilers.js';
import { MODALITIES, PROFESSIONS } from '../src/core/domain.js';
import { matchResponseSchema, type CandidateView, type MatchResponse } from '../src/usecases/match.js';
import { migratedDatabase } from './helpers/database.js';
import { addSlots, COMMUNES, soon, tokenFor, world } from './helpers/fixtures.js';
import { http, startTestService } from './helpers/service.js';

const oracle = serializerCompiler({ schema: matchResponseSchema, method: 'POST', url: '/v1/match', httpStatus: '200' }) as (data: unknown) => string;

// Text with what JSON must escape: quotes, backslashes, controls, non-ASCII, lone surrogates.
// And text as slot ids and times are (written without JSON.stringify when nothing needs escaping).
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.uuid(), fc.stringMatching(/^[0-9T:+.-]{0,25}$/),
  fc.constantFrom('Dr "Zoé" O\'Neil', 'a\\b', 'ligne\nnouvelle', '\u2028', '\ud800', '2026-12-07T10:15:00+01:00', 'a-b"'));
const number = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
const professional = fc.record({ rpps: text, name: text, profession: fc.constantFrom(...PROFESSIONS), skills: fc.array(text, { maxLength: 3 }) });
const site = fc.record({ commune: text, lat: number, lon: number });

t.test('the same JSON as fast-json-stringify, for any answer', async (t) => {
  // Pools of slots, professionals and sites shared across answers, as the index shares them.
  const slot = fc.record({ id: text, start: text, end: text, modality: fc.constantFrom(...MODALITIES) });
  const pools = fc.tuple(fc.array(slot, { minLength: 1, maxLength: 6 }), fc.array(professional, { minLength: 1, maxLength: 4 }), fc.array(site, { minLength: 1, maxLength: 4 }));
  const answer = (slots: CandidateView['slot'][], pros: CandidateView['professional'][], sites: CandidateView['site'][]) => {
    const candidate: fc.Arbitrary<CandidateView> = fc.record({
      slot: fc.oneof(fc.constantFrom(...slots), slot),
      professional: fc.constantFrom(...pros),
      site: fc.constantFrom(...sites),
      distanceKm: number,
    }, { requiredKeys: ['slot', 'professional', 'site'] });
    return fc.record({
      candidates: fc.array(candidate, { maxLength: 6 }),
      alternatives: fc.array(candidate, { maxLength: 3 }),
      searched: fc.record({ territory: text, from: text, until: text }),
    }, { requiredKeys: ['candidates', 'searched'] });
  };
  let answers = 0;
  fc.assert(fc.property(pools.chain(([slots, pros, sites]) => fc.array(answer(slots, pros, sites), { minLength: 1, maxLength: 4 })), (batch) => {
    for (const response of batch as MatchResponse[]) {
      answers++;
      if (matchResponseJson(response) !== oracle(response)) return false;
    }
    return true;
  }), { numRuns: 1_000 });
  t.ok(answers >= 1_000, `${answers} answers written alike`);
});

t.test('over HTTP: the answer says it is JSON, and is the text fast-json-stringify writes', async (t) => {
  const db = await migratedDatabase(t);
  const w = await world(db.db, { prosPerTerritory: 2 });
  await addSlots(db.db, w.a.pros[0]!, { start: soon(), count: 3 });
  const service = await startTestService(t, db.url);
  const { token } = await tokenFor(db.db, 'regulator', ['terr-a']);
  const answer = await http(service, 'POST', '/v1/match', { token, body: { commune: COMMUNES.venissieux.code } });
  t.equal(answer.status, 200);
  // Fastify names the media type only when it serialises the answer itself; this route writes its own.
  t.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  t.ok(answer.json.candidates.length >= 3, 'with candidates');
  t.equal(answer.text, oracle(answer.json), 'the same text');
});
