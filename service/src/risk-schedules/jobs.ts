import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SYSTEM_ACTOR, type CommandBus } from '../commands/bus.ts';
import { DEFAULT_KRI_SCHEDULES, KriMetricKey, KriScheduleGroup } from '../../../shared/src/kri-metrics.ts';
import { flagStaleKris, measureAutomaticKri } from '../kris/automatic.ts';
import { metricByKey } from '../kris/metrics.ts';

/** One scheduled job: a name (the claim key), its cron in the bank's time zone, and what it does. */
export interface RiskJob {
  name: string;
  cron: string;
  /** Runs the job as of `at`; answers a line for scheduled_job_runs.outcome. */
  run(at: Date): Promise<string>;
}

/** Every 15 minutes: the staleness check and the acceptance expiry. */
export const QUARTER_HOURLY = '*/15 * * * *';

/**
 * Measures KRIs one command each (ARCHITECTURE.md rule 1), so one failing metric or KRI does not
 * stop the others; failures are counted in the outcome.
 */
async function measureEach(bus: CommandBus, kriIds: readonly string[], at: Date): Promise<string> {
  let measured = 0;
  let noData = 0;
  const failed: string[] = [];
  for (const kriId of kriIds) {
    try {
      const outcome = await bus.execute(measureAutomaticKri, { kriId }, SYSTEM_ACTOR, { at });
      if (outcome) measured++;
      else noData++;
    } catch (error) {
      failed.push(`${kriId}: ${(error as Error).message}`);
    }
  }
  return [`measured ${measured}`, `no data ${noData}`, ...(failed.length ? [`failed ${failed.length} (${failed.join('; ')})`] : [])].join(', ');
}

function groupOf(metric: string | null): KriScheduleGroup | null {
  const key = KriMetricKey.safeParse(metric);
  return key.success ? (metricByKey(key.data)?.group ?? null) : null;
}

/** The jobs as the database stands: one per seed 000 group, one per KRI with its own cron, staleness, acceptance expiry. */
export async function riskJobs(
  db: Kysely<Database>,
  bus: CommandBus,
  expireAcceptances?: (bus: CommandBus, now: Date) => Promise<unknown>,
): Promise<RiskJob[]> {
  const automatic = await db
    .selectFrom('kris')
    .select(['id', 'metric', 'schedule'])
    .where('measurement', '=', 'AUTOMATIC')
    .where('deleted_at', 'is', null)
    .orderBy('reference')
    .execute();
  const jobs: RiskJob[] = KriScheduleGroup.options.map((group) => ({
    name: `kri-group:${group}`,
    cron: DEFAULT_KRI_SCHEDULES[group],
    run: (at) =>
      measureEach(
        bus,
        automatic.filter((k) => !k.schedule && groupOf(k.metric) === group).map((k) => k.id),
        at,
      ),
  }));
  for (const { id, schedule } of automatic) {
    if (schedule) jobs.push({ name: `kri:${id}`, cron: schedule, run: (at) => measureEach(bus, [id], at) });
  }
  jobs.push({
    name: 'kri-staleness',
    cron: QUARTER_HOURLY,
    run: async (at) => {
      const { flagged } = await bus.execute(flagStaleKris, {}, SYSTEM_ACTOR, { at });
      return `flagged ${flagged} stale KRI(s)`;
    },
  });
  if (expireAcceptances) {
    jobs.push({
      name: 'risk-acceptance-expiry',
      cron: QUARTER_HOURLY,
      run: async (at) => `expired: ${JSON.stringify(await expireAcceptances(bus, at))}`,
    });
  }
  return jobs;
}
