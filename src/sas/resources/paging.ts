// Paging of a searchset (FHIR R4 search.html#count, http.html#paging): _count
// asks for at most that many matches per page; the Bundle's next / previous
// links lead to the neighbouring pages. Their URLs are the request's own, with
// our _offset (the number of matches before the page) set: the client follows
// them as they are and never builds one.

export const OFFSET_PARAMETER = '_offset';

export interface Page {
  /** Index of the first match of the page, and one past its last. */
  from: number;
  to: number;
  next?: number;
  previous?: number;
}

/** The page of `total` matches that `_offset` and `_count` select; without _count, all from the offset. */
export function pageOf(total: number, offset: number, count: number | undefined): Page {
  const from = Math.min(offset, total);
  if (count === undefined) return { from, to: total };
  const to = Math.min(from + count, total);
  return {
    from,
    to,
    // _count=0 asks for the total alone: no page to go to.
    ...(count > 0 && to < total ? { next: to } : {}),
    ...(count > 0 && from > 0 ? { previous: Math.max(0, from - count) } : {}),
  };
}

/** The request URL with _offset set to `offset` (removed when 0). */
export function pageUrl(requestUrl: string, offset: number): string {
  const q = requestUrl.indexOf('?');
  const path = q < 0 ? requestUrl : requestUrl.slice(0, q);
  const kept = (q < 0 ? '' : requestUrl.slice(q + 1)).split('&')
    .filter((segment) => segment !== '' && segment.split('=')[0] !== OFFSET_PARAMETER);
  if (offset > 0) kept.push(`${OFFSET_PARAMETER}=${offset}`);
  return kept.length === 0 ? path : `${path}?${kept.join('&')}`;
}
