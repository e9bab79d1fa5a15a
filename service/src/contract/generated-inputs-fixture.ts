// Shared by the generated-inputs property tests (contract-wide, partner API, integration): the
// schema an operation's input is generated from, how a generated query is sent, and the rows
// whose count proves a refused request wrote nothing.
import { z } from 'zod';
import type { TestService } from '../testing/service.ts';
import type { JsonSchema } from './json-schema-arbitrary.ts';

/** An operation input's JSON Schema (what a caller may send, before defaults and transforms). */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** A generated query object as a query string: strings as they are, anything else as JSON. */
export function queryString(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  const params = new URLSearchParams();
  for (const [key, v] of Object.entries(value)) if (v !== undefined) params.set(key, typeof v === 'string' ? v : JSON.stringify(v));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** "audit/changes" row counts: unchanged across a refused request when it wrote nothing. */
export async function rowCounts(svc: TestService): Promise<string> {
  const db = svc.service.context.db.kysely;
  const audit = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const changes = await db
    .selectFrom('change_log')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return `${Number(audit.n)}/${Number(changes.n)}`;
}
