// Hostile input for property-based fuzzing (fast-check): malformed, oversized,
// wrongly typed, unicode-heavy and injection-shaped values, and values shaped
// by a JSON Schema (those of the OpenAPI document) but bent in one place, so
// that inputs get past the first validation and reach deeper code.
import fc from 'fast-check';

const INJECTIONS = [
  "' OR '1'='1", "'; drop table bookings; --", '" OR ""="', '1; select pg_sleep(10)', '$1', '%s%s%s%n', '\\', '\\\\', "\\'",
  '<script>alert(1)</script>', '{{7*7}}', '${7*7}', '#{7*7}', '__proto__', 'constructor', 'prototype', 'toString',
  '../../../../etc/passwd', '..%2f..%2fetc%2fpasswd', '%00', '\u0000', '\r\nX-Injected: 1', '\u202e', '\ufeff', '\ud800', '\udfff',
  'null', 'undefined', 'NaN', 'Infinity', '-0', '1e309', '0x10', '9007199254740993', '-1', '', ' ', '\t\n',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '2026-02-30T25:61:61+99:99', '0001-01-01T00:00:00Z',
  'urn:oid:1.2.250.1.71.4.2.1|', 'ge2026-01-01', 'lt', '|', ',,,', '*', '%', '%%', '%zz', '😀'.repeat(50), 'Ω≈ç√∫˜µ≤≥÷', '𝕿𝖊𝖘𝖙', 'ﷺ', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗̻͂',
] as const;

/** Strings meant to hurt: injections, control and astral characters, numbers in disguise, lengths far beyond any limit. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '9', '😀', "'", '\u0000'), fc.integer({ min: 200, max: 120_000 })).map(([c, n]) => c.repeat(n)) },
);

/** Any JSON value, numbers and nesting included, with hostile strings as leaves. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 63, 4.9e-324),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', '$gt', 'slotId', 'patient')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  example?: unknown;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
}

/** Values from the ids the test knows (real slots, bookings…), for fields that expect one. */
export interface KnownValues { uuids: readonly string[]; strings: readonly string[] }

/** A value that fits `schema`, as far as a generator can make it fit. */
function fitting(schema: JsonSchema, known: KnownValues, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined && alternatives.length > 0) return fc.oneof(...alternatives.map((s) => shaped(s, known, depth)));
  if (schema.allOf !== undefined && schema.allOf.length > 0) return shaped(schema.allOf[0]!, known, depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      return fc.record(Object.fromEntries(properties.map(([k, s]) => [k, shaped(s, known, depth + 1)])),
        { requiredKeys: properties.map(([k]) => k).filter((k) => required.has(k)) });
    }
    case 'array':
      return fc.array(shaped(schema.items ?? {}, known, depth + 1), { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1_000, -1e9), max: Math.min(schema.maximum ?? 1_000, 1e9) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string': {
      if (schema.format === 'uuid') return known.uuids.length > 0 ? fc.oneof(fc.constantFrom(...known.uuids), fc.uuid()) : fc.uuid();
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.pattern !== undefined) {
        try { return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 10_000)); } catch { /* unsupported regex */ }
      }
      return fc.oneof(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) }),
        ...(known.strings.length > 0 ? [fc.constantFrom(...known.strings)] : []));
    }
    default:
      return hostileJson;
  }
}

/** Mostly fitting, sometimes hostile, sometimes the example: each node decides for itself. */
export function shaped(schema: JsonSchema, known: KnownValues, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fitting(schema, known, depth) },
    { weight: 1, arbitrary: hostileJson },
    ...(schema.example !== undefined ? [{ weight: 1, arbitrary: fc.constant(schema.example) }] : []),
  );
}

/** A whole request body: schema-shaped JSON, any JSON, broken JSON, or something oversized or too deep. */
export function hostileBody(schema: JsonSchema | undefined, known: KnownValues): fc.Arbitrary<{ raw: string }> {
  const json = (value: unknown) => ({ raw: JSON.stringify(value) ?? 'null' });
  return fc.oneof(
    { weight: 6, arbitrary: (schema !== undefined ? shaped(schema, known) : hostileJson).map(json) },
    { weight: 2, arbitrary: hostileJson.map(json) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":}', '[1,2', '{"slotId": "x",}', 'nul', '"\\ud800"', '{"__proto__": {"polluted": true}}',
      '{"constructor": {"prototype": {"polluted": true}}}', '\u0000', '', ' ', '{}{}', '1e999999').map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => ({ raw: '['.repeat(n) + ']'.repeat(n) })) },
    { weight: 1, arbitrary: fc.integer({ min: 70_000, max: 300_000 }).map((n) => json({ filler: 'x'.repeat(n) })) },
  );
}

/** A header value: latin-1 only (what HTTP/1.1 can carry), UTF-8 bytes passed through as such. */
export function headerSafe(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1').replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '').slice(0, 8_000);
}
