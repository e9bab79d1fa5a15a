import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';

/** A connection or a command's transaction, with its dialect. */
export type Reader = Pick<Db, 'kysely' | 'dialect'>;
import { jsonElements, nairobiDay, nairobiHour, nairobiWeekday, riskFactorField } from '../db/dialect.ts';
import type { PivotDimension } from '../../../shared/src/analytics.ts';
import { addDays, bankDayOf, bankDayStart, type Interval } from './range.ts';

/**
 * The assessment figures every dashboard groups (ARCHITECTURE.md rule 4: one query, both
 * databases): per key of a dimension, how many assessments, their KES value, how many the engine
 * did not approve, and how their cases were closed. The same query fills the daily rollup for a
 * closed day (grouped by tenant and day too) and answers live for what is not rolled up.
 */
export type FactDimension = PivotDimension | 'decision' | 'riskLevel' | 'ruleVersion';
export const ROLLUP_DIMENSIONS: readonly FactDimension[] = [
  'channel',
  'paymentType',
  'county',
  'merchant',
  'rule',
  'ruleVersion',
  'hour',
  'weekday',
  'day',
  'decision',
  'riskLevel',
];

export interface Measures {
  count: number;
  /** Assessments that evaluated the rule (ruleVersion; equals count elsewhere). */
  evaluated: number;
  valueKes: number;
  flagged: number;
  confirmedFraud: number;
  falsePositive: number;
}
export interface FactRow extends Measures {
  key: string;
}

function keyOf(db: Reader, dimension: FactDimension): RawBuilder<string> {
  const d = db.dialect;
  const text = (e: RawBuilder<unknown>) => sql<string>`cast(${e} as text)`;
  switch (dimension) {
    case 'channel':
      return sql<string>`a.channel`;
    case 'paymentType':
      return sql<string>`coalesce(a.payment_type, '')`;
    case 'county':
      return sql<string>`coalesce(cu.county, '')`;
    case 'merchant':
      return sql<string>`coalesce(p.creditor_account, '')`;
    case 'rule':
      return sql<string>`coalesce(${riskFactorField(d, 'f', 'ruleId')}, '')`;
    case 'ruleVersion':
      // configuration | version | rule id | rule name: a rule's name is fixed within a version.
      return sql<string>`coalesce(cast(a.configuration_id as text), '') || '|' || coalesce(a.configuration_version, '') || '|' || coalesce(${riskFactorField(d, 'f', 'ruleId')}, '') || '|' || coalesce(${riskFactorField(d, 'f', 'name')}, '')`;
    case 'hour':
      return text(nairobiHour(d, 'a.created_at'));
    case 'weekday':
      return text(nairobiWeekday(d, 'a.created_at'));
    case 'day':
      return nairobiDay(d, 'a.created_at');
    case 'decision':
      return sql<string>`coalesce(a.engine_decision, '')`;
    case 'riskLevel':
      return sql<string>`coalesce(a.risk_level, '')`;
  }
}

interface GroupOptions {
  interval: Interval;
  tenants: readonly string[] | null;
  dimension: FactDimension;
  /** Also group by tenant and Nairobi day (the rollup job). */
  perTenantDay?: boolean;
}

export interface GroupedFactRow extends FactRow {
  tenantId: string;
  day: string;
}

/** The live figures of one interval, grouped by the dimension's key (and tenant and day for rollups). */
export async function groupFacts(db: Reader, options: GroupOptions): Promise<GroupedFactRow[]> {
  const d = db.dialect;
  const { dimension } = options;
  const isRule = dimension === 'rule' || dimension === 'ruleVersion';
  const outcome = riskFactorField(d, 'f', 'outcome');
  // A rule counts as hit once per assessment; 'evaluated' also counts where it did not fire.
  const hit = isRule ? sql`${outcome} = 'HIT'` : sql`1 = 1`;
  const evaluated =
    dimension === 'ruleVersion' ? sql`sum(case when ${outcome} in ('HIT', 'NO_HIT') then 1 else 0 end)` : sql`sum(case when ${hit} then 1 else 0 end)`;
  const extraKeys = options.perTenantDay ? sql`, a.tenant_id as tenant_id, ${nairobiDay(d, 'a.created_at')} as day` : sql``;
  const groupBy = options.perTenantDay ? sql`1, 2, 3` : sql`1`;
  const joins = sql.join(
    [
      dimension === 'merchant' ? sql`inner join payments p on p.id = a.payment_id` : sql``,
      dimension === 'county' ? sql`left join customers cu on cu.customer_ref = a.customer_ref` : sql``,
      isRule ? jsonElements(d, 'a.risk_factors', 'f') : sql``,
    ],
    sql` `,
  );
  // A lookup by primary key per assessment that has a case, not a join: PostgreSQL would otherwise
  // hash every closed case of the bank's history to count a day's few (npm run bench:dashboards).
  const closedOutcome = sql`case when a.case_id is null then null else (select c.outcome from cases c where c.id = a.case_id and c.state = 'CLOSED') end`;
  const tenantFilter = options.tenants ? sql`and a.tenant_id in (${sql.join([...options.tenants])})` : sql``;
  const ruleFilter = dimension === 'rule' ? sql`and ${outcome} = 'HIT'` : dimension === 'ruleVersion' ? sql`and ${outcome} in ('HIT', 'NO_HIT')` : sql``;
  const query = sql<{
    key: string | null;
    tenant_id?: string;
    day?: string;
    count: number | string;
    evaluated: number | string;
    value_kes: number | string | null;
    flagged: number | string | null;
    confirmed_fraud: number | string | null;
    false_positive: number | string | null;
  }>`
    select ${keyOf(db, dimension)} as key${extraKeys},
      sum(case when ${hit} then 1 else 0 end) as count,
      ${evaluated} as evaluated,
      sum(case when ${hit} then a.amount_kes else 0 end) as value_kes,
      sum(case when ${hit} and a.engine_decision <> 'APPROVE' then 1 else 0 end) as flagged,
      sum(case when ${hit} and ${closedOutcome} = 'BLOCKED' then 1 else 0 end) as confirmed_fraud,
      sum(case when ${hit} and ${closedOutcome} = 'APPROVED' then 1 else 0 end) as false_positive
    from fraud_risk_assessments a
    ${joins}
    where a.deleted_at is null
      and a.created_at >= ${options.interval.from.toISOString()}
      and a.created_at < ${options.interval.to.toISOString()}
      ${tenantFilter} ${ruleFilter}
    group by ${groupBy}`;
  const { rows } = await query.execute(db.kysely);
  return rows.map((r) => ({
    key: r.key ?? '',
    tenantId: r.tenant_id ?? '',
    day: r.day ?? '',
    count: Number(r.count),
    evaluated: Number(r.evaluated),
    valueKes: Number(r.value_kes ?? 0),
    flagged: Number(r.flagged ?? 0),
    confirmedFraud: Number(r.confirmed_fraud ?? 0),
    falsePositive: Number(r.false_positive ?? 0),
  }));
}

