// The Overview's enterprise view for executives (issue 13 "Screens"): open risks and overdue
// reviews, KRIs in breach, the risk trend by residual level, events and losses, and the top risks
// for a chosen period — from GET /api/v1/risk-overview — with the board report (PDF) of the same
// period one click away.
import { useCallback, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Link from '@mui/material/Link';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AssignmentLateOutlined from '@mui/icons-material/AssignmentLateOutlined';
import GppMaybeOutlined from '@mui/icons-material/GppMaybeOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import PaymentsOutlined from '@mui/icons-material/PaymentsOutlined';
import PictureAsPdfOutlined from '@mui/icons-material/PictureAsPdfOutlined';
import ReportProblemOutlined from '@mui/icons-material/ReportProblemOutlined';
import type { RiskOverview } from '../../../shared/src/risk-reports.ts';
import { toApiError } from '../api/client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount, formatEat, formatMoney, formatMoneyCompact } from '../lib/format.ts';
import { CardSkeleton, ErrorState } from '../ui/layout.tsx';
import { ChartCard, CHART_HEIGHT } from './ChartCard.tsx';
import { downloadBoardReport, fetchRiskOverview } from './enterpriseApi.ts';
import { eventsOption, riskTrendOption } from './enterpriseChartOptions.ts';
import { KrisInBreachCard, NotableEventsCard, TopRisksCard } from './EnterpriseTables.tsx';
import { KpiCard, KpiCardSkeletons } from './KpiCard.tsx';

const RANGES = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 180, label: '6 months' },
  { days: 365, label: '1 year' },
] as const;

/** The period ends now, to the minute (so one render's key does not change every millisecond). */
function periodOf(days: number): { from: string; to: string } {
  const to = Math.floor(Date.now() / 60_000) * 60_000;
  return { from: new Date(to - days * 86_400_000).toISOString(), to: new Date(to).toISOString() };
}

/** The currency with the largest loss total, for the chart's loss line. */
function mainCurrency(overview: RiskOverview): string | null {
  const sorted = [...overview.totals.losses].sort((a, b) => b.amount - a.amount);
  return sorted[0]?.currency ?? null;
}

function Kpis({ overview }: { overview: RiskOverview }) {
  const { totals } = overview;
  const losses = [...totals.losses].sort((a, b) => b.amount - a.amount);
  const main = losses[0];
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(3, 1fr)', lg: 'repeat(5, 1fr)' }, gap: 2, mb: 2 }}>
      <KpiCard
        testId="kpi-open-risks"
        label="Open risks"
        icon={<GppMaybeOutlined />}
        value={formatCount(totals.openRisks)}
        caption={
          totals.byResidualLevel
            .filter((l) => l.count > 0)
            .map((l) => `${l.count} ${l.name.toLowerCase()}`)
            .join(' · ') || 'None open'
        }
      />
      <KpiCard
        testId="kpi-review-overdue"
        label="Reviews overdue"
        icon={<AssignmentLateOutlined />}
        value={formatCount(totals.reviewOverdue)}
        tone={totals.reviewOverdue > 0 ? 'danger' : 'neutral'}
        caption={totals.reviewOverdue > 0 ? 'Past their review date' : 'All reviews on time'}
      />
      <KpiCard
        testId="kpi-kris-breach"
        label="KRIs in breach"
        icon={<MonitorHeartOutlined />}
        value={formatCount(totals.krisInBreach)}
        tone={overview.krisInBreach.some((k) => k.status === 'CRITICAL') ? 'danger' : totals.krisInBreach > 0 ? 'warning' : 'success'}
        caption={`${overview.krisInBreach.filter((k) => k.status === 'CRITICAL').length} critical now`}
      />
      <KpiCard
        testId="kpi-risk-events"
        label="Risk events"
        icon={<ReportProblemOutlined />}
        value={formatCount(totals.events)}
        caption="Occurred in the period"
      />
      <KpiCard
        testId="kpi-losses"
        label="Losses"
        icon={<PaymentsOutlined />}
        value={main ? formatMoneyCompact(main.amount, main.currency) : '—'}
        exact={losses.map((l) => formatMoney(l.amount, l.currency)).join(' · ') || undefined}
        tone={main ? 'warning' : 'neutral'}
        caption={losses.length > 1 ? `+ ${losses.length - 1} other ${losses.length > 2 ? 'currencies' : 'currency'} (hover)` : 'Financial impact in the period'}
      />
    </Box>
  );
}

