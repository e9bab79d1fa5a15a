import type { Db } from '../db/database.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { AnalyticsQuery, type RulePerformance } from '../../../shared/src/analytics.ts';
import type { z } from 'zod';
import { factsOver, type Measures } from './facts.ts';
import { bankDaysInterval } from './range.ts';

type Row = RulePerformance['byRule'][number];

function row(ruleId: string, ruleName: string | null, configurationId: string | null, configurationVersion: string | null, m: Measures): Row {
  const closed = m.confirmedFraud + m.falsePositive;
  return {
    ruleId,
    ruleName,
    configurationId,
    configurationVersion,
    evaluated: m.evaluated,
    hits: m.count,
    hitRate: m.evaluated > 0 ? m.count / m.evaluated : 0,
    closed,
    truePositive: m.confirmedFraud,
    falsePositive: m.falsePositive,
    precision: closed > 0 ? m.confirmedFraud / closed : null,
    falsePositiveRate: closed > 0 ? m.falsePositive / closed : null,
  };
}

/**
 * Rule performance from analysts' outcomes (definitions in shared/src/analytics.ts): per rule and
 * configuration version, and per rule over every version. "Evaluated" counts assessments where the
 * rule ran (HIT or NO_HIT); skipped and not-evaluated rules are not held against its hit rate.
 */
export async function rulePerformance(db: Db, scope: TenantScope, input: z.input<typeof AnalyticsQuery>, now: Date): Promise<RulePerformance> {
  const query = AnalyticsQuery.parse(input);
  const facts = await factsOver(db, bankDaysInterval(query.from, query.to), scope.narrow(query.tenantId), 'ruleVersion', now);
  const byVersion: Row[] = [];
  const perRule = new Map<string, { name: string | null; m: Measures }>();
  for (const fact of facts.rows) {
    const [configurationId = '', version = '', ruleId = '', ...nameParts] = fact.key.split('|');
    const name = nameParts.join('|') || null;
    byVersion.push(row(ruleId, name, configurationId || null, version || null, fact));
    const had = perRule.get(ruleId);
    if (!had) perRule.set(ruleId, { name, m: { ...fact } });
    else {
      had.m.count += fact.count;
      had.m.evaluated += fact.evaluated;
      had.m.valueKes += fact.valueKes;
      had.m.flagged += fact.flagged;
      had.m.confirmedFraud += fact.confirmedFraud;
      had.m.falsePositive += fact.falsePositive;
    }
  }
  const order = (a: Row, b: Row) =>
    b.hits - a.hits || a.ruleId.localeCompare(b.ruleId) || (a.configurationVersion ?? '').localeCompare(b.configurationVersion ?? '');
  return {
    byRule: [...perRule].map(([ruleId, { name, m }]) => row(ruleId, name, null, null, m)).sort(order),
    byVersion: byVersion.sort(order),
  };
}
