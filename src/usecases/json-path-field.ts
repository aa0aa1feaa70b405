// The triage engine reports JSON paths ("$.rules[3].when.ageMin"); use cases
// name fields by their path in the input ("document.rules.3.when.ageMin").
const SEGMENT = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;

/** `$.redFlags[2]` → `redFlags.2`, under `document` → `document.redFlags.2`. Anything unexpected is kept as is. */
export function fieldOfJsonPath(path: string, under?: string): string {
  const segments: string[] = under === undefined ? [] : [under];
  if (!path.startsWith('$')) return [...segments, path].join('.');
  for (const match of path.slice(1).matchAll(SEGMENT)) {
    segments.push(match[1] ?? match[2] ?? (match[3] !== undefined ? String(JSON.parse(match[3])) : ''));
  }
  return segments.join('.');
}
