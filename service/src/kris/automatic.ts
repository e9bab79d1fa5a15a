import { z } from 'zod';
import { defineCommand } from '../commands/bus.ts';
import { KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import { KRI_ENTITY, isStale, kriChanged, toKri } from './mapping.ts';
import { kriRecipients, recordKriMeasurementWithin } from './measure.ts';
import { metricByKey } from './metrics.ts';
import { notifyEachWithin } from '../notifications/notify.ts';

/**
 * Measures one automatic KRI from the data the service holds, as of the command's time (the
 * scheduler's slot). Nothing to measure from → no measurement: the KRI goes stale rather than
 * showing a made-up zero. Only the service itself runs it (the scheduler).
 */
export const measureAutomaticKri = defineCommand({
  name: 'kri.measure-automatic',
  input: z.object({ kriId: z.uuid() }),
  permission: null,
  async apply(ctx, input) {
    const kri = await ctx.trx.selectFrom('kris').selectAll().where('id', '=', input.kriId).where('deleted_at', 'is', null).executeTakeFirst();
    if (kri?.measurement !== 'AUTOMATIC') return null;
    const key = KriMetricKey.safeParse(kri.metric);
    const metric = key.success ? metricByKey(key.data) : undefined;
    if (!metric) return null;
    const result = await metric.compute(ctx.trx, kri.tenant_id, ctx.now);
    if (!result) return null;
    return recordKriMeasurementWithin(ctx, {
      kriId: kri.id,
      value: result.value,
      measuredAt: ctx.now.toISOString(),
      note: result.note,
      source: 'AUTOMATIC',
      inputs: result.inputs,
    });
  },
});

/**
 * The staleness check (issue 13): every KRI not measured within its frequency plus grace period is
 * flagged once — its owners and the owners of its risks are notified — until it is measured again.
 * Outputs show `stale` from the clock at any time; this makes someone hear about it.
 */
export const flagStaleKris = defineCommand({
  name: 'kri.flag-stale',
  input: z.object({}),
  permission: null,
  async apply(ctx) {
    const candidates = await ctx.trx.selectFrom('kris').selectAll().where('deleted_at', 'is', null).where('stale_flagged_at', 'is', null).execute();
    let flagged = 0;
    for (const kri of candidates.filter((k) => isStale(k, ctx.now))) {
      const before = await toKri(ctx.trx, kri, ctx.now);
      const changes = { stale_flagged_at: ctx.now.toISOString(), updated_at: ctx.now.toISOString(), updated_by: ctx.actor.name, version: kri.version + 1 };
      await ctx.trx.updateTable('kris').set(changes).where('id', '=', kri.id).execute();
      const after = await toKri(ctx.trx, { ...kri, ...changes }, ctx.now);
      ctx.audit({
        entityType: KRI_ENTITY,
        entityId: kri.id,
        before: { ...before },
        after: { ...after, staleFlaggedAt: changes.stale_flagged_at },
        tenantId: kri.tenant_id,
      });
      ctx.change({ entityType: KRI_ENTITY, entityId: kri.id, operation: 'upsert', version: after.version, data: { ...after } });
      ctx.announce({ event: 'kri.changed', payload: kriChanged(after), audience: 'risk:read', tenantId: kri.tenant_id });
      const since = after.lastMeasuredAt ? `last measured ${after.lastMeasuredAt}` : 'never measured';
      await notifyEachWithin(ctx, await kriRecipients(ctx, kri), {
        tenantId: kri.tenant_id,
        kind: 'kri.stale',
        title: `${kri.reference} ${kri.name} is stale`,
        body: `${kri.name} (${kri.frequency.toLowerCase()}, ${kri.grace_hours} h grace) was due by ${after.staleAfter}: ${since}.`,
        link: `/kris/${kri.id}`,
        entityType: KRI_ENTITY,
        entityId: kri.id,
      });
      flagged++;
    }
    return { flagged };
  },
});
