import { useCallback, useEffect, useMemo } from 'react';
import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import AccountBalanceOutlined from '@mui/icons-material/AccountBalanceOutlined';
import AssignmentLateOutlined from '@mui/icons-material/AssignmentLateOutlined';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import InboxOutlined from '@mui/icons-material/InboxOutlined';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import type { DashboardSummary } from '../../../shared/src/dashboard.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount, formatEat, formatMoney, formatMoneyCompact } from '../lib/format.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { channelsOption, decisionsOption, hourlyOption, riskLevelsOption } from './chartOptions.ts';
import { fetchDashboardSummary } from './dashboardApi.ts';
import { EnterpriseRiskOverview } from './EnterpriseRiskOverview.tsx';
import { CHART_HEIGHT, ChartCard } from './ChartCard.tsx';
import { KpiCard, KpiCardSkeletons } from './KpiCard.tsx';

function Kpis({ summary }: { summary: DashboardSummary }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(3, 1fr)', lg: 'repeat(6, 1fr)' }, gap: 2, mb: 2 }}>
      <KpiCard
        testId="kpi-assessments"
        label="Assessed today"
        icon={<FactCheckOutlined />}
        value={formatCount(summary.assessmentsToday)}
        caption="Scored since midnight"
      />
      <KpiCard
        testId="kpi-value"
        label="Value screened"
        icon={<AccountBalanceOutlined />}
        value={formatMoneyCompact(summary.valueScreenedKesToday)}
        exact={formatMoney(summary.valueScreenedKesToday)}
        caption="KES equivalent, today"
      />
      <KpiCard testId="kpi-open" label="Open cases" icon={<InboxOutlined />} value={formatCount(summary.openCases)} caption="Awaiting a decision" />
      <KpiCard
        testId="kpi-overdue"
        label="Overdue cases"
        icon={<AssignmentLateOutlined />}
        value={formatCount(summary.overdueCases)}
        tone={summary.overdueCases > 0 ? 'danger' : 'neutral'}
        caption={summary.overdueCases > 0 ? 'Past their SLA' : 'All within SLA'}
      />
      <KpiCard
        testId="kpi-closed"
        label="Closed today"
        icon={<TaskAltOutlined />}
        value={formatCount(summary.casesClosedToday)}
        tone="success"
        caption="Cases decided today"
      />
      <KpiCard
        testId="kpi-blocked"
        label="Blocked value"
        icon={<BlockOutlined />}
        value={formatMoneyCompact(summary.blockedValueKesToday)}
        exact={formatMoney(summary.blockedValueKesToday)}
        tone="warning"
        caption="Payments stopped today"
      />
    </Box>
  );
}

function OverviewSkeleton() {
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(3, 1fr)', lg: 'repeat(6, 1fr)' }, gap: 2, mb: 2 }}>
        <KpiCardSkeletons count={6} />
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, gap: 2 }}>
        <CardSkeleton height={CHART_HEIGHT} />
        <CardSkeleton height={CHART_HEIGHT} />
      </Box>
    </>
  );
}

export function OverviewPage() {
  const theme = useTheme();
  // The enterprise risk view (issue 13): first for executives, who work no cases; after the payment figures otherwise.
  const canReadRisk = useCan('risk:read');
  const canReadCases = useCan('case:read');
  const riskFirst = canReadRisk && !canReadCases;
  const fetcher = useCallback((signal: AbortSignal) => fetchDashboardSummary(signal), []);
  const { data, error, loading, fetching, refetch } = useApiQuery('dashboard', fetcher);

  // Live, but calm: at most one refresh every 5 s however busy the payment stream is,
  // plus a minute-by-minute poll for roles that receive no live events.
  useLiveRefresh(['assessment.created', 'case.opened', 'case.updated'], () => refetch({ silent: true }), { debounceMs: 1000, minIntervalMs: 5000 });
  useEffect(() => {
    const timer = window.setInterval(() => refetch({ silent: true }), 60_000);
    return () => window.clearInterval(timer);
  }, [refetch]);

  const options = useMemo(
    () =>
      data
        ? {
            hourly: hourlyOption(data, theme),
            decisions: decisionsOption(data, theme),
            risk: riskLevelsOption(data, theme),
            channels: channelsOption(data, theme),
          }
        : null,
    [data, theme],
  );

  return (
    <Page>
      <PageHeader
        title="Overview"
        subtitle={data ? `Today in Nairobi · updated ${formatEat(data.generatedAt)}` : 'Today in Nairobi'}
        actions={<RefreshButton onClick={() => refetch({ silent: true })} disabled={fetching} label="Refresh overview" />}
      />
      {riskFirst && <EnterpriseRiskOverview />}
      {error && (
        <Box sx={{ mb: 2 }}>
          <ErrorState error={error} onRetry={() => refetch()} title="Could not load the overview" />
        </Box>
      )}
      {loading && !data && <OverviewSkeleton />}
      {data && options && (
        <Box data-testid="overview">
          <Kpis summary={data} />
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, gap: 2, mb: 2 }}>
            <ChartCard
              title="Assessments per hour"
              subtitle="Last 24 hours, EAT · bars: all payments, line: flagged for review"
              option={options.hourly}
              label="Assessments per hour over the last 24 hours"
              testId="chart-hourly"
              empty={data.hourly.every((h) => h.total === 0)}
            />
            <ChartCard
              title="Decisions"
              subtitle="Today · as decided by the scoring engine"
              option={options.decisions}
              label="Decisions today"
              testId="chart-decisions"
              empty={Object.values(data.byDecision).every((v) => !v)}
            />
          </Box>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2 }}>
            <ChartCard
              title="Risk levels"
              subtitle="Assessments today by risk level"
              option={options.risk}
              label="Assessments today by risk level"
              testId="chart-risk"
              empty={Object.values(data.byRiskLevel).every((v) => !v)}
            />
            <ChartCard
              title="Channels"
              subtitle="Assessments today by channel, flagged share stacked"
              option={options.channels}
              label="Assessments today by channel"
              testId="chart-channels"
              empty={data.byChannel.every((c) => c.count === 0)}
            />
          </Box>
        </Box>
      )}
      {canReadRisk && !riskFirst && (
        <Box sx={{ mt: 3 }}>
          <EnterpriseRiskOverview />
        </Box>
      )}
    </Page>
  );
}
