import { bankTimeText } from '../../../shared/src/bank-time.ts';
import { sql } from 'kysely';
import type { CommandContext } from '../commands/bus.ts';
import type { IngestResult } from '../../../shared/src/risk-data.ts';
import { tenantAccessFor, tenantAllowed } from '../../../shared/src/tenants.ts';
import { Role } from '../../../shared/src/roles.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { createRisk } from '../risks/commands.ts';
import { writeRisk } from '../risks/store.ts';

const PURPOSE = 'sanctions-backlog';
/** Who owns the backlog risk: the first active user of these roles acting for the tenant, in this order. */
const OWNER_ROLES = ['COMPLIANCE_OFFICER', 'RISK_MANAGER', 'RISK_OFFICER'] as const;

async function pendingScreenings(ctx: CommandContext, tenantId: string) {
  const rows = await ctx.trx
    .selectFrom('sanctions_screenings')
    .select(['screening_id', 'match_count'])
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`${sql.ref('pending')} = ${sql.lit(true)}`)
    .orderBy('screening_id')
    .execute();
  return { count: rows.length, matches: rows.reduce((sum, r) => sum + Number(r.match_count), 0), ids: rows.map((r) => r.screening_id) };
}

async function backlogOwner(ctx: CommandContext, tenantId: string): Promise<string | null> {
  const users = await ctx.trx
    .selectFrom('users')
    .select(['id', 'role', 'tenant_ids', 'active'])
    .where('role', 'in', [...OWNER_ROLES])
    .orderBy('username')
    .execute();
  for (const role of OWNER_ROLES) {
    const found = users.find((u) => {
      if (u.role !== role || !(u.active === true || u.active === 1)) return false;
      return tenantAllowed(tenantAccessFor(Role.parse(u.role), tenantIdsOf(u.tenant_ids)), tenantId);
    });
    if (found) return found.id;
  }
  return null;
}

function describe(pending: { count: number; matches: number; ids: string[] }, at: Date): string {
  const listed = pending.ids.slice(0, 20).join(', ');
  const more = pending.ids.length > 20 ? ` and ${pending.ids.length - 20} more` : '';
  return `${pending.count} sanctions screening(s) with ${pending.matches} potential match(es) wait for review as of ${bankTimeText(at)} (reported by core banking): ${listed}${more}.`;
}

/**
 * Seed 000's CreateSanctionsBacklogRisk: while screenings wait for review, the tenant has one open
 * compliance risk for the backlog — created through the register's own create command the first
 * time, afterwards kept up to date (its description states the current backlog). A closed or
 * deleted backlog risk is replaced by a new one when a backlog builds up again.
 */
export async function updateSanctionsBacklogWithin(ctx: CommandContext, tenantId: string, result: IngestResult): Promise<void> {
  const pending = await pendingScreenings(ctx, tenantId);
  const link = await ctx.trx
    .selectFrom('integration_risk_links')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('purpose', '=', PURPOSE)
    .executeTakeFirst();
  const linked = link
    ? await ctx.trx
        .selectFrom('risks')
        .selectAll()
        .where('id', '=', link.risk_id)
        .where('deleted_at', 'is', null)
        .where('status', '!=', 'CLOSED')
        .executeTakeFirst()
    : undefined;
  if (linked) {
    const description =
      pending.count > 0
        ? describe(pending, ctx.now)
        : `No sanctions screening waits for review as of ${bankTimeText(ctx.now)}: the backlog is cleared (close this risk once reviewed).`;
    if (linked.description !== description) await writeRisk(ctx, linked, { description });
    result.riskIds.push(linked.id);
    return;
  }
  if (pending.count === 0) return;
  const ownerId = await backlogOwner(ctx, tenantId);
  if (!ownerId) {
    result.notes.push(
      `No compliance officer, risk manager or risk officer acts for ${tenantId}: the sanctions backlog risk could not be given an owner and was not opened.`,
    );
    return;
  }
  // The register's create command, applied inside this ingestion's transaction: the bank's report
  // is what opens the risk (the ingesting client holds integration:ingest, not risk:manage).
  const risk = await createRisk.apply(
    ctx,
    createRisk.input.parse({
      tenantId,
      title: 'Sanctions screening review backlog',
      description: describe(pending, ctx.now),
      category: 'COMPLIANCE',
      businessUnit: 'Compliance',
      ownerId,
      causes: 'Potential sanctions matches from screening are not reviewed as fast as they arrive.',
      consequences: 'Payments to sanctioned parties, regulatory penalties and reputational damage.',
    }),
  );
  const now = ctx.now.toISOString();
  if (link) {
    await ctx.trx
      .updateTable('integration_risk_links')
      .set({ risk_id: risk.id, updated_at: now, version: link.version + 1 })
      .where('id', '=', link.id)
      .execute();
  } else {
    await ctx.trx
      .insertInto('integration_risk_links')
      .values({ id: ctx.newId(), tenant_id: tenantId, purpose: PURPOSE, risk_id: risk.id, created_at: now, updated_at: now, version: 1 })
      .execute();
  }
  result.riskIds.push(risk.id);
}
