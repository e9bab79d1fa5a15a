// Backtest & publish: replays the last N days of payments through the saved draft, shows what
// would change (decision and risk-level transitions, totals, rule hits, the changed payments), and
// only then offers "Publish this draft" (a dialog with the diff against the published version and
// a required change note: PublishDraftDialog.tsx). Progress arrives over socket.io ('backtest.progress');
// when no event has come for a while the panel polls the backtest every second instead.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { alpha, useTheme, type Theme } from '@mui/material/styles';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import PublishOutlined from '@mui/icons-material/PublishOutlined';
import StopOutlined from '@mui/icons-material/StopOutlined';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { Decision, type RiskLevel } from '../../../../shared/src/assessments.ts';
import type { Backtest, BacktestChange, FraudRiskConfiguration } from '../../../../shared/src/decision-engine.ts';
import { isHubUnavailable, toApiError, type ApiError } from '../../api/client.ts';
import { HubNeededAlert } from '../../sync/HubNeededAlert.tsx';
import { useLiveEvent } from '../../api/socket.ts';
import { formatCount, formatEat, formatEatShort, scorePoints } from '../../lib/format.ts';
import { chartBase, decisionFill } from '../../overview/chartOptions.ts';
import { EChart, type ChartOption } from '../../overview/EChart.tsx';
import { DECISION_LABELS, DecisionChip, RiskChip } from '../../ui/chips.tsx';
import { gridSx } from '../../ui/gridStyles.ts';
import { SectionCard } from '../../ui/layout.tsx';
import { Mono, Money } from '../../ui/values.tsx';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { cancelBacktest, discardDraft, fetchBacktest, publishDraft, startBacktest } from '../decisionEngineApi.ts';
import { PublishDraftDialog } from './PublishDraftDialog.tsx';
import { BacktestHistory } from './BacktestHistory.tsx';

type Summary = NonNullable<Backtest['summary']>;

function comparisonOption(summary: Summary, theme: Theme): ChartOption {
  const b = chartBase(theme);
  const decisions = Decision.options.filter((d) => (summary.current[d] ?? 0) > 0 || (summary.proposed[d] ?? 0) > 0);
  return {
    textStyle: b.textStyle,
    animationDuration: 300,
    grid: { left: 8, right: 12, top: 30, bottom: 4, containLabel: true },
    legend: { ...b.legend, top: 0, right: 0, data: ['Current', 'Proposed'] },
    tooltip: { ...b.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: decisions.map((d) => DECISION_LABELS[d]),
      axisLine: b.axisLine,
      axisTick: { show: false },
      axisLabel: { ...b.axisLabel, interval: 0 },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: b.axisLabel, splitLine: b.splitLine },
    series: [
      {
        name: 'Current',
        type: 'bar',
        barMaxWidth: 26,
        data: decisions.map((d) => ({ value: summary.current[d] ?? 0, itemStyle: { color: alpha(decisionFill(d, theme), 0.35), borderRadius: [3, 3, 0, 0] } })),
        itemStyle: { color: alpha(theme.palette.text.secondary, 0.35) },
      },
      {
        name: 'Proposed',
        type: 'bar',
        barMaxWidth: 26,
        data: decisions.map((d) => ({ value: summary.proposed[d] ?? 0, itemStyle: { color: decisionFill(d, theme), borderRadius: [3, 3, 0, 0] } })),
        itemStyle: { color: theme.palette.primary.main },
      },
    ],
  };
}

