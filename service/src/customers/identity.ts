import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../commands/bus.ts';
import { defineCommand } from '../commands/bus.ts';
import { notFound, validationFailed } from '../errors.ts';
import { toIso } from '../db/database.ts';
import { CustomerMergeRequest, STRONG_IDENTIFIERS, normaliseIdentifier, type IdentifierKind } from '../../../shared/src/customer360.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { gcidVisible } from './visibility.ts';
import { lockKeys } from '../db/dialect.ts';

export interface IdentifierInput {
  kind: IdentifierKind;
  value: string | null | undefined;
}

type Trx = CommandContext['trx'];

/** Follows merged_into to the surviving GCID (merges can chain). */
export async function survivingGcid(trx: Trx, gcid: string): Promise<string | null> {
  let current = gcid;
  for (let hops = 0; hops < 20; hops++) {
    const row = await trx.selectFrom('global_customers').select(['gcid', 'merged_into']).where('gcid', '=', current).executeTakeFirst();
    if (!row) return null;
    if (!row.merged_into) return row.gcid;
    current = row.merged_into;
  }
  return current;
}

function normalised(identifiers: readonly IdentifierInput[]): Array<{ kind: IdentifierKind; value: string }> {
  const seen = new Set<string>();
  const out: Array<{ kind: IdentifierKind; value: string }> = [];
  for (const { kind, value } of identifiers) {
    if (!value) continue;
    const v = normaliseIdentifier(kind, value);
    if (!v || seen.has(`${kind}:${v}`)) continue;
    seen.add(`${kind}:${v}`);
    out.push({ kind, value: v });
  }
  return out;
}

/**
 * Resolves identifiers to one global customer id (seed 004), inside the caller's transaction:
 * - any strong identifier (national ID, phone, e-mail, core-banking reference) already known
 *   decides; when they point at several GCIDs those are the same person and are merged into the
 *   oldest;
 * - a device fingerprint links only a record with no known strong identifier (a shared family
 *   phone or agent device must not merge strangers);
 * - otherwise a new GCID is created.
 * Every identifier given is then recorded against the survivor.
 */
export async function resolveIdentity(
  ctx: CommandContext,
  input: { identifiers: readonly IdentifierInput[]; displayName: string; source: string },
): Promise<string> {
  const ids = normalised(input.identifiers);
  if (ids.length === 0) throw new Error('resolveIdentity needs at least one identifier');
  // On PostgreSQL two hubs resolving the same person at once would both create a GCID: serialise
  // on the strongest identifier given. SQLite has one writer.
  await lockKeys(
    ctx.dialect,
    ctx.trx,
    ids.map((i) => `${i.kind}:${i.value}`),
  );
  const known = await ctx.trx
    .selectFrom('customer_identifiers')
    .select(['id', 'gcid', 'kind', 'value'])
    .where((eb) => eb.or(ids.map((i) => eb.and([eb('kind', '=', i.kind), eb('value', '=', i.value)]))))
    .execute();
  const strongGcids = new Set<string>();
  const deviceGcids = new Set<string>();
  for (const row of known) {
    const gcid = (await survivingGcid(ctx.trx, row.gcid)) ?? row.gcid;
    (STRONG_IDENTIFIERS.includes(row.kind as IdentifierKind) ? strongGcids : deviceGcids).add(gcid);
  }
  const now = ctx.now.toISOString();
  let gcid: string;
  if (strongGcids.size > 0) {
    gcid = await mergeAll(
      ctx,
      [...strongGcids],
      `identifiers ${ids
        .filter((i) => i.kind !== 'DEVICE')
        .map((i) => i.kind)
        .join(', ')} matched more than one customer`,
    );
  } else if (deviceGcids.size === 1) {
    gcid = [...deviceGcids][0]!;
  } else {
    gcid = randomUUID();
    await ctx.trx
      .insertInto('global_customers')
      .values({ gcid, display_name: input.displayName.slice(0, 200), merged_into: null, created_at: now, updated_at: now, version: 1, deleted_at: null })
      .execute();
    ctx.audit({ entityType: 'customer-identity', entityId: gcid, before: null, after: { gcid, displayName: input.displayName, source: input.source } });
    ctx.change({
      entityType: 'global-customer',
      entityId: gcid,
      operation: 'upsert',
      version: 1,
      data: { gcid, displayName: input.displayName, mergedInto: null },
    });
  }
  const knownKeys = new Map(known.map((k) => [`${k.kind}:${k.value}`, k]));
  for (const identifier of ids) {
    const existing = knownKeys.get(`${identifier.kind}:${identifier.value}`);
    if (existing) {
      // Devices stay with the person they were first seen with; strong identifiers follow merges.
      const patch = existing.gcid === gcid || identifier.kind === 'DEVICE' ? { last_seen_at: now } : { last_seen_at: now, gcid };
      await ctx.trx.updateTable('customer_identifiers').set(patch).where('id', '=', existing.id).execute();
      continue;
    }
    await ctx.trx
      .insertInto('customer_identifiers')
      .values({
        id: randomUUID(),
        gcid,
        kind: identifier.kind,
        value: identifier.value,
        source: input.source,
        first_seen_at: now,
        last_seen_at: now,
        version: 1,
      })
      .execute();
  }
  return gcid;
}