export function EnterpriseRiskOverview() {
  const theme = useTheme();
  const [days, setDays] = useState<number>(90);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const fetcher = useCallback((signal: AbortSignal) => fetchRiskOverview(periodOf(days), signal), [days]);
  const query = useApiQuery(`risk-overview:${days}`, fetcher);
  useLiveRefresh(['kri.changed', 'risk-event.changed', 'register.changed', 'sync.applied'], () => query.refetch({ silent: true }), {
    debounceMs: 1000,
    minIntervalMs: 10_000,
  });
  const overview = query.data;
  const currency = overview ? mainCurrency(overview) : null;
  const options = useMemo(
    () => (overview ? { trend: riskTrendOption(overview, theme), events: eventsOption(overview, theme, currency) } : null),
    [overview, theme, currency],
  );

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await downloadBoardReport(periodOf(days));
    } catch (caught) {
      setDownloadError(toApiError(caught).message);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Box component="section" data-testid="enterprise-overview" sx={{ mb: 3 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', mb: 1.5 }}>
        <Box sx={{ flex: 1, minWidth: 220 }}>
          <Typography variant="h5" component="h2">
            Enterprise risk
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {overview ? `Risk register, KRIs and risk events · ${formatEat(overview.from)} – ${formatEat(overview.to)}` : 'Risk register, KRIs and risk events'}
          </Typography>
        </Box>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={days}
          onChange={(_, v: number | null) => v && setDays(v)}
          aria-label="Period"
          data-testid="enterprise-range"
        >
          {RANGES.map((r) => (
            <ToggleButton key={r.days} value={r.days} data-testid={`enterprise-range-${r.days}`}>
              {r.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <Button
          variant="outlined"
          startIcon={downloading ? <CircularProgress size={16} /> : <PictureAsPdfOutlined />}
          onClick={() => void download()}
          disabled={downloading}
          data-testid="board-report-download"
        >
          Board report (PDF)
        </Button>
      </Box>
      {downloadError && (
        <Alert severity="error" onClose={() => setDownloadError(null)} sx={{ mb: 1.5 }}>
          Could not make the board report — {downloadError}
        </Alert>
      )}
      {query.error && <ErrorState error={query.error} onRetry={() => query.refetch()} title="Could not load the enterprise risk view" />}
      {query.loading && !overview && (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(3, 1fr)', lg: 'repeat(5, 1fr)' }, gap: 2, mb: 2 }}>
            <KpiCardSkeletons count={5} />
          </Box>
          <CardSkeleton height={CHART_HEIGHT} />
        </>
      )}
      {overview && options && (
        <>
          <Kpis overview={overview} />
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, mb: 2 }}>
            <ChartCard
              title="Risk trend"
              subtitle="Open risks at each week's end by residual level"
              option={options.trend}
              label="Open risks per week by residual level"
              testId="chart-risk-trend"
              empty={overview.trend.every((w) => Object.values(w.counts).every((n) => n === 0))}
              emptyTitle="No open risks in this period"
              emptyBody="Risks appear once recorded and assessed"
            />
            <ChartCard
              title="Events and losses"
              subtitle={currency ? `Risk events per week · losses in ${currency}` : 'Risk events per week'}
              option={options.events}
              label="Risk events and losses per week"
              testId="chart-risk-events"
              empty={overview.eventsByWeek.every((w) => w.events === 0)}
              emptyTitle="No risk events in this period"
              emptyBody="Incidents, losses, near misses and KRI breaches appear here"
            />
          </Box>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, mb: 2 }}>
            <TopRisksCard overview={overview} />
            <KrisInBreachCard overview={overview} />
          </Box>
          <NotableEventsCard overview={overview} />
          <Typography variant="caption" sx={{ color: 'text.disabled', display: 'block', mt: 1 }}>
            As of {formatEat(overview.asOf)} ·{' '}
            <Link component={RouterLink} to="/kris" underline="hover">
              KRI dashboard
            </Link>{' '}
            ·{' '}
            <Link component={RouterLink} to="/risk-events" underline="hover">
              all risk events
            </Link>
          </Typography>
        </>
      )}
    </Box>
  );
}
