// Rule performance (per rule / per configuration version), analyst and queue performance, and the
// false-positive trend (issue 15). Definitions are the contract's (shared/src/analytics.ts) and are
// said on screen, so a reader knows what "overturn" means here.
import { useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { useTheme } from '@mui/material/styles';
import type { DrillTarget, RulePerformance, TeamPerformance } from '../../../shared/src/analytics.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { formatCount } from '../lib/format.ts';
import { EChart } from '../overview/EChart.tsx';
import { CardHeading, CardSkeleton, ErrorState } from '../ui/layout.tsx';
import { fetchFalsePositiveTrend, fetchRulePerformance, fetchTeamPerformance } from './analyticsApi.ts';
import { falsePositiveOption } from './analyticsOptions.ts';
import { FigureTable, formatShare, type FigureColumn } from './FigureTable.tsx';

type Range = { from: string; to: string; tenantId?: string };
type RuleRow = RulePerformance['byRule'][number];
type AnalystRow = TeamPerformance['analysts'][number];
type QueueRow = TeamPerformance['queues'][number];

const RULE_COLUMNS: FigureColumn<RuleRow>[] = [
  { key: 'rule', label: 'Rule', render: (r) => r.ruleName ?? r.ruleId },
  { key: 'evaluated', label: 'Evaluated', numeric: true, render: (r) => formatCount(r.evaluated) },
  { key: 'hits', label: 'Hits', numeric: true, render: (r) => formatCount(r.hits) },
  { key: 'hitRate', label: 'Hit rate', numeric: true, render: (r) => formatShare(r.hitRate) },
  { key: 'closed', label: 'Closed', numeric: true, render: (r) => formatCount(r.closed) },
  { key: 'tp', label: 'True +', numeric: true, render: (r) => formatCount(r.truePositive) },
  { key: 'fp', label: 'False +', numeric: true, render: (r) => formatCount(r.falsePositive) },
  { key: 'precision', label: 'Precision', numeric: true, render: (r) => formatShare(r.precision) },
  { key: 'fpRate', label: 'FP rate', numeric: true, render: (r) => formatShare(r.falsePositiveRate) },
];
// One row per rule and configuration version: how a rule did before and after a change.
const VERSION_COLUMNS: FigureColumn<RuleRow>[] = [
  RULE_COLUMNS[0]!,
  {
    key: 'version',
    label: 'Configuration version',
    render: (r) => (r.configurationId ? `v${r.configurationVersion ?? '?'} · ${r.configurationId.slice(0, 8)}` : 'no configuration'),
  },
  ...RULE_COLUMNS.slice(1),
];

export function RulePerformanceCard({ range }: { range: Range }) {
  const [by, setBy] = useState<'rule' | 'version'>('rule');
  const key = JSON.stringify(range);
  const { data, error, loading, refetch } = useApiQuery(`rule-performance:${key}`, (signal) => fetchRulePerformance(range, signal));
  return (
    <Card sx={{ px: 2, pt: 1.75, pb: 2, minWidth: 0 }} data-testid="rule-performance">
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, mb: 1 }}>
        <CardHeading
          title="Rule performance"
          subtitle="From analysts' outcomes: precision = confirmed fraud ÷ (confirmed fraud + false positives) of closed cases the rule hit"
          sx={{ flex: 1, minWidth: 0 }}
        />
        <ToggleButtonGroup size="small" exclusive value={by} onChange={(_, next: 'rule' | 'version' | null) => next && setBy(next)}>
          <ToggleButton value="rule" sx={{ textTransform: 'none' }} data-testid="rules-by-rule">
            Per rule
          </ToggleButton>
          <ToggleButton value="version" sx={{ textTransform: 'none' }} data-testid="rules-by-version">
            Per version
          </ToggleButton>
        </ToggleButtonGroup>
      </Box>
      {error && <ErrorState error={error} onRetry={() => refetch()} title="Could not load rule performance" />}
      {loading && !data && <CardSkeleton height={200} />}
      {data && (
        <FigureTable
          columns={by === 'rule' ? RULE_COLUMNS : VERSION_COLUMNS}
          rows={by === 'rule' ? data.byRule : data.byVersion}
          rowKey={(r) => `${r.ruleId}|${r.configurationId ?? ''}|${r.configurationVersion ?? ''}`}
          testId="rule-table"
          empty="No rule ran in this range"
        />
      )}
    </Card>
  );
}