/** Merges GCIDs into the oldest one; returns the survivor. */
async function mergeAll(ctx: CommandContext, gcids: string[], reason: string): Promise<string> {
  if (gcids.length === 1) return gcids[0]!;
  const rows = await ctx.trx.selectFrom('global_customers').select(['gcid', 'created_at']).where('gcid', 'in', gcids).execute();
  rows.sort((a, b) => toIso(a.created_at).localeCompare(toIso(b.created_at)) || a.gcid.localeCompare(b.gcid));
  const survivor = rows[0]!.gcid;
  for (const row of rows.slice(1)) await mergeInto(ctx, survivor, row.gcid, reason);
  return survivor;
}

/**
 * Points the merged GCID (its identifiers and cases) at the survivor; the merged row stays as a
 * redirect so old links and synced copies still resolve.
 */
export async function mergeInto(ctx: CommandContext, survivor: string, merged: string, reason: string): Promise<void> {
  const now = ctx.now.toISOString();
  const row = await ctx.trx.selectFrom('global_customers').selectAll().where('gcid', '=', merged).executeTakeFirstOrThrow();
  await ctx.trx
    .updateTable('global_customers')
    .set({ merged_into: survivor, updated_at: now, version: row.version + 1 })
    .where('gcid', '=', merged)
    .execute();
  await ctx.trx.updateTable('customer_identifiers').set({ gcid: survivor }).where('gcid', '=', merged).execute();
  const moved = await ctx.trx.updateTable('cases').set({ customer_gcid: survivor }).where('customer_gcid', '=', merged).executeTakeFirst();
  ctx.audit({
    entityType: 'customer-identity',
    entityId: merged,
    before: { gcid: merged, mergedInto: null },
    after: { gcid: merged, mergedInto: survivor, reason, casesMoved: Number(moved.numUpdatedRows) },
  });
  ctx.change({ entityType: 'global-customer', entityId: merged, operation: 'upsert', version: row.version + 1, data: { gcid: merged, mergedInto: survivor } });
}

/** A person's identifiers, as a customer record (core banking) gives them. */
export function coreRecordIdentifiers(record: { customerRef: string; nationalId: string; phone: string; email: string | null }): IdentifierInput[] {
  return [
    { kind: 'CUSTOMER_REF', value: record.customerRef },
    { kind: 'NATIONAL_ID', value: record.nationalId },
    { kind: 'PHONE', value: record.phone },
    { kind: 'EMAIL', value: record.email },
  ];
}

/** An analyst or compliance officer merges two GCIDs found to be the same person. */
export const mergeCustomers = defineCommand({
  name: 'customer.merge',
  input: CustomerMergeRequest,
  permission: 'customer:merge',
  async apply(ctx, input) {
    const survivor = await survivingGcid(ctx.trx, input.survivorGcid);
    const merged = await survivingGcid(ctx.trx, input.mergedGcid);
    // Both must be customers of the actor's tenants (checked here, so a replayed merge is checked too).
    const scope = new TenantScope(ctx.actor.tenants);
    if (!survivor || !(await gcidVisible(ctx.trx, survivor, scope))) throw notFound('customer (survivorGcid)');
    if (!merged || !(await gcidVisible(ctx.trx, merged, scope))) throw notFound('customer (mergedGcid)');
    if (survivor === merged) throw validationFailed([{ path: 'body.mergedGcid', message: 'these are already the same customer' }]);
    await mergeInto(ctx, survivor, merged, `manual merge: ${input.reason}`);
    return { gcid: survivor, merged };
  },
});
