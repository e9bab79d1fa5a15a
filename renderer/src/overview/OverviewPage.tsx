// The Overview (issue 15, seed 001): a time range (today, 7 d, 30 d, custom; in the URL), every
// KPI against the previous period, and every KPI and chart element drilling to the list behind it
// (the service's DrillTarget: the list there shows exactly the rows counted).
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AccountBalanceOutlined from '@mui/icons-material/AccountBalanceOutlined';
import ArrowDownward from '@mui/icons-material/ArrowDownward';
import AssignmentLateOutlined from '@mui/icons-material/AssignmentLateOutlined';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import FlagOutlined from '@mui/icons-material/FlagOutlined';
import GppBadOutlined from '@mui/icons-material/GppBadOutlined';
import InboxOutlined from '@mui/icons-material/InboxOutlined';
import NotificationsActiveOutlined from '@mui/icons-material/NotificationsActiveOutlined';
import PercentOutlined from '@mui/icons-material/PercentOutlined';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import ArrowUpward from '@mui/icons-material/ArrowUpward';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import RemoveOutlined from '@mui/icons-material/RemoveOutlined';
import type { BreakdownRow, DashboardOverview, DrillTarget, Kpi } from '../../../shared/src/analytics.ts';
import { useCan, useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { ExportButtons } from '../analytics/ExportButtons.tsx';
import { formatEat } from '../lib/format.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { INCOMPLETE } from '../risks/DayField.tsx';
import { CHART_HEIGHT, ChartCard } from './ChartCard.tsx';
import { fetchOverview } from './dashboardApi.ts';
import { allowedDrillHref } from './drill.ts';
import { EnterpriseRiskOverview } from './EnterpriseRiskOverview.tsx';
import type { ChartClick } from './EChart.tsx';
import { KpiCard, KpiCardSkeletons } from './KpiCard.tsx';
import { formatKpiValue, kpiChange } from './kpiFormat.ts';
import { breakdownOption, seriesOption } from './overviewOptions.ts';
import { RangePicker, type RangeDraft } from './RangePicker.tsx';
import { addDays, bankToday, parseRangeParams, rangeQuery, writeRangeParams } from './rangeParams.ts';

// Four across on a laptop, six on a wide screen: labels and comparisons stay readable, rows even.
const KPI_GRID = { display: 'grid', gridTemplateColumns: { xs: 'repeat(2, 1fr)', md: 'repeat(4, 1fr)', xl: 'repeat(6, 1fr)' }, gap: 2, mb: 2 } as const;

/** An icon per KPI the service names; a new KPI still shows, with the generic one. */
const KPI_ICONS: Record<string, ReactNode> = {
  assessments: <FactCheckOutlined />,
  valueKes: <AccountBalanceOutlined />,
  flagged: <FlagOutlined />,
  flaggedRate: <PercentOutlined />,
  casesOpened: <InboxOutlined />,
  confirmedFraud: <GppBadOutlined />,
  blockedValueKes: <BlockOutlined />,
  falsePositives: <TaskAltOutlined />,
  alerts: <NotificationsActiveOutlined />,
  openCases: <InboxOutlined />,
  overdueCases: <AssignmentLateOutlined />,
};

function Comparison({ kpi }: { kpi: Kpi }) {
  const change = kpiChange(kpi);
  if (!change || kpi.previous === null) {
    return (
      <Typography variant="caption" sx={{ color: 'text.disabled' }} noWrap>
        Snapshot now · no previous period
      </Typography>
    );
  }
  const Icon = change.direction === 'up' ? ArrowUpward : change.direction === 'down' ? ArrowDownward : RemoveOutlined;
  return (
    <Typography
      variant="caption"
      sx={{ display: 'flex', alignItems: 'center', gap: 0.5, color: 'text.secondary', minWidth: 0 }}
      data-testid={`kpi-${kpi.key}-change`}
      data-direction={change.direction}
      noWrap
    >
      <Icon sx={{ fontSize: 14 }} aria-hidden />
      <Box component="span" sx={{ fontWeight: 650, color: 'text.primary' }}>
        {change.text}
      </Box>
      <Box component="span" sx={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
        vs {formatKpiValue(kpi, kpi.previous).text} before
      </Box>
    </Typography>
  );
}

function Kpis({ kpis, drill }: { kpis: readonly Kpi[]; drill: (target: DrillTarget | null) => string | null }) {
  return (
    <Box sx={KPI_GRID}>
      {kpis.map((kpi) => {
        const shown = formatKpiValue(kpi, kpi.value);
        return (
          <KpiCard
            key={kpi.key}
            testId={`kpi-${kpi.key}`}
            label={kpi.label}
            icon={KPI_ICONS[kpi.key] ?? <InsightsOutlined />}
            tone={kpi.key === 'overdueCases' && kpi.value > 0 ? 'danger' : 'neutral'}
            value={shown.text}
            exact={shown.exact}
            comparison={<Comparison kpi={kpi} />}
            href={drill(kpi.drill)}
          />
        );
      })}
    </Box>
  );
}

function OverviewSkeleton() {
  return (
    <>
      <Box sx={KPI_GRID}>
        <KpiCardSkeletons count={6} />
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, gap: 2 }}>
        <CardSkeleton height={CHART_HEIGHT} />
        <CardSkeleton height={CHART_HEIGHT} />
      </Box>
    </>
  );
}

