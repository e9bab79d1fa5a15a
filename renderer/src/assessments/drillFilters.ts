// The drill-down filters a dashboard figure opens the Assessments screen with (issue 15:
// DrillTarget in shared/src/analytics.ts). Each URL parameter is checked against the list query's
// own schema; one that does not fit is left out (and said so), never sent to break the list.
import { AssessmentListQuery } from '../../../shared/src/assessments.ts';
import { formatEatMinutes, humanise } from '../lib/format.ts';

/** The list parameters a drill may pin, in the order their chips are shown. */
export const DRILL_KEYS = [
  'from',
  'to',
  'tenantId',
  'riskLevel',
  'engineDecision',
  'decision',
  'flagged',
  'status',
  'channel',
  'paymentType',
  'county',
  'creditorAccount',
  'ruleId',
  'hour',
  'weekday',
  'configurationId',
  'customerId',
] as const satisfies readonly (keyof AssessmentListQuery)[];
export type DrillKey = (typeof DRILL_KEYS)[number];

export type DrillFilters = Partial<Pick<AssessmentListQuery, DrillKey>>;

const DrillSchema = AssessmentListQuery.pick(Object.fromEntries(DRILL_KEYS.map((k) => [k, true])) as { [K in DrillKey]: true });

export interface ParsedDrill {
  filters: DrillFilters;
  /** Parameters present in the URL that are not valid filters (shown, not applied). */
  ignored: DrillKey[];
}

export function parseDrill(params: URLSearchParams): ParsedDrill {
  const filters: Record<string, unknown> = {};
  const ignored: DrillKey[] = [];
  for (const key of DRILL_KEYS) {
    const raw = params.get(key);
    if (raw === null || raw === '') continue;
    const one = DrillSchema.pick({ [key]: true } as { [K in DrillKey]?: true }).safeParse({ [key]: raw });
    const value = one.success ? (one.data as Record<string, unknown>)[key] : undefined;
    if (value === undefined) ignored.push(key);
    else filters[key] = value;
  }
  return { filters: filters as DrillFilters, ignored };
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const pad = (n: number) => String(n).padStart(2, '0');

/** What a chip says for one pinned filter. */
export function drillChipLabel(key: DrillKey, value: string | number): string {
  const text = String(value);
  switch (key) {
    case 'from':
      return `From ${formatEatMinutes(text)}`;
    case 'to':
      return `Before ${formatEatMinutes(text)}`;
    case 'tenantId':
      return `Tenant: ${text}`;
    case 'riskLevel':
      return `Risk: ${humanise(text)}`;
    case 'engineDecision':
      return `Engine decided: ${humanise(text)}`;
    case 'decision':
      return `Decision: ${humanise(text)}`;
    case 'flagged':
      return 'Flagged by the engine';
    case 'status':
      return `Status: ${humanise(text)}`;
    case 'channel':
      return `Channel: ${text}`;
    case 'paymentType':
      return `Payment type: ${humanise(text)}`;
    case 'county':
      return `County: ${text}`;
    case 'creditorAccount':
      return `Payee account: ${text}`;
    case 'ruleId':
      return `Rule fired: ${text}`;
    case 'hour':
      return `Hour: ${pad(Number(value))}:00–${pad((Number(value) + 1) % 24)}:00 EAT`;
    case 'weekday':
      return `Weekday: ${WEEKDAYS[Number(value) - 1] ?? text}`;
    case 'configurationId':
      return `Configuration: ${text.slice(0, 8)}…`;
    case 'customerId':
      return `Customer: ${text}`;
  }
}
