import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { nairobiDay } from '../db/dialect.ts';
import { FalsePositiveTrendQuery, type FalsePositiveTrend } from '../../../shared/src/analytics.ts';
import type { z } from 'zod';
import { addDays, bankDaysInterval, daysBetween } from './range.ts';

/** Monday of the ISO week a day falls in. */
function weekOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/**
 * Share of closed cases that were false positives (closed APPROVED: the payment was legitimate),
 * per Nairobi day or ISO week of closing. Buckets without closed cases have rate null.
 */
export async function falsePositiveTrend(db: Db, scope: TenantScope, input: z.input<typeof FalsePositiveTrendQuery>): Promise<FalsePositiveTrend> {
  const query = FalsePositiveTrendQuery.parse(input);
  const interval = bankDaysInterval(query.from, query.to);
  const tenants = scope.narrow(query.tenantId);
  const tenantFilter = tenants ? sql`and tenant_id in (${sql.join(tenants)})` : sql``;
  const day = nairobiDay(db.dialect, 'closed_at');
  const { rows } = await sql<{ day: string; closed: number | string; false_positive: number | string | null }>`
    select ${day} as day, count(*) as closed, sum(case when outcome = 'APPROVED' then 1 else 0 end) as false_positive
    from cases
    where deleted_at is null and state = 'CLOSED'
      and closed_at >= ${interval.from.toISOString()} and closed_at < ${interval.to.toISOString()} ${tenantFilter}
    group by 1`.execute(db.kysely);
  const buckets = new Map<string, { closed: number; falsePositive: number }>();
  const bucketOf = (d: string) => (query.interval === 'week' ? weekOf(d) : d);
  for (let i = 0; i < daysBetween(query.from, query.to); i++) {
    const key = bucketOf(addDays(query.from, i));
    if (!buckets.has(key)) buckets.set(key, { closed: 0, falsePositive: 0 });
  }
  for (const row of rows) {
    const bucket = buckets.get(bucketOf(row.day));
    if (!bucket) continue;
    bucket.closed += Number(row.closed);
    bucket.falsePositive += Number(row.false_positive ?? 0);
  }
  return {
    interval: query.interval,
    points: [...buckets].map(([bucket, b]) => ({
      bucket,
      closed: b.closed,
      falsePositive: b.falsePositive,
      rate: b.closed > 0 ? b.falsePositive / b.closed : null,
    })),
  };
}
