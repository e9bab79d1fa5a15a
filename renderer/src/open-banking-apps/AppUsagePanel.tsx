// An app's use over a range of bank days (issue 14): calls per day stacked by outcome, calls by
// endpoint and refusals by reason. The range is a preset (7, 30, 90 days) or two typed days; a
// half-typed day is a field error and the charts keep the last range until it is complete.
import { useCallback, useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import type { AppUsage } from '../../../shared/src/open-banking.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount } from '../lib/format.ts';
import { EChart } from '../overview/EChart.tsx';
import { DayField, INCOMPLETE } from '../risks/DayField.tsx';
import { ErrorState, SectionCard } from '../ui/layout.tsx';
import { addDays, bankToday, usageRange } from './appText.ts';
import { usageByDayOption, usageByEndpointOption, usageByReasonOption } from './appUsageOption.ts';
import { fetchObAppUsage } from './obAppsApi.ts';

type Preset = '7' | '30' | '90' | 'custom';

function Empty({ text, height }: { text: string; height: number }) {
  return (
    <Box sx={{ height, display: 'grid', placeItems: 'center', border: 1, borderStyle: 'dashed', borderColor: 'divider', borderRadius: 2 }}>
      <Box sx={{ textAlign: 'center', color: 'text.secondary' }}>
        <InsightsOutlined sx={{ color: 'text.disabled', mb: 0.5 }} />
        <Typography variant="body2">{text}</Typography>
      </Box>
    </Box>
  );
}

export function AppUsagePanel({ appId }: { appId: string }) {
  const theme = useTheme();
  const today = bankToday();
  const [preset, setPreset] = useState<Preset>('30');
  const [from, setFrom] = useState<string | null>(addDays(today, -29));
  const [to, setTo] = useState<string | null>(today);
  const [range, setRange] = useState(() => usageRange(addDays(today, -29), today));
  const orderProblem = from && to && from !== INCOMPLETE && to !== INCOMPLETE && from > to ? 'The end is before the start' : null;

  const choose = (next: Preset) => {
    setPreset(next);
    if (next === 'custom') return;
    const start = addDays(today, -(Number(next) - 1));
    setFrom(start);
    setTo(today);
    setRange(usageRange(start, today));
  };
  const typed = (nextFrom: string | null, nextTo: string | null) => {
    setPreset('custom');
    setFrom(nextFrom);
    setTo(nextTo);
    if (nextFrom && nextTo && nextFrom !== INCOMPLETE && nextTo !== INCOMPLETE && nextFrom <= nextTo) setRange(usageRange(nextFrom, nextTo));
  };

  const key = `${appId}:${range.from}:${range.to}`;
  const usage = useApiQuery(
    `ob-app-usage:${key}`,
    // biome-ignore lint/correctness/useExhaustiveDependencies: `key` holds every input.
    useCallback((signal: AbortSignal) => fetchObAppUsage(appId, range, signal), [key]),
  );
  useLiveRefresh(['consent.changed'], () => usage.refetch({ silent: true }), { debounceMs: 1000, minIntervalMs: 10_000 });
  const data: AppUsage | undefined = usage.data;
  const byDay = useMemo(() => (data ? usageByDayOption(data, theme) : null), [data, theme]);
  const byEndpoint = useMemo(() => (data ? usageByEndpointOption(data, theme) : null), [data, theme]);
  const byReason = useMemo(() => (data ? usageByReasonOption(data, theme) : null), [data, theme]);
  const refused = data ? data.days.reduce((n, d) => n + d.denied + d.throttled, 0) : 0;

  return (
    <SectionCard
      title="Use"
      subtitle={data ? `${formatCount(data.total)} checked calls · ${formatCount(refused)} refused or throttled` : 'Checked calls by bank day'}
      testId="app-usage"
    >
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', flexWrap: 'wrap', mb: 1.5 }}>
        <ToggleButtonGroup size="small" exclusive value={preset} onChange={(_, v: Preset | null) => v && choose(v)} aria-label="Range" sx={{ mt: 0.25 }}>
          <ToggleButton value="7" data-testid="usage-range-7">
            7 days
          </ToggleButton>
          <ToggleButton value="30" data-testid="usage-range-30">
            30 days
          </ToggleButton>
          <ToggleButton value="90" data-testid="usage-range-90">
            90 days
          </ToggleButton>
          <ToggleButton value="custom" data-testid="usage-range-custom">
            Custom
          </ToggleButton>
        </ToggleButtonGroup>
        <Box sx={{ width: 196 }}>
          <DayField
            label="From"
            value={from}
            onChange={(v) => typed(v, to)}
            error={from === INCOMPLETE ? 'Incomplete date: finish or clear it' : from === null ? 'Choose a day' : null}
            helper=" "
            testId="usage-from"
          />
        </Box>
        <Box sx={{ width: 196 }}>
          <DayField
            label="To"
            value={to}
            onChange={(v) => typed(from, v)}
            error={to === INCOMPLETE ? 'Incomplete date: finish or clear it' : to === null ? 'Choose a day' : orderProblem}
            helper=" "
            testId="usage-to"
          />
        </Box>
      </Box>
      {usage.error && <ErrorState error={usage.error} onRetry={() => usage.refetch()} title="Could not load the app’s use" />}
      {!usage.error && (
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 3fr) minmax(0, 2fr)' }, gap: 2 }}>
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
              Calls per day
            </Typography>
            {byDay && data && data.days.length > 0 ? (
              <EChart option={byDay} height={260} ariaLabel="Calls per day: allowed, refused and throttled" testId="usage-by-day" />
            ) : (
              <Empty text={usage.loading ? 'Loading…' : 'No calls in this range'} height={260} />
            )}
          </Box>
          <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 2, minWidth: 0 }}>
            <Box sx={{ minWidth: 0 }}>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                By endpoint
              </Typography>
              {byEndpoint && data && data.byEndpoint.length > 0 ? (
                <EChart option={byEndpoint} height={120} ariaLabel="Calls by endpoint" testId="usage-by-endpoint" />
              ) : (
                <Empty text="No calls" height={120} />
              )}
            </Box>
            <Box sx={{ minWidth: 0 }}>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                Refusals by reason
              </Typography>
              {byReason && data?.byReason.some((r) => r.reason !== 'OK') ? (
                <EChart option={byReason} height={120} ariaLabel="Refused calls by reason" testId="usage-by-reason" />
              ) : (
                <Empty text="No refusals" height={120} />
              )}
            </Box>
          </Box>
        </Box>
      )}
    </SectionCard>
  );
}
