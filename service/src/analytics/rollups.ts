import { sql } from 'kysely';
import { z } from 'zod';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from '../commands/bus.ts';
import { nairobiDay } from '../db/dialect.ts';
import type { RiskJob } from '../risk-schedules/jobs.ts';
import { groupFacts, ROLLUP_DIMENSIONS, type Reader } from './facts.ts';
import { addDays, bankDayOf, bankDaysInterval } from './range.ts';

/** Every five minutes: a fresh install backfills a year in a few hours, a day at a time. */
export const ROLLUP_CRON = '*/5 * * * *';
/** The last days are always recomputed: late rows and cases closed since land there most. */
const RECENT_DAYS = 2;
/** History older than this is never rolled up (the dashboards' ranges stop at 400 days). */
const HORIZON_DAYS = 400;

/**
 * Which closed Nairobi days to (re)compute as of `now`: the recent days, days whose payments had a
 * case closed since the last run, and days never rolled up (newest first), at most `maxDays`.
 */
export async function daysToRoll(db: Reader, now: Date, maxDays: number): Promise<string[]> {
  const yesterday = addDays(bankDayOf(now), -1);
  const horizon = addDays(yesterday, -HORIZON_DAYS);
  const done = new Map(
    (await db.kysely.selectFrom('dashboard_rollup_days').select(['day', 'computed_at']).where('day', '>=', horizon).execute()).map((r) => [
      r.day,
      new Date(r.computed_at).toISOString(),
    ]),
  );
  const wanted: string[] = [];
  const want = (day: string) => {
    if (day >= horizon && day <= yesterday && !wanted.includes(day)) wanted.push(day);
  };
  for (let i = 0; i < RECENT_DAYS; i++) want(addDays(yesterday, -i));
  const lastRun = [...done.values()].sort().at(-1);
  if (lastRun) {
    // Case outcomes arrive after the day: recompute the days of payments whose case closed since.
    const day = nairobiDay(db.dialect, 'a.created_at');
    const { rows } = await sql<{ day: string }>`
      select distinct ${day} as day from cases c join fraud_risk_assessments a on a.case_id = c.id
      where c.closed_at >= ${lastRun} and a.deleted_at is null`.execute(db.kysely);
    for (const r of rows
      .map((x) => x.day)
      .sort()
      .reverse())
      want(r);
  }
  // Rows written late onto a closed day (a batch scored after midnight, a workstation's replay,
  // history imported or seeded after the day was rolled up): recompute any day whose assessment
  // count no longer matches its rollup (every assessment has exactly one channel).
  const liveDay = nairobiDay(db.dialect, 'created_at');
  const { rows: live } = await sql<{ day: string; n: number | string }>`
    select ${liveDay} as day, count(*) as n from fraud_risk_assessments
    where deleted_at is null and created_at >= ${bankDaysInterval(horizon, yesterday).from.toISOString()}
    and created_at < ${bankDaysInterval(horizon, yesterday).to.toISOString()}
    group by 1`.execute(db.kysely);
  const rolled = new Map(
    (
      await db.kysely
        .selectFrom('dashboard_daily_rollups')
        .select(['day', (eb) => eb.fn.sum<number | string>('count').as('n')])
        .where('dimension', '=', 'channel')
        .where('day', '>=', horizon)
        .groupBy('day')
        .execute()
    ).map((r) => [r.day, Number(r.n)]),
  );
  for (const r of live.sort((a, b) => (a.day < b.day ? 1 : -1))) {
    if (done.has(r.day) && rolled.get(r.day) !== Number(r.n)) want(r.day);
  }
  const first = await db.kysely
    .selectFrom('fraud_risk_assessments')
    .select((eb) => eb.fn.min('created_at').as('first'))
    .executeTakeFirst();
  if (first?.first) {
    const earliest = bankDayOf(new Date(first.first));
    for (let d = yesterday; d >= earliest && d >= horizon && wanted.length < maxDays; d = addDays(d, -1)) if (!done.has(d)) want(d);
  }
  return wanted.slice(0, maxDays);
}

/** Recomputes one day's rollup rows (every dimension, per tenant) in the caller's transaction. */
export async function rollUpDay(db: Reader, day: string, now: Date): Promise<number> {
  await db.kysely.deleteFrom('dashboard_daily_rollups').where('day', '=', day).execute();
  let written = 0;
  for (const dimension of ROLLUP_DIMENSIONS) {
    const rows = await groupFacts(db, { interval: bankDaysInterval(day, day), tenants: null, dimension, perTenantDay: true });
    for (let i = 0; i < rows.length; i += 200) {
      const part = rows.slice(i, i + 200);
      if (part.length === 0) continue;
      await db.kysely
        .insertInto('dashboard_daily_rollups')
        .values(
          part.map((r) => ({
            day,
            tenant_id: r.tenantId,
            dimension,
            key: r.key.slice(0, 200),
            count: r.count,
            evaluated: r.evaluated,
            value_kes: r.valueKes,
            flagged: r.flagged,
            confirmed_fraud: r.confirmedFraud,
            false_positive: r.falsePositive,
          })),
        )
        .execute();
    }
    written += rows.length;
  }
  await db.kysely.deleteFrom('dashboard_rollup_days').where('day', '=', day).execute();
  await db.kysely.insertInto('dashboard_rollup_days').values({ day, computed_at: now.toISOString() }).execute();
  return written;
}

/**
 * The daily rollup as a command on the scheduler's slot (ARCHITECTURE.md "Scheduled jobs"): the
 * slot's instant is the clock, each day is recomputed whole (idempotent), in one transaction, so
 * a reader sees a day's old figures or its new ones, never half of each.
 */
export const rollUpDashboards = defineCommand({
  name: 'dashboard.rollup',
  input: z.object({ maxDays: z.number().int().min(1).max(HORIZON_DAYS).default(7) }),
  permission: null,
  async apply(ctx, input) {
    const db: Reader = { kysely: ctx.trx, dialect: ctx.dialect };
    const days = await daysToRoll(db, ctx.now, input.maxDays);
    let rows = 0;
    for (const day of days) rows += await rollUpDay(db, day, ctx.now);
    // No audit row: the rollup is derived data that any node can recompute, not a decision; the
    // scheduler's scheduled_job_runs row records each run and its summary.
    return { days, rows };
  },
});

export function dashboardJobs(deps: { bus: CommandBus }): RiskJob[] {
  return [
    {
      name: 'dashboard-rollup',
      cron: ROLLUP_CRON,
      run: async (at) => {
        const result = await deps.bus.execute(rollUpDashboards, {}, SYSTEM_ACTOR, { at });
        return `rolled up ${result.days.length} days (${result.rows} rows)`;
      },
    },
  ];
}
