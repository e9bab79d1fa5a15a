// Backtest of candidate thresholds (issue 15): stored payments of a period replayed through the
// detector with the thresholds being edited and with those in force, alerts per day of each, and
// how many involve cases closed as confirmed fraud or as false positives.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { AlertBacktestResult, PatternThresholds } from '../../../../shared/src/alerts.ts';
import { type ApiError, toApiError } from '../../api/client.ts';
import { addDays, bankToday } from '../../open-banking-apps/appText.ts';
import { formatEat } from '../../lib/format.ts';
import { type ChartOption, EChart } from '../../overview/EChart.tsx';
import { DayField, INCOMPLETE } from '../../risks/DayField.tsx';
import { serverErrors } from '../../risks/formErrors.ts';
import { backtestAlertThreshold } from '../alertsApi.ts';
import { SEVERITY_LABELS } from '../alertWords.tsx';

const INCOMPLETE_DAY = 'Incomplete date: finish or clear it';

function Figure({ label, value, current, testId }: { label: string; value: number; current: number; testId: string }) {
  const delta = value - current;
  return (
    <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 1.5, px: 1.25, py: 0.75, minWidth: 120 }} data-testid={testId}>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
        {label}
      </Typography>
      <Typography sx={{ fontWeight: 700, fontSize: 20 }}>{value.toLocaleString('en-KE')}</Typography>
      <Typography variant="caption" sx={{ color: delta === 0 ? 'text.secondary' : delta > 0 ? 'warning.main' : 'success.main' }}>
        now {current.toLocaleString('en-KE')}
        {delta !== 0 ? ` (${delta > 0 ? '+' : ''}${delta.toLocaleString('en-KE')})` : ''}
      </Typography>
    </Box>
  );
}

/** Every bank day of the replayed period, days without alerts as zero (a gap would hide quiet days). */
export function dailySeries(result: AlertBacktestResult): Array<{ day: string; alerts: number; current: number }> {
  const byDay = new Map(result.byDay.map((d) => [d.day, d]));
  const eatDay = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 10);
  const first = eatDay(Date.parse(result.from));
  const last = eatDay(Date.parse(result.to) - 1);
  const out: Array<{ day: string; alerts: number; current: number }> = [];
  for (let day = first; day <= last && out.length < 400; day = addDays(day, 1)) out.push(byDay.get(day) ?? { day, alerts: 0, current: 0 });
  return out;
}

function chartOption(result: AlertBacktestResult, colours: { candidate: string; current: string; text: string }): ChartOption {
  const days = dailySeries(result);
  return {
    grid: { left: 36, right: 12, top: 28, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 0, textStyle: { color: colours.text } },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)), axisLabel: { color: colours.text } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: colours.text } },
    series: [
      { name: 'Candidate', type: 'bar', data: days.map((d) => d.alerts), itemStyle: { color: colours.candidate }, barMaxWidth: 18 },
      {
        name: 'In force now',
        type: 'line',
        data: days.map((d) => d.current),
        itemStyle: { color: colours.current },
        lineStyle: { type: 'dashed' },
        symbol: 'none',
      },
    ],
  };
}

export function BacktestPanel({
  tenants,
  defaultTenant,
  thresholds,
}: {
  tenants: readonly string[];
  defaultTenant: string | null;
  thresholds: PatternThresholds | null;
}) {
  const theme = useTheme();
  const today = bankToday();
  const [tenantId, setTenantId] = useState(defaultTenant ?? tenants[0] ?? '');
  const [from, setFrom] = useState<string | null>(addDays(today, -29));
  const [to, setTo] = useState<string | null>(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<AlertBacktestResult | null>(null);
  const order = from && to && from !== INCOMPLETE && to !== INCOMPLETE && from > to ? 'The end is before the start' : null;
  const ready = !!thresholds && !!tenantId && !!from && !!to && from !== INCOMPLETE && to !== INCOMPLETE && !order;
  const server = serverErrors(error);

  const run = async () => {
    if (!ready || !thresholds || !from || !to) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await backtestAlertThreshold({ tenantId, thresholds, from: `${from}T00:00:00+03:00`, to: `${addDays(to, 1)}T00:00:00+03:00` }));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box data-testid="threshold-backtest">
      <Typography variant="subtitle2" sx={{ mb: 1 }}>
        Backtest on stored payments
      </Typography>
      <Box sx={{ display: 'flex', gap: 1.25, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <TextField
          select
          size="small"
          label="Tenant"
          value={tenantId}
          onChange={(e) => setTenantId(e.target.value)}
          sx={{ minWidth: 160 }}
          error={!!server.tenantId}
          helperText={server.tenantId ?? ' '}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'backtest-tenant' } as object } }}
        >
          {tenants.map((t) => (
            <MenuItem key={t} value={t}>
              {t}
            </MenuItem>
          ))}
        </TextField>
        <Box sx={{ width: 186 }}>
          <DayField
            label="From"
            value={from}
            onChange={setFrom}
            error={from === INCOMPLETE ? INCOMPLETE_DAY : (server.from ?? null)}
            helper=" "
            testId="backtest-from"
          />
        </Box>
        <Box sx={{ width: 186 }}>
          <DayField
            label="To"
            value={to}
            onChange={setTo}
            error={to === INCOMPLETE ? INCOMPLETE_DAY : (order ?? server.to ?? null)}
            helper=" "
            testId="backtest-to"
          />
        </Box>
        <Button
          variant="outlined"
          onClick={run}
          disabled={!ready || busy}
          startIcon={busy ? <CircularProgress size={16} /> : undefined}
          sx={{ mt: 0.25 }}
          data-testid="backtest-run"
        >
          Run backtest
        </Button>
      </Box>
      {!thresholds && (
        <Typography variant="body2" sx={{ color: 'warning.main' }}>
          Fix the thresholds above to backtest them.
        </Typography>
      )}
      {error && !error.fields.length && (
        <Alert severity="error" sx={{ mt: 1 }} data-testid="backtest-error">
          {error.message}
        </Alert>
      )}
      {result && (
        <Box sx={{ mt: 1.5 }} data-testid="backtest-result">
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
            {result.paymentsReplayed.toLocaleString('en-KE')} payments replayed, {formatEat(result.from)} to {formatEat(result.to)}
          </Typography>
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mb: 1 }}>
            <Figure label="Alerts" value={result.alerts} current={result.current.alerts} testId="backtest-alerts" />
            <Figure label="On confirmed fraud" value={result.confirmedFraud} current={result.current.confirmedFraud} testId="backtest-fraud" />
            <Figure label="On false positives" value={result.falsePositive} current={result.current.falsePositive} testId="backtest-fp" />
          </Box>
          {result.paymentsReplayed > 0 && (
            <EChart
              option={chartOption(result, { candidate: theme.palette.primary.main, current: theme.palette.text.secondary, text: theme.palette.text.secondary })}
              height={200}
              ariaLabel="Alerts per day: candidate thresholds against those in force"
              testId="backtest-chart"
            />
          )}
          {result.samples.length > 0 && (
            <Box sx={{ mt: 1 }}>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                Examples the candidate would raise
              </Typography>
              {result.samples.slice(0, 4).map((s) => (
                <Typography key={`${s.entityId}-${s.detectedAt}`} variant="body2" noWrap title={s.explanation}>
                  {formatEat(s.detectedAt)} · {SEVERITY_LABELS[s.severity]} · {s.entityId}: {s.explanation}
                </Typography>
              ))}
            </Box>
          )}
        </Box>
      )}
    </Box>
  );
}
