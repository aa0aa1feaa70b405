// Requests refused before any route sees them (src/server/client-errors.ts)
// are answered in the wording of the transport whose prefix the URL is under:
// each transport registers its own, the rest get the server's default.

/** A refusal, described independently of how any transport words it. */
export interface Refusal {
  status: number;
  /** The problem type slug (problem+json). */
  slug: string;
  detail: string;
  /** What kind of fault: too large or too costly, too slow to arrive, unparsable framing, too many, or otherwise invalid. */
  kind: 'too-large' | 'timeout' | 'unparsable' | 'throttled' | 'invalid';
}

export interface RefusalAnswer {
  contentType: string;
  body: string;
}

export type RefusalWording = (refusal: Refusal) => RefusalAnswer;

export class RefusalWordings {
  private readonly byPrefix: { prefix: string; wording: RefusalWording }[] = [];

  constructor(private readonly fallback: RefusalWording) {}

  /** URLs under `prefix` (followed by `/` or `?`) get this wording. */
  register(prefix: string, wording: RefusalWording): void {
    this.byPrefix.push({ prefix, wording });
  }

  /** The answer to a refusal of a request to `url` (a request target, possibly cut short). */
  answer(url: string, refusal: Refusal): RefusalAnswer {
    return this.wordingOf(url)(refusal);
  }

  /** How refusals of requests to `url` are worded (the same function for every URL under one prefix: a key for canned answers). */
  wordingOf(url: string): RefusalWording {
    const under = this.byPrefix.find(({ prefix }) => url.startsWith(prefix) && (url[prefix.length] === '/' || url[prefix.length] === '?'));
    return under?.wording ?? this.fallback;
  }
}
