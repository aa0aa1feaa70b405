// The JSON of a match answer, written by hand from parts kept across answers.
// A professional's and a site's views are shared by every answer that offers
// them (src/usecases/match.ts), so their JSON is kept beside them; only the
// slot, the distance and the search are written each time. fast-json-stringify,
// compiled from the same schema, wrote every field of every candidate on every
// answer. test/match-json.test.ts checks both write the same JSON.
import type { CandidateView, MatchResponse } from '../usecases/match.js';

const jsonOfPart = new WeakMap<object, string>();

// Slot ids, times and enums are made of these: quoted as they are, the test
// costs a third of a JSON.stringify call; anything else is escaped by it.
const NOTHING_TO_ESCAPE = /^[A-Za-z0-9:+.\-]*$/;
const quoted = (text: string): string => (NOTHING_TO_ESCAPE.test(text) ? `"${text}"` : JSON.stringify(text));

/** The JSON of a view that is never mutated, kept as long as the view lives. */
function partJson(part: object): string {
  let json = jsonOfPart.get(part);
  if (json === undefined) jsonOfPart.set(part, json = JSON.stringify(part));
  return json;
}

function candidateJson(candidate: CandidateView): string {
  const { slot } = candidate;
  return `{"slot":{"id":${quoted(slot.id)},"start":${quoted(slot.start)},"end":${quoted(slot.end)},"modality":${quoted(slot.modality)}}`
    + `,"professional":${partJson(candidate.professional)},"site":${partJson(candidate.site)}`
    + (candidate.distanceKm === undefined ? '}' : `,"distanceKm":${JSON.stringify(candidate.distanceKm)}}`);
}

function candidatesJson(candidates: readonly CandidateView[]): string {
  let json = '[';
  for (let i = 0; i < candidates.length; i++) json += (i === 0 ? '' : ',') + candidateJson(candidates[i]!);
  return json + ']';
}

/** In fast-json-stringify's order (required properties first), so that the text is the same as before. */
export function matchResponseJson(response: MatchResponse): string {
  const { searched } = response;
  return `{"candidates":${candidatesJson(response.candidates)}`
    + `,"searched":{"territory":${quoted(searched.territory)},"from":${quoted(searched.from)},"until":${quoted(searched.until)}}`
    + (response.alternatives === undefined ? '}' : `,"alternatives":${candidatesJson(response.alternatives)}}`);
}
