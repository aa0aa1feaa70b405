// The bytes of a match answer, written by hand from parts kept across answers.
// A slot's, a professional's and a site's views are shared by every answer that
// offers them (src/usecases/match.ts), so their UTF-8 JSON is kept beside them;
// an answer copies those bytes and writes only the distances and the search.
// Written as a string, the answer was a rope of some sixty pieces that Node
// then flattened to count its bytes (Content-Length) and encoded again to
// write it: 3 µs of a 35 µs request, beside 2.9 µs to build it (profile of
// bench/profile-hot-paths.ts match, README "Where the time goes").
// fast-json-stringify, compiled from the same schema, is the oracle:
// test/match-json.test.ts checks both write the same bytes.
import type { CandidateView, MatchResponse } from '../usecases/match.js';
import { JsonBytes } from './json-bytes.js';

// What a candidate is made of, each with the text that follows it in every answer.
const slotBytes = new WeakMap<object, Buffer>();
const professionalBytes = new WeakMap<object, Buffer>();
const siteBytes = new WeakMap<object, Buffer>();

/** The JSON of a view that is never mutated, between two fixed texts, kept as long as the view lives. */
function kept(cache: WeakMap<object, Buffer>, view: object, before: string, after: string): Buffer {
  let bytes = cache.get(view);
  if (bytes === undefined) cache.set(view, bytes = Buffer.from(before + JSON.stringify(view) + after));
  return bytes;
}

const out = new JsonBytes();

function writeCandidates(candidates: readonly CandidateView[]): void {
  out.ascii('[');
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    if (i > 0) out.ascii(',');
    out.bytes(kept(slotBytes, candidate.slot, '{"slot":', ',"professional":'));
    out.bytes(kept(professionalBytes, candidate.professional, '', ',"site":'));
    out.bytes(kept(siteBytes, candidate.site, '', ''));
    if (candidate.distanceKm !== undefined) {
      out.ascii(',"distanceKm":');
      out.ascii(JSON.stringify(candidate.distanceKm));
    }
    out.ascii('}');
  }
  out.ascii(']');
}

/** In fast-json-stringify's order (required properties first), so that the bytes are the same as before. */
export function matchResponseJson(response: MatchResponse): Buffer {
  const { searched } = response;
  out.start().ascii('{"candidates":');
  writeCandidates(response.candidates);
  out.ascii(',"searched":{"territory":');
  out.string(searched.territory);
  out.ascii(',"from":');
  out.string(searched.from);
  out.ascii(',"until":');
  out.string(searched.until);
  out.ascii('}');
  if (response.alternatives !== undefined) {
    out.ascii(',"alternatives":');
    writeCandidates(response.alternatives);
  }
  out.ascii('}');
  return out.take();
}