function Transitions<T extends string>({
  title,
  rows,
  render,
  testId,
}: {
  title: string;
  rows: readonly { from: T; to: T; count: number }[];
  render: (value: T) => ReactNode;
  testId: string;
}) {
  const moved = rows.filter((r) => r.from !== r.to && r.count > 0).sort((a, b) => b.count - a.count);
  return (
    <Box sx={{ minWidth: 0 }} data-testid={testId}>
      <Typography variant="overline" sx={{ color: 'text.secondary' }}>
        {title}
      </Typography>
      {moved.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          None would change.
        </Typography>
      ) : (
        <Table
          size="small"
          sx={{ '& td, & th': { px: 1, py: 0.5, borderColor: 'divider', whiteSpace: 'nowrap' }, '& th': { color: 'text.secondary', fontSize: 12 } }}
        >
          <TableHead>
            <TableRow>
              <TableCell>From</TableCell>
              <TableCell />
              <TableCell>To</TableCell>
              <TableCell align="right">Payments</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {moved.map((row) => (
              <TableRow key={`${row.from}-${row.to}`} data-testid="transition-row" data-from={row.from} data-to={row.to}>
                <TableCell>{render(row.from)}</TableCell>
                <TableCell sx={{ color: 'text.disabled' }}>→</TableCell>
                <TableCell>{render(row.to)}</TableCell>
                <TableCell align="right">
                  <Mono sx={{ fontWeight: 600 }}>{formatCount(row.count)}</Mono>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

function TransitionCell({ from, to }: { from: ReactNode; to: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
      {from}
      <Typography variant="caption" sx={{ color: 'text.disabled' }}>
        →
      </Typography>
      {to}
    </Box>
  );
}

const changeColumns: GridColDef<BacktestChange>[] = [
  {
    field: 'transactionReference',
    headerName: 'Transaction',
    width: 172,
    renderCell: ({ row }) => (
      <Box sx={{ lineHeight: 1.2, minWidth: 0 }}>
        <Mono sx={{ fontSize: 12, display: 'block' }} noWrap>
          {row.transactionReference}
        </Mono>
        <Mono sx={{ fontSize: 11, color: 'text.secondary' }} noWrap>
          {row.customerId} · {row.channel}
        </Mono>
      </Box>
    ),
  },
  { field: 'occurredAt', headerName: 'Time (EAT)', width: 104, renderCell: ({ row }) => formatEatShort(row.occurredAt) },
  {
    field: 'amountKes',
    headerName: 'Amount',
    width: 128,
    align: 'right',
    headerAlign: 'right',
    renderCell: ({ row }) => <Money amount={row.amountKes} sx={{ fontSize: 12 }} />,
  },
  {
    field: 'score',
    headerName: 'Score',
    width: 84,
    valueGetter: (_v, row) => row.proposedScore - row.currentScore,
    renderCell: ({ row }) => (
      <Mono sx={{ fontSize: 12 }}>
        {scorePoints(row.currentScore)} → <strong>{scorePoints(row.proposedScore)}</strong>
      </Mono>
    ),
  },
  {
    field: 'decision',
    headerName: 'Decision',
    width: 204,
    sortable: false,
    renderCell: ({ row }) => <TransitionCell from={<DecisionChip decision={row.currentDecision} />} to={<DecisionChip decision={row.proposedDecision} />} />,
  },
  {
    field: 'level',
    headerName: 'Risk level',
    width: 168,
    sortable: false,
    renderCell: ({ row }) => <TransitionCell from={<RiskChip level={row.currentRiskLevel} />} to={<RiskChip level={row.proposedRiskLevel} />} />,
  },
  {
    field: 'proposedRules',
    headerName: 'Rules fired (proposed)',
    flex: 1,
    minWidth: 200,
    sortable: false,
    renderCell: ({ row }) => (
      <Typography variant="caption" noWrap title={row.proposedRules.join(', ')}>
        {row.proposedRules.join(', ') || '—'}
      </Typography>
    ),
  },
];

function BacktestResult({ backtest }: { backtest: Backtest }) {
  const theme = useTheme();
  const summary = backtest.summary;
  const option = useMemo(() => (summary ? comparisonOption(summary, theme) : null), [summary, theme]);
  if (!summary || !option) return null;
  const share = summary.evaluated > 0 ? (summary.changed / summary.evaluated) * 100 : 0;
  const maxHits = Math.max(1, ...summary.ruleHits.map((r) => r.hits));
  return (
    <Box data-testid="backtest-result" sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 2, mt: 2 }}>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' }, gap: 1.5 }}>
        {[
          { label: 'Payments replayed', value: formatCount(summary.evaluated), testId: 'backtest-evaluated' },
          { label: 'Decision would change', value: formatCount(summary.changed), testId: 'backtest-changed-count', tone: summary.changed > 0 },
          { label: 'Share changed', value: `${share.toFixed(share < 10 ? 1 : 0)}%` },
          { label: 'Risk level would change', value: formatCount(summary.riskLevelChanged) },
        ].map((kpi) => (
          <Box key={kpi.label} sx={{ p: 1.25, borderRadius: 2, border: 1, borderColor: 'divider' }}>
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              {kpi.label}
            </Typography>
            <Mono data-testid={kpi.testId} sx={{ display: 'block', fontSize: 20, fontWeight: 650, color: kpi.tone ? 'warning.main' : 'text.primary' }}>
              {kpi.value}
            </Mono>
          </Box>
        ))}
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'repeat(2, minmax(0, 1fr))' }, gap: 3 }}>
        <Transitions<Decision>
          title="Decision transitions"
          rows={summary.decisionTransitions}
          render={(d) => <DecisionChip decision={d} />}
          testId="backtest-decision-transitions"
        />
        <Transitions<RiskLevel>
          title="Risk-level transitions"
          rows={summary.riskLevelTransitions}
          render={(l) => <RiskChip level={l} />}
          testId="backtest-level-transitions"
        />
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'repeat(2, minmax(0, 1fr))' }, gap: 3 }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="overline" sx={{ color: 'text.secondary' }}>
            Decisions: current vs proposed
          </Typography>
          <EChart option={option} height={260} ariaLabel="Decision totals, current versus proposed" testId="backtest-chart" />
        </Box>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="overline" sx={{ color: 'text.secondary' }}>
            Rule hits under the proposed version
          </Typography>
          <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', rowGap: 0.25 }}>
            {[...summary.ruleHits]
              .sort((a, b) => b.hits - a.hits)
              .map((rule) => (
                <Box
                  key={rule.ruleId}
                  data-testid="backtest-rule-hits"
                  data-rule-id={rule.ruleId}
                  sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 110px 52px', alignItems: 'center', gap: 1.25 }}
                >
                  <Typography variant="body2" noWrap title={`${rule.name} (${rule.ruleId})`}>
                    {rule.name}
                  </Typography>
                  <Box sx={{ height: 6, borderRadius: 3, bgcolor: alpha(theme.palette.primary.main, 0.12), overflow: 'hidden' }}>
                    <Box sx={{ width: `${(rule.hits / maxHits) * 100}%`, height: '100%', bgcolor: 'primary.main' }} />
                  </Box>
                  <Mono sx={{ textAlign: 'right', fontSize: 12 }}>{formatCount(rule.hits)}</Mono>
                </Box>
              ))}
          </Box>
        </Box>
      </Box>
      {backtest.changes.length > 0 && (
        <Box>
          <Typography variant="overline" sx={{ color: 'text.secondary' }}>
            Payments whose decision would change{summary.changed > backtest.changes.length ? ` (first ${formatCount(backtest.changes.length)})` : ''}
          </Typography>
          <Box sx={{ height: 380, border: 1, borderColor: 'divider', borderRadius: 2, overflow: 'hidden' }} data-testid="backtest-changes">
            <DataGrid<BacktestChange>
              rows={backtest.changes}
              columns={changeColumns}
              getRowId={(row) => row.assessmentId}
              density="compact"
              disableColumnMenu
              disableRowSelectionOnClick
              pageSizeOptions={[25, 50, 100]}
              initialState={{ pagination: { paginationModel: { pageSize: 25 } } }}
              sx={gridSx(theme, { clickable: false })}
            />
          </Box>
        </Box>
      )}
    </Box>
  );
}

