import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, CustomerRow } from '../db/schema.ts';
import { fromJson, toJson } from '../db/database.ts';
import { defineCommand } from '../commands/bus.ts';
import { Customer } from '../../../shared/src/customers.ts';
import { coreRecordIdentifiers, resolveIdentity } from './identity.ts';

export function toCustomer(row: CustomerRow): Customer {
  return Customer.parse({
    id: row.id,
    customerRef: row.customer_ref,
    fullName: row.full_name,
    nationalId: row.national_id,
    phone: row.phone,
    email: row.email,
    county: row.county,
    segment: row.segment,
    kycStatus: row.kyc_status,
    riskRating: row.risk_rating,
    customerSince: row.customer_since,
    accounts: fromJson(row.accounts),
  });
}

export async function findCustomerByRef(db: Kysely<Database>, customerRef: string): Promise<Customer | null> {
  const row = await db.selectFrom('customers').selectAll().where('customer_ref', '=', customerRef).where('deleted_at', 'is', null).executeTakeFirst();
  return row ? toCustomer(row) : null;
}

/**
 * Creates or updates a customer from the core banking record (keyed by CIF reference).
 * Used by demo seeding now and by the core-banking sync later.
 */
export const upsertCustomer = defineCommand({
  name: 'customer.upsert',
  input: Customer.omit({ id: true }),
  permission: null,
  async apply(ctx, input) {
    const existing = await ctx.trx.selectFrom('customers').selectAll().where('customer_ref', '=', input.customerRef).executeTakeFirst();
    const now = ctx.now.toISOString();
    const columns = {
      full_name: input.fullName,
      national_id: input.nationalId,
      phone: input.phone,
      email: input.email,
      county: input.county,
      segment: input.segment,
      kyc_status: input.kycStatus,
      risk_rating: input.riskRating,
      customer_since: input.customerSince,
      accounts: toJson(input.accounts),
      updated_at: now,
    };
    // Seed 004: every core record resolves to a global customer id (merging duplicates).
    const gcid = await resolveIdentity(ctx, { identifiers: coreRecordIdentifiers(input), displayName: input.fullName, source: 'core-banking' });
    if (existing) {
      const version = existing.version + 1;
      await ctx.trx
        .updateTable('customers')
        .set({ ...columns, version, deleted_at: null })
        .where('id', '=', existing.id)
        .execute();
      ctx.audit({ entityType: 'customer', entityId: existing.id, before: toCustomer(existing), after: { ...input } });
      ctx.change({ entityType: 'customer', entityId: existing.id, operation: 'upsert', version, data: { ...input } });
      return { id: existing.id, created: false, gcid };
    }
    const id = randomUUID();
    await ctx.trx
      .insertInto('customers')
      .values({ id, customer_ref: input.customerRef, ...columns, created_at: now, version: 1, deleted_at: null })
      .execute();
    ctx.audit({ entityType: 'customer', entityId: id, before: null, after: { ...input } });
    ctx.change({ entityType: 'customer', entityId: id, operation: 'upsert', version: 1, data: { ...input } });
    return { id, created: true, gcid };
  },
});
