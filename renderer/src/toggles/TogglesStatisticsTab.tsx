// Statistics of the fraud API toggles: configurations by state and level, enabled vs disabled,
// pending four-eyes approvals, the next scheduled boundary, checks per hour and recent changes.
import { useCallback, useMemo } from 'react';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import EventOutlined from '@mui/icons-material/EventOutlined';
import PendingActionsOutlined from '@mui/icons-material/PendingActionsOutlined';
import PowerSettingsNewOutlined from '@mui/icons-material/PowerSettingsNewOutlined';
import ToggleOnOutlined from '@mui/icons-material/ToggleOnOutlined';
import { ToggleLevel } from '../../../shared/src/toggles.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { rankedBarsOption } from '../decision-engine/statistics/statisticsCharts.ts';
import { formatCount, formatDuration, formatEat, formatEatShort, humanise } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';
import { ChartCard } from '../overview/ChartCard.tsx';
import { KpiCard, KpiCardSkeletons } from '../overview/KpiCard.tsx';
import { ErrorState, RefreshButton, SectionCard } from '../ui/layout.tsx';
import { TimeAgo } from '../ui/values.tsx';
import { LEVEL_LABELS } from './toggleChips.tsx';
import { byStateOption, checksPerHourOption } from './toggleCharts.ts';
import { fetchToggleStatistics } from './togglesApi.ts';

export function TogglesStatisticsTab() {
  const theme = useTheme();
  const now = useNow();
  const fetcher = useCallback((signal: AbortSignal) => fetchToggleStatistics(signal), []);
  const { data: stats, error, loading, fetching, refetch } = useApiQuery('toggle-statistics', fetcher);
  useLiveRefresh(['toggle.changed'], () => refetch({ silent: true }), { debounceMs: 500 });

  const options = useMemo(() => {
    if (!stats) return null;
    return {
      byState: byStateOption(stats, theme),
      byLevel: rankedBarsOption(
        ToggleLevel.options.map((level) => ({ name: LEVEL_LABELS[level], value: stats.byLevel[level] ?? 0 })),
        'Configurations',
        theme,
      ),
      checks: checksPerHourOption(stats, theme),
    };
  }, [stats, theme]);

  const total = stats ? Object.values(stats.byState).reduce((sum, n) => sum + n, 0) : 0;
  const checks = stats ? stats.checksPerHour.reduce((sum, h) => sum + h.enabled + h.disabled, 0) : 0;

  return (
    <Box data-testid="toggles-statistics-tab">
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 1.5 }}>
        <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1 }}>
          All configurations, inactive ones included; checks over the last 24 hours (EAT).
        </Typography>
        <RefreshButton onClick={() => refetch()} disabled={fetching} label="Refresh toggle statistics" />
      </Box>
      {error && (
        <Box sx={{ mb: 2 }}>
          <ErrorState error={error} onRetry={() => refetch()} title="Could not load the toggle statistics" />
        </Box>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', md: 'repeat(4, minmax(0, 1fr))' }, gap: 2, mb: 2 }}>
        {loading && !stats ? (
          <KpiCardSkeletons count={4} />
        ) : (
          stats && (
            <>
              <KpiCard
                testId="toggle-stat-effective"
                label="In force now"
                icon={<ToggleOnOutlined />}
                value={formatCount(stats.byState.EFFECTIVE ?? 0)}
                caption={`${formatCount(stats.byState.FUTURE ?? 0)} future · ${formatCount(stats.byState.EXPIRED ?? 0)} expired · ${formatCount(stats.byState.INACTIVE ?? 0)} inactive`}
              />
              <KpiCard
                testId="toggle-stat-enabled"
                label="Enabled / disabled"
                icon={<PowerSettingsNewOutlined />}
                value={`${formatCount(stats.enabledCount)} / ${formatCount(stats.disabledCount)}`}
                tone={stats.disabledCount > 0 ? 'warning' : 'success'}
                caption={stats.disabledCount > 0 ? `${formatCount(stats.disabledCount)} switch the engine off` : 'None switches the engine off'}
              />
              <KpiCard
                testId="toggle-stat-pending"
                label="Pending approvals"
                icon={<PendingActionsOutlined />}
                value={formatCount(stats.pendingApprovals)}
                tone={stats.pendingApprovals > 0 ? 'warning' : 'neutral'}
                caption="Tenant-wide disables awaiting a second admin"
              />
              <KpiCard
                testId="toggle-stat-next-boundary"
                label="Next boundary"
                icon={<EventOutlined />}
                value={stats.nextBoundary ? formatEatShort(stats.nextBoundary) : '—'}
                exact={stats.nextBoundary ? formatEat(stats.nextBoundary) : undefined}
                caption={
                  stats.nextBoundary
                    ? Date.parse(stats.nextBoundary) - now >= 60_000
                      ? `A window opens or closes in ${formatDuration(Date.parse(stats.nextBoundary) - now)}`
                      : Date.parse(stats.nextBoundary) > now
                        ? 'A window opens or closes within a minute'
                        : 'Due now'
                    : 'No scheduled window ahead'
                }
              />
            </>
          )
        )}
      </Box>
      {stats && options && (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2, mb: 2 }}>
            <ChartCard
              title="Configurations by state"
              subtitle="Where each window stands now"
              option={options.byState}
              label="Toggle configurations by state"
              testId="toggle-chart-state"
              empty={total === 0}
              emptyTitle="No configurations yet"
              emptyBody="Without configurations the fraud engine is called for every payment"
            />
            <ChartCard
              title="Configurations by level"
              subtitle="Tenant, payment type, local instrument, clearing system"
              option={options.byLevel}
              label="Toggle configurations by level"
              testId="toggle-chart-level"
              empty={total === 0}
              emptyTitle="No configurations yet"
              emptyBody="Create one on the Configurations tab"
            />
          </Box>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, gap: 2 }}>
            <ChartCard
              title="Checks per hour"
              subtitle={`${formatCount(checks)} in 24 hours, EAT · stacked by the answer`}
              option={options.checks}
              label="Toggle checks per hour, engine enabled vs disabled"
              testId="toggle-chart-checks"
              empty={checks === 0}
              emptyTitle="No checks in the last 24 hours"
              emptyBody="Each payment assessment and each status check counts"
            />
            <SectionCard title="Recent changes" subtitle="Newest first" testId="toggle-recent-changes">
              {stats.recentChanges.length === 0 ? (
                <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                  No changes yet.
                </Typography>
              ) : (
                <Box sx={{ maxHeight: 236, overflow: 'auto', mx: -0.5, px: 0.5 }}>
                  {stats.recentChanges.map((c, i) => (
                    <Box key={`${c.at}-${i}`} data-testid="toggle-recent-change">
                      {i > 0 && <Divider sx={{ my: 0.75 }} />}
                      <Box sx={{ display: 'flex', gap: 1, alignItems: 'baseline' }}>
                        <Typography variant="body2" sx={{ fontWeight: 600, flex: 1, minWidth: 0 }} noWrap>
                          {humanise(c.command.replace(/^fraud-api-toggle\./, ''))}
                        </Typography>
                        <TimeAgo value={c.at} variant="caption" color="text.secondary" />
                      </Box>
                      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }} noWrap title={c.summary}>
                        {c.actor} · {c.summary}
                      </Typography>
                    </Box>
                  ))}
                </Box>
              )}
            </SectionCard>
          </Box>
        </>
      )}
    </Box>
  );
}