function Charts({ data, drill }: { data: DashboardOverview; drill: (target: DrillTarget | null) => string | null }) {
  const theme = useTheme();
  const navigate = useNavigate();
  const options = useMemo(
    () => ({
      series: seriesOption(data, theme),
      decisions: breakdownOption(data.byDecision, theme),
      risk: breakdownOption(data.byRiskLevel, theme),
      channels: breakdownOption(data.byChannel, theme),
      alerts: breakdownOption(data.alertsBySeverity, theme),
    }),
    [data, theme],
  );
  const open = (target: DrillTarget | undefined) => {
    const href = target ? drill(target) : null;
    if (href) void navigate(href);
  };
  // Only this period's bars open a list (the previous period's are drawn silent).
  const rowsClick = (rows: readonly BreakdownRow[]) =>
    drill(rows[0]?.drill ?? null) ? ({ dataIndex, seriesIndex }: ChartClick) => seriesIndex === 0 && open(rows[dataIndex]?.drill) : undefined;
  // A bucket's bar opens its payments; a point of the flagged line, the flagged ones among them.
  const seriesClick = ({ dataIndex, seriesIndex }: ChartClick) => {
    const target = data.series[dataIndex]?.drill;
    if (target) open(seriesIndex === 1 ? { ...target, filters: { ...target.filters, flagged: 'true' } } : target);
  };
  const previous = data.range.bucket === 'hour' ? 'the previous day' : 'the previous period';
  const clickHint = drill(data.series[0]?.drill ?? null) ? ' · click a bar for its payments' : '';
  const empty = (rows: readonly BreakdownRow[]) => rows.every((r) => r.value === 0 && r.previous === 0);
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, gap: 2, mb: 2 }}>
        <ChartCard
          title={data.range.bucket === 'hour' ? 'Assessments per hour' : 'Assessments per day'}
          subtitle={`${data.range.label} · dashed: ${previous}${clickHint}`}
          option={options.series}
          label={`Assessments per ${data.range.bucket}, with ${previous} dashed`}
          testId="chart-series"
          empty={data.series.every((s) => s.total === 0 && s.previousTotal === 0)}
          emptyTitle="Nothing assessed in this range"
          emptyBody="Counts appear as payments are scored"
          onClick={drill(data.series[0]?.drill ?? null) ? seriesClick : undefined}
        />
        <ChartCard
          title="Decisions"
          subtitle="As decided by the scoring engine · grey: previous period"
          option={options.decisions}
          label="Assessments by engine decision"
          testId="chart-decisions"
          empty={empty(data.byDecision)}
          emptyTitle="No decisions in this range"
          emptyBody="Decisions appear as payments are scored"
          onClick={rowsClick(data.byDecision)}
        />
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: data.alertsBySeverity.length ? '1fr 1fr 1fr' : '1fr 1fr' }, gap: 2 }}>
        <ChartCard
          title="Risk levels"
          subtitle="Assessments by risk level · grey: previous period"
          option={options.risk}
          label="Assessments by risk level"
          testId="chart-risk"
          empty={empty(data.byRiskLevel)}
          emptyTitle="No assessments in this range"
          emptyBody="Risk levels appear as payments are scored"
          onClick={rowsClick(data.byRiskLevel)}
        />
        <ChartCard
          title="Channels"
          subtitle="Assessments by channel · grey: previous period"
          option={options.channels}
          label="Assessments by channel"
          testId="chart-channels"
          empty={empty(data.byChannel)}
          emptyTitle="No assessments in this range"
          emptyBody="Channels appear as payments are scored"
          onClick={rowsClick(data.byChannel)}
        />
        {data.alertsBySeverity.length > 0 && (
          <ChartCard
            title="Alerts"
            subtitle="Alerts raised by severity · grey: previous period"
            option={options.alerts}
            label="Alerts by severity"
            testId="chart-alerts"
            empty={empty(data.alertsBySeverity)}
            emptyTitle="No alerts in this range"
            emptyBody="Pattern detectors raise alerts as payments are scored"
            onClick={rowsClick(data.alertsBySeverity)}
          />
        )}
      </Box>
    </>
  );
}

