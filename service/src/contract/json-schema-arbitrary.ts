import fc from 'fast-check';

/** The subset of JSON Schema (draft 2020-12, as zod's toJSONSchema writes it) that inputs use. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

/** Values people and broken clients really send: control characters, far dates, tiny and huge numbers. */
const HOSTILE = fc.constantFrom<unknown>(
  null,
  '',
  ' ',
  'a\u0000b',
  '\u0007\u001b[31m',
  '0000-01-01',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30',
  '12/04/2026',
  1.5e-300,
  -1,
  0,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  'x'.repeat(5000),
  '../../etc/passwd',
  "'; drop table users; --",
  '<script>alert(1)</script>',
  [],
  {},
  true,
);

function isoDate(): fc.Arbitrary<string> {
  return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
}

/** Values that follow the schema (mostly): the service must accept them or refuse them with a 400/404/409. */
export function validArbitrary(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 5) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validArbitrary(s, depth + 1)));
  if (schema.allOf?.length) return validArbitrary(schema.allOf[0]!, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(properties)) record[name] = validArbitrary(property, depth + 1);
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
    }
    case 'array':
      return fc.array(schema.items ? validArbitrary(schema.items, depth + 1) : fc.string(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'string':
      if (schema.format === 'date-time') return isoDate();
      if (schema.format === 'date') return isoDate().map((d) => d.slice(0, 10));
      if (schema.format === 'uuid') return fc.uuid({ version: 4 });
      if (schema.format === 'email') return fc.emailAddress();
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40), unit: 'grapheme-ascii' });
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1_000_000), max: Math.min(schema.maximum ?? 100_000, 10_000_000) });
    case 'number':
      return fc.double({
        min: Math.max(schema.minimum ?? schema.exclusiveMinimum ?? -1e6, -1e12),
        max: Math.min(schema.maximum ?? schema.exclusiveMaximum ?? 1e9, 1e12),
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  }
}

/** A valid value with one field replaced by something hostile, or something hostile altogether. */
export function mutatedArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const valid = validArbitrary(schema);
  const names = Object.keys(schema.properties ?? {});
  const fieldMutation =
    names.length === 0
      ? HOSTILE
      : fc
          .tuple(valid, fc.constantFrom(...names), HOSTILE)
          .map(([value, name, hostile]) => ({ ...(typeof value === 'object' && value !== null ? value : {}), [name]: hostile }));
  return fc.oneof({ arbitrary: fieldMutation, weight: 3 }, { arbitrary: HOSTILE, weight: 1 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });
}