export function BacktestPanel({
  configuration,
  rowVersion,
  dirty,
  canManage,
  onPublished,
  onDiscarded,
  onConflict,
}: {
  configuration: FraudRiskConfiguration;
  /** The rowVersion the page is based on (sent as expectedRowVersion). */
  rowVersion: number;
  dirty: boolean;
  canManage: boolean;
  onPublished: (configuration: FraudRiskConfiguration) => void;
  onDiscarded: () => void;
  onConflict: () => void;
}) {
  const draft = configuration.draft;
  const [days, setDays] = useState(14);
  const [backtest, setBacktest] = useState<Backtest | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [publishOpen, setPublishOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [discardOpen, setDiscardOpen] = useState(false);
  const lastEvent = useRef(0);
  const running = backtest?.status === 'RUNNING';
  const backtestId = backtest?.id;

  // A newly saved draft makes an earlier result stale.
  const draftKey = draft ? `${draft.versionNumber}:${draft.updatedAt}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reset runs because draftKey changed, not to read it.
  useEffect(() => {
    setBacktest(null);
    setError(null);
  }, [draftKey]);

  useLiveEvent('backtest.progress', (progress) => {
    if (progress.id !== backtestId) return;
    lastEvent.current = Date.now();
    setBacktest((current) => (current && current.id === progress.id ? { ...current, ...progress, changes: current.changes } : current));
  });

  // Poll while running when the socket is quiet; fetch the full result (with the changed
  // payments, which progress events leave out) once it has finished.
  useEffect(() => {
    if (!backtestId || !running) return;
    const controller = new AbortController();
    const timer = window.setInterval(() => {
      if (Date.now() - lastEvent.current < 1500) return;
      fetchBacktest(backtestId, controller.signal).then(
        (fresh) => setBacktest((current) => (current?.id === fresh.id ? fresh : current)),
        () => undefined,
      );
    }, 1000);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, [backtestId, running]);

  const finishedWithoutChanges =
    !!backtest && backtest.status !== 'RUNNING' && backtest.summary !== null && backtest.changes.length === 0 && backtest.summary.changed > 0;
  useEffect(() => {
    if (!backtestId || !finishedWithoutChanges) return;
    const controller = new AbortController();
    fetchBacktest(backtestId, controller.signal).then(setBacktest, () => undefined);
    return () => controller.abort();
  }, [backtestId, finishedWithoutChanges]);

  if (!draft) return null;

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      lastEvent.current = 0;
      setBacktest(await startBacktest(configuration.id, { days, versionNumber: draft.versionNumber }));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setStarting(false);
    }
  };

  /** Called by the publish dialog, which shows a refusal itself (a 409 also offers the page's reload). */
  const publish = async (changeNote: string) => {
    if (!backtest) return;
    setPublishing(true);
    setError(null);
    try {
      const published = await publishDraft(configuration.id, { expectedRowVersion: rowVersion, backtestId: backtest.id, changeNote });
      onPublished(published);
    } catch (caught) {
      const apiError = toApiError(caught);
      if (apiError.status === 409) onConflict();
      throw apiError;
    } finally {
      setPublishing(false);
    }
  };

  const completed = backtest?.status === 'COMPLETED' && backtest.summary;
  const daysValid = Number.isInteger(days) && days >= 1 && days <= 90;

  return (
    <SectionCard
      title={`Draft v${draft.versionNumber} — backtest & publish`}
      subtitle={`Saved ${formatEat(draft.updatedAt)}${draft.updatedBy ? ` by ${draft.updatedBy}` : ''}. Replay recent payments through the draft before it goes live.`}
      testId="backtest-panel"
      action={
        canManage && (
          <Button color="error" size="small" onClick={() => setDiscardOpen(true)} data-testid="discard-draft" disabled={running || publishing}>
            Discard draft
          </Button>
        )
      }
    >
      {canManage ? (
        <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1.5, flexWrap: 'wrap' }}>
          <TextField
            size="small"
            type="number"
            label="Days of payments"
            value={Number.isFinite(days) ? days : ''}
            onChange={(e) => setDays(e.target.value === '' ? Number.NaN : Number(e.target.value))}
            error={!daysValid}
            helperText={daysValid ? 'Up to 90, back from now' : 'Between 1 and 90'}
            sx={{ width: 180 }}
            disabled={running}
            slotProps={{ htmlInput: { min: 1, max: 90, step: 1, 'data-testid': 'backtest-days' } }}
          />
          {running ? (
            <Button
              variant="outlined"
              color="inherit"
              startIcon={<StopOutlined fontSize="small" />}
              onClick={() => backtest && cancelBacktest(backtest.id).then(setBacktest, (e: unknown) => setError(toApiError(e)))}
              sx={{ mt: 0.25 }}
            >
              Cancel backtest
            </Button>
          ) : (
            <Button
              variant="contained"
              onClick={start}
              disabled={starting || dirty || !daysValid}
              startIcon={starting ? <CircularProgress size={14} color="inherit" /> : <PlayArrowOutlined fontSize="small" />}
              data-testid="backtest-start"
              sx={{ mt: 0.25 }}
            >
              {backtest ? 'Run again' : 'Run backtest'}
            </Button>
          )}
          {dirty && (
            <Typography variant="caption" sx={{ color: 'warning.main', mt: 1 }}>
              Save the draft first: the backtest replays the saved draft.
            </Typography>
          )}
        </Box>
      ) : (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          A draft is open. Backtests and publishing need permission to manage configurations.
        </Typography>
      )}

      {backtest && (
        <Box sx={{ mt: 2 }} data-testid="backtest-status" data-status={backtest.status}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 0.5 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {backtest.status === 'RUNNING'
                ? 'Replaying payments…'
                : backtest.status === 'COMPLETED'
                  ? 'Backtest complete'
                  : backtest.status === 'CANCELLED'
                    ? 'Backtest cancelled'
                    : 'Backtest failed'}
            </Typography>
            <Box sx={{ flex: 1 }} />
            <Mono sx={{ fontSize: 12, color: 'text.secondary' }}>
              {formatCount(backtest.processed)} / {formatCount(backtest.total)} · {Math.round(backtest.progress * 100)}%
            </Mono>
          </Box>
          <LinearProgress
            variant="determinate"
            value={Math.round(backtest.progress * 100)}
            color={backtest.status === 'FAILED' ? 'error' : backtest.status === 'COMPLETED' ? 'success' : 'primary'}
            sx={{ height: 6 }}
            data-testid="backtest-progress"
            aria-label="Backtest progress"
          />
          {backtest.error && (
            <Alert severity="error" sx={{ mt: 1.5 }}>
              {backtest.error}
            </Alert>
          )}
        </Box>
      )}
      {error &&
        (isHubUnavailable(error) ? (
          <HubNeededAlert sx={{ mt: 1.5 }} />
        ) : (
          <Alert severity="error" sx={{ mt: 1.5 }}>
            {error.message}
          </Alert>
        ))}
      {completed && backtest && <BacktestResult backtest={backtest} />}

      {/* An earlier backtest opened from the list may be of another version: only this draft's own result publishes it. */}
      {completed && backtest && canManage && backtest.versionNumber === draft.versionNumber && (
        <Box
          sx={(theme) => ({
            mt: 2,
            p: 1.5,
            borderRadius: 2,
            border: 1,
            borderColor: alpha(theme.palette.primary.main, 0.4),
            bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.08 : 0.04),
            display: 'flex',
            gap: 1.5,
            alignItems: 'center',
            flexWrap: 'wrap',
          })}
        >
          <Typography variant="body2" sx={{ flex: 1, minWidth: 260 }}>
            {formatCount(backtest.summary?.changed ?? 0)} of {formatCount(backtest.summary?.evaluated ?? 0)} replayed decisions would change. Publishing shows
            what changes against the published v{configuration.version} and asks for a change note.
          </Typography>
          <Button
            variant="contained"
            color="primary"
            onClick={() => setPublishOpen(true)}
            disabled={publishing || dirty}
            startIcon={publishing ? <CircularProgress size={14} color="inherit" /> : <PublishOutlined fontSize="small" />}
            data-testid="publish-draft"
          >
            Publish this draft…
          </Button>
        </Box>
      )}
      <BacktestHistory
        configurationId={configuration.id}
        refreshKey={`${backtest?.id ?? ''}:${backtest?.status ?? ''}`}
        openId={backtest?.id ?? null}
        onOpen={setBacktest}
      />
      <PublishDraftDialog
        open={publishOpen}
        configuration={configuration}
        backtest={backtest?.summary ? { changed: backtest.summary.changed, evaluated: backtest.summary.evaluated } : null}
        onPublish={publish}
        onClose={() => setPublishOpen(false)}
      />

      <ConfirmDialog
        open={discardOpen}
        title="Discard the draft?"
        body={`Draft v${draft.versionNumber} and its unsaved edits are thrown away. The published version stays as it is.`}
        confirmLabel="Discard draft"
        confirmColor="error"
        confirmTestId="discard-confirm"
        onClose={() => setDiscardOpen(false)}
        onConfirm={async () => {
          await discardDraft(configuration.id);
          onDiscarded();
        }}
      />
    </SectionCard>
  );
}