export function OverviewPage() {
  // The enterprise risk view (issue 13): first for executives, who work no cases; after the payment figures otherwise.
  const canReadRisk = useCan('risk:read');
  const canReadCases = useCan('case:read');
  const riskFirst = canReadRisk && !canReadCases;
  const permissions = useSession()?.user.permissions ?? [];
  const drill = (target: DrillTarget | null) => allowedDrillHref(target, permissions);

  const [params, setParams] = useSearchParams();
  const applied = parseRangeParams(params);
  // The boxes may hold a half-typed day; the URL (and so the figures) only ever a complete range.
  const [draft, setDraft] = useState<RangeDraft>(applied);
  // Back/forward changes the URL under the boxes: follow it.
  const appliedKey = `${applied.range}|${applied.from}|${applied.to}`;
  const [syncedKey, setSyncedKey] = useState(appliedKey);
  if (appliedKey !== syncedKey) {
    setSyncedKey(appliedKey);
    setDraft(applied);
  }
  const draftCheck = draft.from === INCOMPLETE || draft.to === INCOMPLETE ? null : rangeQuery(draft);
  const onRange = (picked: RangeDraft) => {
    // Custom starts from the last seven bank days, so the boxes open filled rather than in error.
    const today = bankToday(Date.now());
    const next = picked.range === 'custom' && !picked.from && !picked.to ? { ...picked, from: addDays(today, -6), to: today } : picked;
    setDraft(next);
    if (next.from === INCOMPLETE || next.to === INCOMPLETE) return;
    const check = rangeQuery(next);
    if (check.query) {
      setSyncedKey(`${next.range}|${next.range === 'custom' ? next.from : null}|${next.range === 'custom' ? next.to : null}`);
      setParams(writeRangeParams(params, next));
    }
  };
  const appliedQuery = rangeQuery(applied).query;
  const key = JSON.stringify(appliedQuery);
  // useApiQuery reads the fetcher through a ref and refetches when the key (the query) changes.
  const { data, error, loading, fetching, refetch } = useApiQuery(`overview:${key}`, (signal) =>
    appliedQuery ? fetchOverview(appliedQuery, signal) : Promise.resolve(null),
  );

  // Live, but calm: at most one refresh every 5 s however busy the payment stream is, plus a
  // minute-by-minute poll for roles that receive no live events.
  useLiveRefresh(['assessment.created', 'case.opened', 'case.updated'], () => refetch({ silent: true }), { debounceMs: 1000, minIntervalMs: 5000 });
  useEffect(() => {
    const timer = window.setInterval(() => refetch({ silent: true }), 60_000);
    return () => window.clearInterval(timer);
  }, [refetch]);

  const exportRange = appliedQuery ? { range: applied.range, from: applied.from ?? undefined, to: applied.to ?? undefined } : null;
  return (
    <Page>
      <PageHeader
        title="Overview"
        subtitle={
          data
            ? `${data.range.label} in Nairobi · compared with the ${data.range.bucket === 'hour' ? 'day before' : 'previous period'} · updated ${formatEat(data.generatedAt)}`
            : 'Payments, cases and alerts in Nairobi time'
        }
        actions={
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
            <ExportButtons dashboard="overview" range={exportRange} />
            <RefreshButton onClick={() => refetch({ silent: true })} disabled={fetching} label="Refresh overview" />
          </Box>
        }
      />
      <Box sx={{ mb: 2 }}>
        <RangePicker value={draft} onChange={onRange} problems={draftCheck?.problems ?? null} />
      </Box>
      {riskFirst && <EnterpriseRiskOverview />}
      {error && (
        <Box sx={{ mb: 2 }}>
          <ErrorState error={error} onRetry={() => refetch()} title="Could not load the overview" />
        </Box>
      )}
      {loading && !data && <OverviewSkeleton />}
      {data && (
        <Box data-testid="overview" data-range={data.range.key} sx={{ opacity: fetching ? 0.7 : 1, transition: 'opacity 120ms' }}>
          <Kpis kpis={data.kpis} drill={drill} />
          <Charts data={data} drill={drill} />
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
