// The triage engine reports JSON paths ("$.rules[3].when.ageMin"); the API
// names fields the way its request validation does ("body.document.rules.3.when.ageMin").
const SEGMENT = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;

/** `$.redFlags[2]` under `body` → `body.redFlags.2`. Anything unexpected is kept as is. */
export function fieldOfJsonPath(prefix: string, path: string): string {
  if (!path.startsWith('$')) return `${prefix}.${path}`;
  let field = prefix;
  for (const match of path.slice(1).matchAll(SEGMENT)) {
    const segment = match[1] ?? match[2] ?? (match[3] !== undefined ? String(JSON.parse(match[3])) : '');
    field += `.${segment}`;
  }
  return field;
}
