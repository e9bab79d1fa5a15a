import { z } from 'zod';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from '../commands/bus.ts';
import { toAcceptance } from './mapping.ts';
import { reopenAfterAcceptance } from './acceptances.ts';
import { announceRegister } from './store.ts';

/**
 * The acceptance expiry job (issue 13): APPROVED acceptances whose expiry has passed become
 * EXPIRED and their risks reopen (ASSESSED) — one system command, so the change is audited,
 * change-logged and atomic (ARCHITECTURE.md rule 1). The scheduler (slice B) runs it every 15
 * minutes with its clock's now; "now" is the command's time (rule 3), so tests drive it with a
 * ManualClock.
 */

const ENTITY = 'risk-acceptance';
/** Expired per run at most: a backlog drains over a few runs without one huge transaction. */
const BATCH = 500;

export const expireAcceptances = defineCommand({
  name: 'risk-acceptance.expire-due',
  input: z.object({}),
  permission: null,
  async apply(ctx) {
    const now = ctx.now.toISOString();
    const due = await ctx.trx
      .selectFrom('risk_acceptances')
      .selectAll()
      .where('status', '=', 'APPROVED')
      .where('expires_at', '<=', now)
      .where('deleted_at', 'is', null)
      .orderBy('expires_at')
      .limit(BATCH)
      .execute();
    const expired: string[] = [];
    for (const row of due) {
      const values = { status: 'EXPIRED', expired_at: now, version: row.version + 1 };
      const updated = await ctx.trx.updateTable('risk_acceptances').set(values).where('id', '=', row.id).where('version', '=', row.version).executeTakeFirst();
      // Changed in between (withdrawn by someone): the next run looks again.
      if (Number(updated.numUpdatedRows) === 0) continue;
      const view = toAcceptance({ ...row, ...values });
      ctx.audit({ entityType: ENTITY, entityId: row.id, tenantId: row.tenant_id, before: { status: 'APPROVED' }, after: { ...view } });
      ctx.change({ entityType: ENTITY, entityId: row.id, operation: 'upsert', version: values.version, data: { ...view } });
      announceRegister(ctx, 'risk-acceptance', { ...row, version: values.version });
      await reopenAfterAcceptance(ctx, row.risk_id);
      expired.push(row.id);
    }
    return expired;
  },
});

/** Expires every approved acceptance due at `now` and reopens its risk; returns the expired ids. */
export async function expireDueAcceptances(bus: CommandBus, now: Date): Promise<string[]> {
  return bus.execute(expireAcceptances, {}, SYSTEM_ACTOR, { at: now });
}