function add(into: Map<string, Measures>, key: string, m: Measures): void {
  const had = into.get(key);
  if (!had) {
    into.set(key, { ...m });
    return;
  }
  had.count += m.count;
  had.evaluated += m.evaluated;
  had.valueKes += m.valueKes;
  had.flagged += m.flagged;
  had.confirmedFraud += m.confirmedFraud;
  had.falsePositive += m.falsePositive;
}

export interface Facts {
  rows: FactRow[];
  /** Some closed days came from the daily rollup. */
  preAggregated: boolean;
}

/**
 * The figures of an interval: whole closed Nairobi days that the rollup job has computed are read
 * from dashboard_daily_rollups; the rest (today, part days at the edges, days not rolled up yet)
 * is counted live. Both are the same query (groupFacts), so the sum is the same either way.
 */
export async function factsOver(db: Db, interval: Interval, tenants: readonly string[] | null, dimension: FactDimension, now: Date): Promise<Facts> {
  // Whole days inside the interval, before today (today is never rolled up).
  let firstWhole = bankDayOf(interval.from);
  if (bankDayStart(firstWhole).getTime() < interval.from.getTime()) firstWhole = addDays(firstWhole, 1);
  // The day the interval ends in is either not included (it ends at its midnight) or partial.
  let lastWhole = addDays(bankDayOf(interval.to), -1);
  const yesterday = addDays(bankDayOf(now), -1);
  if (lastWhole > yesterday) lastWhole = yesterday;
  const rolled =
    firstWhole <= lastWhole
      ? (
          await db.kysely
            .selectFrom('dashboard_rollup_days')
            .select('day')
            .where('day', '>=', firstWhole)
            .where('day', '<=', lastWhole)
            .orderBy('day')
            .execute()
        ).map((r) => r.day)
      : [];
  const totals = new Map<string, Measures>();
  // Live intervals: the gaps between rolled days.
  const live: Interval[] = [];
  let cursor = interval.from;
  for (const day of rolled) {
    const start = bankDayStart(day);
    if (start.getTime() > cursor.getTime()) live.push({ from: cursor, to: start });
    cursor = bankDayStart(addDays(day, 1));
  }
  if (cursor.getTime() < interval.to.getTime()) live.push({ from: cursor, to: interval.to });
  const [rollupRows, ...liveRows] = await Promise.all([
    rolled.length > 0 ? readRollups(db, rolled[0] as string, rolled[rolled.length - 1] as string, tenants, dimension) : Promise.resolve([]),
    ...live.map((part) => groupFacts(db, { interval: part, tenants, dimension })),
  ]);
  for (const row of rollupRows) add(totals, row.key, row);
  for (const rows of liveRows) for (const row of rows) add(totals, row.key, row);
  return { rows: [...totals].map(([key, m]) => ({ key, ...m })), preAggregated: rolled.length > 0 };
}

async function readRollups(db: Db, firstDay: string, lastDay: string, tenants: readonly string[] | null, dimension: FactDimension): Promise<FactRow[]> {
  // Days without a dashboard_rollup_days row have no rollup rows either (one transaction writes both).
  let query = db.kysely
    .selectFrom('dashboard_daily_rollups')
    .where('dimension', '=', dimension)
    .where('day', '>=', firstDay)
    .where('day', '<=', lastDay)
    .select((eb) => [
      'key',
      eb.fn.sum<number | string>('count').as('count'),
      eb.fn.sum<number | string>('evaluated').as('evaluated'),
      eb.fn.sum<number | string>('value_kes').as('value_kes'),
      eb.fn.sum<number | string>('flagged').as('flagged'),
      eb.fn.sum<number | string>('confirmed_fraud').as('confirmed_fraud'),
      eb.fn.sum<number | string>('false_positive').as('false_positive'),
    ])
    .groupBy('key');
  if (tenants) query = query.where('tenant_id', 'in', [...tenants]);
  const rows = await query.execute();
  return rows.map((r) => ({
    key: r.key,
    count: Number(r.count),
    evaluated: Number(r.evaluated),
    valueKes: Number(r.value_kes),
    flagged: Number(r.flagged),
    confirmedFraud: Number(r.confirmed_fraud),
    falsePositive: Number(r.false_positive),
  }));
}
