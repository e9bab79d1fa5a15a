// The decision engine's statistics: volumes by risk level, decisions, rules that fire, processing
// times and per-configuration counts for a period; the anomaly model; the engine's health.
import { useCallback, useEffect, useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import CallSplitOutlined from '@mui/icons-material/CallSplitOutlined';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import FlagOutlined from '@mui/icons-material/FlagOutlined';
import GavelOutlined from '@mui/icons-material/GavelOutlined';
import HubOutlined from '@mui/icons-material/HubOutlined';
import SpeedOutlined from '@mui/icons-material/SpeedOutlined';
import SwapHorizOutlined from '@mui/icons-material/SwapHorizOutlined';
import TimerOutlined from '@mui/icons-material/TimerOutlined';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { useLiveRefresh } from '../../api/useLiveRefresh.ts';
import { formatCount, formatEat } from '../../lib/format.ts';
import { ChartCard } from '../../overview/ChartCard.tsx';
import { decisionsOption, riskLevelsOption } from '../../overview/chartOptions.ts';
import { KpiCard, KpiCardSkeletons } from '../../overview/KpiCard.tsx';
import { ErrorState, RefreshButton } from '../../ui/layout.tsx';
import { fetchStatistics } from '../decisionEngineApi.ts';
import { AnomalyModelCard } from './AnomalyModelCard.tsx';
import { HealthCard } from './HealthCard.tsx';
import { processingOption, rankedBarsOption, volumeOption } from './statisticsCharts.ts';

const PERIODS = [
  { id: '24h', label: '24 hours', hours: 24 },
  { id: '7d', label: '7 days', hours: 24 * 7 },
  { id: '30d', label: '30 days', hours: 24 * 30 },
] as const;
type PeriodId = (typeof PERIODS)[number]['id'];

function ms(value: number): string {
  return `${value < 1 ? value.toFixed(2) : value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function StatisticsTab() {
  const theme = useTheme();
  const [periodId, setPeriodId] = useState<PeriodId>('24h');
  const period = PERIODS.find((p) => p.id === periodId) ?? PERIODS[0];
  // The window ends "now" at each fetch; the tick moves it forward on refresh.
  const [tick, setTick] = useState(0);
  const fetcher = useCallback(
    (signal: AbortSignal) => {
      const to = new Date();
      const from = new Date(to.getTime() - period.hours * 3_600_000);
      return fetchStatistics({ from: from.toISOString(), to: to.toISOString() }, signal);
    },
    [period.hours],
  );
  const { data: stats, error, loading, fetching, refetch } = useApiQuery(`statistics:${periodId}:${tick}`, fetcher);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  useLiveRefresh(['assessment.created', 'assessment.updated'], () => refetch({ silent: true }), { debounceMs: 2000, minIntervalMs: 15_000 });
  useEffect(() => {
    const timer = window.setInterval(() => refetch({ silent: true }), 60_000);
    return () => window.clearInterval(timer);
  }, [refetch]);

  const options = useMemo(() => {
    if (!stats) return null;
    return {
      volume: volumeOption(stats, period.hours, theme),
      decisions: decisionsOption(stats, theme),
      risk: riskLevelsOption(stats, theme),
      rules: rankedBarsOption(
        stats.topRules.slice(0, 12).map((r) => ({ name: r.name, value: r.hits })),
        'Hits',
        theme,
        theme.palette.risk.HIGH,
      ),
      processing: processingOption(stats, theme),
      configurations: rankedBarsOption(
        stats.byConfiguration.map((c) => ({ name: c.configurationName, value: c.count })),
        'Assessments',
        theme,
      ),
    };
  }, [stats, period.hours, theme]);

  const flagged = stats ? stats.hourly.reduce((sum, h) => sum + h.flagged, 0) : 0;
  const emptyBody = `Counts over the last ${period.label} appear as payments are scored`;

  return (
    <Box data-testid="statistics-tab">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 2, flexWrap: 'wrap' }}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={periodId}
          onChange={(_, v: PeriodId | null) => v && setPeriodId(v)}
          aria-label="Period"
          data-testid="stats-period"
        >
          {PERIODS.map((p) => (
            <ToggleButton key={p.id} value={p.id} data-testid={`stats-period-${p.id}`}>
              {p.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {stats ? `${formatEat(stats.from)} – ${formatEat(stats.to)}` : ' '}
        </Typography>
        <Box sx={{ flex: 1 }} />
        <RefreshButton onClick={refresh} disabled={fetching} label="Refresh statistics" />
      </Box>
      {error && (
        <Box sx={{ mb: 2 }}>
          <ErrorState error={error} onRetry={() => refetch()} title="Could not load the statistics" />
        </Box>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', md: 'repeat(4, minmax(0, 1fr))' }, gap: 2, mb: 2 }}>
        {loading && !stats ? (
          <KpiCardSkeletons count={8} />
        ) : (
          stats && (
            <>
              <KpiCard
                testId="stat-total"
                label="Assessed"
                icon={<FactCheckOutlined />}
                value={formatCount(stats.total)}
                caption={`${formatCount(stats.byStatus.COMPLETED ?? 0)} completed`}
              />
              <KpiCard
                testId="stat-flagged"
                label="Flagged"
                icon={<FlagOutlined />}
                value={formatCount(flagged)}
                tone={flagged > 0 ? 'warning' : 'neutral'}
                caption={stats.total ? `${((flagged / stats.total) * 100).toFixed(1)}% of payments` : 'No payments'}
              />
              <KpiCard
                testId="stat-manual"
                label="Manual decisions"
                icon={<GavelOutlined />}
                value={formatCount(stats.manualDecisions)}
                caption="Decided by analysts"
              />
              <KpiCard
                testId="stat-overturned"
                label="Overturned"
                icon={<SwapHorizOutlined />}
                value={formatCount(stats.overturned)}
                caption={
                  stats.manualDecisions ? `${((stats.overturned / stats.manualDecisions) * 100).toFixed(0)}% differ from the engine` : 'Analyst ≠ engine'
                }
              />
              <KpiCard
                testId="stat-engine-calls"
                label="Engine calls"
                icon={<HubOutlined />}
                value={formatCount(stats.engine.calls)}
                caption={`${formatCount(stats.engine.errors)} errors · ${formatCount(stats.engine.timeouts)} timeouts`}
                tone={stats.engine.errors + stats.engine.timeouts > 0 ? 'warning' : 'neutral'}
              />
              <KpiCard
                testId="stat-fallbacks"
                label="Fallbacks"
                icon={<CallSplitOutlined />}
                value={formatCount(stats.engine.fallbacks)}
                tone={stats.engine.fallbacks > 0 ? 'danger' : 'success'}
                caption="Decided without the engine"
              />
              <KpiCard
                testId="stat-engine-response"
                label="Engine response"
                icon={<TimerOutlined />}
                value={ms(stats.engine.averageResponseMs)}
                caption="Average per answered call"
              />
              <KpiCard
                testId="stat-p95"
                label="p95 processing"
                icon={<SpeedOutlined />}
                value={ms(stats.processing.p95Ms)}
                caption={`p50 ${ms(stats.processing.p50Ms)} · ${formatCount(stats.processing.slow)} slow`}
              />
            </>
          )
        )}
      </Box>
      {stats && options && (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, gap: 2, mb: 2 }}>
            <ChartCard
              title="Volume by risk level"
              subtitle={`${period.hours > 24 * 8 ? 'Per day' : 'Per hour'}, EAT · stacked by risk level`}
              option={options.volume}
              label="Assessment volume by risk level over time"
              testId="stats-chart-volume"
              empty={stats.total === 0}
              emptyTitle="No payments in this period"
              emptyBody={emptyBody}
            />
            <ChartCard
              title="Decisions"
              subtitle="As finally decided (analysts’ decisions included)"
              option={options.decisions}
              label="Decisions in the period"
              testId="stats-chart-decisions"
              empty={Object.values(stats.byDecision).every((v) => !v)}
              emptyTitle="No decisions in this period"
              emptyBody={emptyBody}
            />
          </Box>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr 1fr' }, gap: 2, mb: 2 }}>
            <ChartCard
              title="Risk levels"
              subtitle="Assessments by risk level"
              option={options.risk}
              label="Assessments by risk level"
              testId="stats-chart-risk"
              empty={Object.values(stats.byRiskLevel).every((v) => !v)}
              emptyTitle="No scored payments"
              emptyBody={emptyBody}
            />
            <ChartCard
              title="Top rules"
              subtitle="How often each rule fired"
              option={options.rules}
              label="Rules that fired most often"
              testId="stats-chart-rules"
              empty={stats.topRules.length === 0}
              emptyTitle="No rule fired"
              emptyBody={emptyBody}
            />
            <ChartCard
              title="Processing time"
              subtitle={`Per assessment · ${formatCount(stats.processing.slow)} counted as slow`}
              option={options.processing}
              label="Processing time percentiles"
              testId="stats-chart-processing"
              empty={stats.total === 0}
              emptyTitle="No timings yet"
              emptyBody={emptyBody}
            />
          </Box>
        </>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr 1fr' }, gap: 2, alignItems: 'start' }}>
        {stats && options && (
          <ChartCard
            title="Per configuration"
            subtitle="Assessments decided by each configuration"
            option={options.configurations}
            label="Assessments per configuration"
            testId="stats-chart-configurations"
            empty={stats.byConfiguration.length === 0}
            emptyTitle="No assessments"
            emptyBody={emptyBody}
          />
        )}
        <AnomalyModelCard />
        <HealthCard />
      </Box>
    </Box>
  );
}
