import { SYSTEM_ACTOR, type CommandBus } from '../commands/bus.ts';
import type { RiskJob } from '../risk-schedules/jobs.ts';
import { watchCaseSlas } from './sla-watch.ts';

/** Every minute: SLA deadlines are in minutes (seed 001's CRITICAL SLA is one hour). */
export const SLA_WATCH_CRON = '* * * * *';

/**
 * Issue 15's scheduled people notifications, run by the RiskScheduler (hubs and standalone, once
 * per slot across hubs; ARCHITECTURE.md "Scheduled jobs"): the SLA watch with its per-queue
 * auto-escalation, as one command with the slot's instant as the clock.
 */
export function peopleJobs(deps: { bus: CommandBus }): RiskJob[] {
  return [
    {
      name: 'case-sla-watch',
      cron: SLA_WATCH_CRON,
      run: async (at) => {
        const o = await deps.bus.execute(watchCaseSlas, {}, SYSTEM_ACTOR, { at });
        return `warned ${o.warnings}, breached ${o.breaches}, stale ${o.stale}, escalated ${o.escalated}, notified ${o.notifications}`;
      },
    },
  ];
}
