import { z } from 'zod';
import { Decision, RiskLevel } from './assessments.ts';
import { Channel } from './payments.ts';

export const DashboardSummary = z.object({
  generatedAt: z.iso.datetime(),
  assessmentsToday: z.number().int(),
  valueScreenedKesToday: z.number(),
  openCases: z.number().int(),
  overdueCases: z.number().int(),
  casesClosedToday: z.number().int(),
  blockedValueKesToday: z.number(),
  byDecision: z.record(Decision, z.number().int()),
  byRiskLevel: z.record(RiskLevel, z.number().int()),
  byChannel: z.array(z.object({ channel: Channel, count: z.number().int(), flagged: z.number().int() })),
  /** Assessments per hour over the last 24 hours, oldest first. */
  hourly: z.array(z.object({ hour: z.iso.datetime(), total: z.number().int(), flagged: z.number().int() })),
});
export type DashboardSummary = z.infer<typeof DashboardSummary>;