const ANALYST_COLUMNS: FigureColumn<AnalystRow>[] = [
  { key: 'name', label: 'Analyst', render: (r) => r.name },
  { key: 'decided', label: 'Decided', numeric: true, render: (r) => formatCount(r.decided) },
  { key: 'activeHours', label: 'Active hours', numeric: true, render: (r) => formatCount(r.activeHours) },
  { key: 'perHour', label: 'Cases / hour', numeric: true, render: (r) => r.casesPerHour.toFixed(1) },
  { key: 'sla', label: 'SLA met', numeric: true, render: (r) => formatShare(r.slaAdherence) },
  { key: 'overturn', label: 'Overturned', numeric: true, render: (r) => `${formatCount(r.overturned)} (${formatShare(r.overturnRate)})` },
  {
    key: 'median',
    label: 'Median handling',
    numeric: true,
    render: (r) => (r.medianHandleMinutes === null ? '—' : `${Math.round(r.medianHandleMinutes)} min`),
  },
];
const QUEUE_COLUMNS: FigureColumn<QueueRow>[] = [
  { key: 'queue', label: 'Queue', render: (r) => r.queue },
  { key: 'opened', label: 'Opened', numeric: true, render: (r) => formatCount(r.opened) },
  { key: 'closed', label: 'Closed', numeric: true, render: (r) => formatCount(r.closed) },
  { key: 'backlog', label: 'Backlog', numeric: true, render: (r) => formatCount(r.backlog) },
  { key: 'overdue', label: 'Overdue', numeric: true, render: (r) => formatCount(r.overdue) },
  { key: 'sla', label: 'SLA met', numeric: true, render: (r) => formatShare(r.slaAdherence) },
  { key: 'age', label: 'Median age', numeric: true, render: (r) => (r.medianAgeHours === null ? '—' : `${r.medianAgeHours.toFixed(1)} h`) },
];

export function TeamPerformanceCard({ range, drill }: { range: Range; drill: (target: DrillTarget) => string | null }) {
  const key = JSON.stringify(range);
  const { data, error, loading, refetch } = useApiQuery(`team-performance:${key}`, (signal) => fetchTeamPerformance(range, signal));
  return (
    <Card sx={{ px: 2, pt: 1.75, pb: 2, minWidth: 0 }} data-testid="team-performance">
      <CardHeading
        title="Analyst & queue performance"
        subtitle="Cases per hour = decisions ÷ clock hours with at least one decision · overturned = a four-eyes reviewer rejected the decision or the case was reopened (never “differs from the engine”)"
      />
      {error && <ErrorState error={error} onRetry={() => refetch()} title="Could not load team performance" />}
      {loading && !data && <CardSkeleton height={200} />}
      {data && (
        <Box sx={{ display: 'grid', gap: 2, mt: 1 }}>
          <FigureTable
            columns={ANALYST_COLUMNS}
            rows={data.analysts}
            rowKey={(r) => r.userId}
            testId="analyst-table"
            empty="No case decided in this range"
            maxHeight={280}
          />
          <FigureTable
            columns={QUEUE_COLUMNS}
            rows={data.queues}
            rowKey={(r) => r.queue}
            hrefFor={(r) => drill(r.drill)}
            testId="queue-table"
            empty="No queue had cases in this range"
            maxHeight={280}
          />
        </Box>
      )}
    </Card>
  );
}

export function FalsePositiveCard({ range }: { range: Range }) {
  const theme = useTheme();
  const [interval, setInterval] = useState<'day' | 'week'>('week');
  const query = { ...range, interval };
  const key = JSON.stringify(query);
  const { data, error, loading, refetch } = useApiQuery(`fp-trend:${key}`, (signal) => fetchFalsePositiveTrend(query, signal));
  const option = useMemo(() => (data ? falsePositiveOption(data, theme) : null), [data, theme]);
  const closed = data?.points.reduce((sum, p) => sum + p.closed, 0) ?? 0;
  return (
    <Card sx={{ px: 2, pt: 1.75, pb: 2, minWidth: 0 }} data-testid="fp-trend">
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, mb: 1 }}>
        <CardHeading title="False-positive trend" subtitle="Share of closed cases closed as false positives, by closing date" sx={{ flex: 1, minWidth: 0 }} />
        <ToggleButtonGroup size="small" exclusive value={interval} onChange={(_, next: 'day' | 'week' | null) => next && setInterval(next)}>
          <ToggleButton value="day" sx={{ textTransform: 'none' }}>
            Daily
          </ToggleButton>
          <ToggleButton value="week" sx={{ textTransform: 'none' }}>
            Weekly
          </ToggleButton>
        </ToggleButtonGroup>
      </Box>
      {error && <ErrorState error={error} onRetry={() => refetch()} title="Could not load the false-positive trend" />}
      {loading && !data && <CardSkeleton height={240} />}
      {data && option && closed > 0 && <EChart option={option} height={240} ariaLabel="False-positive rate over time" testId="fp-chart" />}
      {data && closed === 0 && (
        <Box
          sx={{
            height: 240,
            display: 'grid',
            placeItems: 'center',
            color: 'text.secondary',
            border: 1,
            borderStyle: 'dashed',
            borderColor: 'divider',
            borderRadius: 2,
          }}
        >
          No case was closed in this range
        </Box>
      )}
    </Card>
  );
}
