import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import Alert, { type AlertColor } from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Snackbar from '@mui/material/Snackbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import KeyboardOutlined from '@mui/icons-material/KeyboardOutlined';
import ManageSearchOutlined from '@mui/icons-material/ManageSearchOutlined';
import PlayArrowRounded from '@mui/icons-material/PlayArrowRounded';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import { GridRow, useGridApiRef, type GridRowProps, type GridRowSelectionModel, type GridSortModel } from '@mui/x-data-grid';
import { CASE_TRANSITIONS, type CaseAction, type CaseSummary } from '../../../shared/src/cases.ts';
import type { CaseQueue, QueueSla } from '../../../shared/src/queues.ts';
import { toApiError } from '../api/client.ts';
import { useCan, useSession } from '../api/session.ts';
import { useLiveEvent } from '../api/socket.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount } from '../lib/format.ts';
import { useRowFlash } from '../lib/useRowFlash.ts';
import { CASE_STATE_LABELS } from '../ui/chips.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { PageHeader, RefreshButton } from '../ui/layout.tsx';
import { caseColumns, SORTABLE_CASE_FIELDS } from './caseColumns.tsx';
import { CaseQueueToolbar } from './CaseQueueToolbar.tsx';
import { claimCase, claimNextCase, fetchAssignees, fetchCases, fetchQueues } from './casesApi.ts';
import { DecisionDialog } from './DecisionDialog.tsx';
import { caseHref } from './detail/useQueueContext.ts';
import { useCaseDrill } from './CaseDrillChips.tsx';
import { CASE_PAGE_SIZES, fromCaseFilter, NO_FILTERS, toCaseFilter, useCaseQueueParams, type CaseSortField } from './useCaseQueueParams.ts';
import { useSharedQueueCounts } from './useQueueCounts.ts';
import { BulkBar } from './workbench/BulkBar.tsx';
import { ExportButtons } from './workbench/ExportButtons.tsx';
import { SavedViewsMenu } from './workbench/SavedViewsMenu.tsx';
import { Kbd, ShortcutsDialog } from './workbench/ShortcutsDialog.tsx';
import { useWorkbenchKeys } from './workbench/useWorkbenchKeys.ts';
import { QueueViewControls } from './workbench/QueueViewControls.tsx';
import { useQueueView } from './workbench/useQueueView.ts';

/** The keyboard cursor's row id, read by each grid row (rows are memoised; context reaches them). */
const CurrentRowContext = createContext<string | null>(null);

/** Each row carries its case reference so tests and support staff can find it in the DOM. */
function CaseGridRow(props: GridRowProps) {
  const row = props.row as CaseSummary;
  const current = useContext(CurrentRowContext) === row.id;
  return (
    <GridRow
      {...props}
      data-testid={`case-row-${row.reference}`}
      data-case-reference={row.reference}
      data-case-state={row.state}
      data-current={current ? 'true' : undefined}
    />
  );
}

interface Notice {
  severity: AlertColor;
  text: string;
  action?: { label: string; onClick: () => void };
}

const SORT_WORDS: Record<CaseSortField, [string, string]> = {
  urgency: ['most urgent first (overdue, then soonest due)', 'least urgent first'],
  createdAt: ['newest first', 'oldest first'],
  updatedAt: ['recently updated first', 'least recently updated first'],
  riskScore: ['highest risk first', 'lowest risk first'],
  amountKes: ['largest amount first', 'smallest amount first'],
  slaDueAt: ['SLA due last first', 'SLA due soonest first'],
  reference: ['reference Z–A', 'reference A–Z'],
};

function slaMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 1440) return minutes % 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes / 60}h`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.round((minutes % 1440) / 60);
  return hours ? `${days}d ${hours}h` : `${days}d`;
}

/** "SLA  Critical 1h · High 4h · Medium 1d · Low 2d" for the selected queue. */
function QueueSlaSummary({ sla }: { sla: QueueSla }) {
  const theme = useTheme();
  const levels = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
  return (
    <Box component="span" data-testid="queue-sla" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap' }}>
      <Box component="span" sx={{ fontWeight: 600, color: 'text.secondary' }}>
        SLA
      </Box>
      {levels.map((level) => (
        <Box component="span" key={level} sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}>
          <Box component="span" sx={{ width: 7, height: 7, borderRadius: '50%', bgcolor: theme.palette.risk[level] }} />
          {level.charAt(0) + level.slice(1).toLowerCase()}
          <Box component="span" sx={{ fontWeight: 650, color: 'text.primary', fontVariantNumeric: 'tabular-nums' }}>
            {slaMinutes(sla[level])}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

function CountLine({ parts }: { parts: { text: string; danger?: boolean }[] }) {
  return (
    <>
      {parts.map((part, i) => (
        <Box component="span" key={part.text} sx={part.danger ? { color: 'error.main', fontWeight: 600 } : undefined}>
          {i > 0 && ' · '}
          {part.text}
        </Box>
      ))}
    </>
  );
}

export function CaseQueuePage() {
  const navigate = useNavigate();
  // The queue's own query travels with an opened case: its next/previous and "back" follow this view.
  const queueSearch = useLocation().search.replace(/^\?/, '');
  const theme = useTheme();
  const me = useSession()?.user;
  const canWork = useCan('case:work');
  const canDecide = useCan('case:decide');
  const canSupervise = useCan('case:supervise');
  const counts = useSharedQueueCounts();
  const [params, setParams, filtered] = useCaseQueueParams();
  const flash = useRowFlash();
  const apiRef = useGridApiRef();

  // A dashboard's drill-down filters (issue 15) apply on top of the queue's own.
  const { drill, chips: drillChips } = useCaseDrill();
  const filter = useMemo(() => ({ ...toCaseFilter(params), ...drill }), [params, drill]);
  const key = JSON.stringify({ ...filter, page: params.page, pageSize: params.pageSize });
  const fetcher = useCallback((signal: AbortSignal) => fetchCases(JSON.parse(key) as Parameters<typeof fetchCases>[0], signal), [key]);
  const { data, error, loading, fetching, refetch } = useApiQuery(`cases:${key}`, fetcher);
  const rows = useMemo(() => data?.items ?? [], [data]);

  const queuesQuery = useApiQuery('case-queues', fetchQueues);
  useLiveRefresh(['queue.changed'], () => queuesQuery.refetch({ silent: true }), { debounceMs: 300 });
  const queue: CaseQueue | undefined = params.queueId ? queuesQuery.data?.find((q) => q.id === params.queueId) : undefined;
  const queueCounts = params.queueId ? counts?.queues.find((q) => q.queueId === params.queueId) : undefined;

  const assigneesFetcher = useCallback((signal: AbortSignal) => (canSupervise ? fetchAssignees(signal) : Promise.resolve(null)), [canSupervise]);
  const assignees = useApiQuery(`assignees:${canSupervise}`, assigneesFetcher).data ?? null;

  // Live: when a case is opened or changed, refetch the page we are on, and highlight that row.
  useLiveRefresh(['case.opened', 'case.updated'], () => refetch({ silent: true }), { debounceMs: 150 });
  useLiveEvent('case.opened', (summary) => flash.mark(summary.id));
  useLiveEvent('case.updated', (summary) => flash.mark(summary.id));

  // --- The keyboard cursor ("current row") and the selection, both kept by id across refetches.
  const [currentId, setCurrentId] = useState<string | null>(null);
  const lastIndex = useRef(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    const ids = new Set(rows.map((r) => r.id));
    // A case that left the page (closed, re-routed, next page) leaves the selection too.
    setSelected((current) => {
      const kept = [...current].filter((id) => ids.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
    setCurrentId((current) => {
      if (current === null || ids.has(current)) return current;
      // The current case went away: stay at the same place in the list.
      return rows[Math.min(lastIndex.current, rows.length - 1)]?.id ?? null;
    });
  }, [rows]);

  useEffect(() => {
    const index = rows.findIndex((r) => r.id === currentId);
    if (index >= 0) lastIndex.current = index;
  }, [rows, currentId]);

  // The grid's own focus (click on a checkbox, arrow keys inside the grid) moves the cursor too.
  useEffect(() => apiRef.current?.subscribeEvent('cellFocusIn', (cell) => setCurrentId(String(cell.id))), [apiRef]);

  const currentRow = rows.find((r) => r.id === currentId) ?? null;

  const moveCursor = (delta: 1 | -1) => {
    if (rows.length === 0) return;
    const index = rows.findIndex((r) => r.id === currentId);
    const next = index < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, index + delta));
    const row = rows[next];
    if (!row) return;
    setCurrentId(row.id);
    const api = apiRef.current;
    if (!api) return;
    api.scrollToIndexes({ rowIndex: next });
    // Keep the grid's focused cell on the cursor, so Enter and Space inside the grid act on it.
    const focused = api.state.focus.cell;
    if (focused && document.activeElement?.closest('.MuiDataGrid-root')) api.setCellFocus(row.id, focused.field);
  };

  const toggleSelected = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const selectionModel = useMemo<GridRowSelectionModel>(() => ({ type: 'include', ids: new Set(selected) }), [selected]);
  const onSelectionChange = (model: GridRowSelectionModel) => {
    // "Select all" on the page may come back as an exclusion list: resolve it against the page.
    const ids = model.type === 'include' ? [...model.ids].map(String) : rows.map((r) => r.id).filter((id) => !model.ids.has(id));
    setSelected(new Set(ids));
  };

  // --- Notices, claim-next and decisions.
  const [notice, setNotice] = useState<Notice | null>(null);
  const [claiming, setClaiming] = useState(false);
  const [decision, setDecision] = useState<{ action: CaseAction; summary: CaseSummary } | null>(null);
  const [preparing, setPreparing] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);

  const claimNext = async () => {
    if (claiming) return;
    setClaiming(true);
    try {
      const claimed = await claimNextCase(params.queueId ?? undefined);
      navigate(caseHref(claimed.id, queueSearch));
    } catch (caught) {
      const e = toApiError(caught);
      setNotice(
        e.status === 404
          ? {
              severity: 'info',
              text: queue ? `Nothing left to claim in ${queue.name} — every case there has an owner.` : 'Nothing left to claim — every open case has an owner.',
            }
          : { severity: 'error', text: `Could not claim a case — ${e.message}` },
      );
    } finally {
      setClaiming(false);
    }
  };

  /** Opens the decision dialog on the current row, claiming the case first when nobody owns it. */
  const decide = async (action: CaseAction) => {
    const row = currentRow;
    if (!row) {
      setNotice({ severity: 'info', text: 'Pick a case first: j and k move through the queue.' });
      return;
    }
    if (preparing) return;
    const command = action === 'APPROVE' ? 'approve' : action === 'BLOCK' ? 'block' : 'escalate';
    const claimable = row.assigneeId === null || row.state === 'NEW';
    // What the case will be in once claimed; claiming never changes an escalated case's state.
    const stateAfterClaim = row.state === 'NEW' ? 'ASSIGNED' : row.state;
    if (!(CASE_TRANSITIONS[command].from as readonly string[]).includes(claimable ? stateAfterClaim : row.state)) {
      setNotice({
        severity: 'warning',
        text: `${row.reference} is ${CASE_STATE_LABELS[row.state].toLowerCase()}: it cannot be ${action === 'APPROVE' ? 'approved' : action === 'BLOCK' ? 'blocked' : 'escalated'} now.`,
      });
      return;
    }
    if (!claimable && row.assigneeId !== me?.id && !canSupervise) {
      setNotice({ severity: 'warning', text: `${row.reference} belongs to ${row.assigneeName ?? 'a colleague'}. Only they or a supervisor can decide it.` });
      return;
    }
    let summary = row;
    if (claimable) {
      if (!canWork || !CASE_TRANSITIONS.assign.from.includes(row.state)) {
        setNotice({ severity: 'warning', text: `${row.reference} is not assigned, and you cannot claim it.` });
        return;
      }
      setPreparing(true);
      try {
        summary = await claimCase(row.id, row.version);
        flash.mark(summary.id);
        refetch({ silent: true });
      } catch (caught) {
        const e = toApiError(caught);
        setNotice({
          severity: 'error',
          text:
            e.status === 409
              ? `${row.reference} changed or was taken meanwhile — the queue has been refreshed.`
              : `Could not claim ${row.reference} — ${e.message}`,
        });
        refetch({ silent: true });
        return;
      } finally {
        setPreparing(false);
      }
    }
    setDecision({ action, summary });
  };

  const open = (row: CaseSummary | null) => {
    if (row) navigate(caseHref(row.id, queueSearch));
  };

  useWorkbenchKeys(
    {
      move: moveCursor,
      open: () => open(currentRow),
      toggleSelect: () => {
        if (currentRow && canWork) toggleSelected(currentRow.id);
      },
      refresh: () => refetch(),
      focusSearch: () => {
        const input = document.querySelector<HTMLInputElement>('[data-testid="case-search"]');
        input?.focus();
        input?.select();
      },
      showHelp: () => setHelpOpen(true),
      claimNext: canWork ? () => void claimNext() : undefined,
      decide: canDecide ? (action) => void decide(action) : undefined,
    },
    { enabled: !helpOpen && !decision && !preparing },
  );

  const sortModel = useMemo<GridSortModel>(
    () => (params.sort === 'reference' || params.sort === 'urgency' ? [] : [{ field: params.sort, sort: params.direction }]),
    [params.sort, params.direction],
  );
  const showTags = rows.some((r) => r.tags.length > 0);
  const [layout, setLayout, resetLayout] = useQueueView(me?.id);
  const baseColumns = useMemo(
    () => caseColumns({ showQueue: !params.queueId, showTags, selectable: canWork, compact: layout.density === 'compact' }),
    [params.queueId, showTags, canWork, layout.density],
  );
  // The user's widths (dragged column edges) replace the defaults; a resized flex column stops flexing.
  const columns = useMemo(
    () => baseColumns.map((c) => (layout.widths[c.field] ? { ...c, width: layout.widths[c.field], flex: undefined } : c)),
    [baseColumns, layout.widths],
  );
  const choosable = baseColumns
    .filter((c) => c.field !== 'createdAt' && c.field !== '__check__')
    .map((c) => ({ field: c.field, label: String(c.headerName ?? c.field) }));
  const columnVisibilityModel = useMemo(() => Object.fromEntries(layout.hidden.map((f) => [f, false])), [layout.hidden]);

  const title =
    queue?.name ??
    (params.queueId ? 'Queue' : params.assignee === 'me' ? 'My cases' : params.state === 'AWAITING_APPROVAL' ? 'Awaiting approval' : 'Case queue');
  // The navigation's own views ("My cases", "Awaiting approval") say so when empty, not "no match".
  const otherFilters = (keep: keyof typeof NO_FILTERS) =>
    (Object.keys(NO_FILTERS) as (keyof typeof NO_FILTERS)[]).some((k) => k !== keep && k !== 'queueId' && params[k] !== NO_FILTERS[k]);
  const view =
    params.assignee === 'me' && !otherFilters('assignee') ? 'mine' : params.state === 'AWAITING_APPROVAL' && !otherFilters('state') ? 'approval' : null;
  const [emptyTitle, emptyBody] =
    view === 'mine'
      ? ['No cases assigned to you', canWork ? 'Press c or “Claim next” to take the most urgent unassigned case.' : 'Cases you claim or are given appear here.']
      : view === 'approval'
        ? ['Nothing is waiting for a second approver', 'Blocks above the four-eyes limit and closes of critical cases appear here for approval.']
        : filtered
          ? ['No cases match these filters', 'Try another state, risk level or SLA, or clear the search.']
          : params.queueId
            ? ['This queue is clear', 'New cases routed here appear the moment the scoring engine flags a payment.']
            : ['No open cases — the queue is clear', 'New cases appear here the moment the scoring engine flags a payment.'];
  const showClear = filtered && view === null;

  const subtitle = queueCounts ? (
    <span data-testid="queue-summary">
      <CountLine
        parts={[
          { text: `${formatCount(queueCounts.open)} open` },
          { text: `${formatCount(queueCounts.unassigned)} unassigned` },
          ...(canWork ? [{ text: `${formatCount(queueCounts.mine)} yours` }] : []),
          ...(queueCounts.overdue > 0 ? [{ text: `${formatCount(queueCounts.overdue)} overdue`, danger: true }] : []),
        ]}
      />
      {queue?.kind === 'ESCALATION' && ' · escalation queue'}
    </span>
  ) : counts ? (
    <span data-testid="queue-summary">
      <CountLine
        parts={[
          { text: `${formatCount(counts.open)} open` },
          { text: `${formatCount(counts.unassigned)} unassigned` },
          ...(canWork ? [{ text: `${formatCount(counts.mine)} assigned to you` }] : []),
          ...(counts.overdue > 0 ? [{ text: `${formatCount(counts.overdue)} overdue`, danger: true }] : []),
        ]}
      />
    </span>
  ) : (
    'Payments the scoring engine held for review'
  );

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%', px: 2.5, pt: 2.5, pb: 2 }} data-testid="case-workbench">
      <PageHeader
        title={<span data-testid="queue-title">{title}</span>}
        subtitle={subtitle}
        actions={
          <>
            <SavedViewsMenu current={filter} onApply={(saved) => setParams(fromCaseFilter(saved))} />
            <ExportButtons filter={filter} onNotice={(n) => setNotice({ severity: n.ok ? 'success' : 'error', text: n.text })} />
            <RefreshButton onClick={() => refetch()} disabled={fetching} label="Refresh queue" />
            {canWork && (
              <Tooltip title={queue ? `Take the most urgent unassigned case in ${queue.name} (c)` : 'Take the most urgent unassigned case (c)'}>
                <span>
                  <Button
                    variant="contained"
                    size="small"
                    onClick={() => void claimNext()}
                    disabled={claiming}
                    startIcon={claiming ? <CircularProgress size={14} color="inherit" /> : <PlayArrowRounded />}
                    data-testid="claim-next"
                    sx={{ px: 1.75 }}
                  >
                    Claim next
                  </Button>
                </span>
              </Tooltip>
            )}
          </>
        }
      >
        {queue && (
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.5 }}>
            <QueueSlaSummary sla={queue.sla} />
            {queue.description && (
              <Box component="span" sx={{ ml: 1.5, color: 'text.disabled' }}>
                {queue.description}
              </Box>
            )}
          </Typography>
        )}
      </PageHeader>
      {drillChips}
      <CaseQueueToolbar params={params} onChange={setParams} filtered={filtered} canWork={canWork} assignees={assignees} />
      <Box sx={{ minHeight: 40, mb: 1, display: 'flex', flexDirection: 'column', justifyContent: 'center' }}>
        {selected.size > 0 && canWork ? (
          <BulkBar
            cases={rows.filter((r) => selected.has(r.id))}
            canSupervise={canSupervise}
            canDecide={canDecide}
            onClear={() => setSelected(new Set())}
            onDone={(text, result) => {
              setNotice({ severity: result.awaitingApproval.length > 0 ? 'info' : 'success', text });
              for (const c of result.updated) flash.mark(c.id);
              setSelected(new Set());
              refetch({ silent: true });
            }}
          />
        ) : (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="case-count">
              {data ? (
                <>
                  <Box component="span" sx={{ color: 'text.primary', fontWeight: 600 }}>
                    {formatCount(data.total)} {data.total === 1 ? 'case' : 'cases'}
                  </Box>
                  {' · '}
                  {SORT_WORDS[params.sort][params.direction === 'desc' ? 0 : 1]}
                </>
              ) : (
                ' '
              )}
            </Typography>
            <Box sx={{ flex: 1 }} />
            <QueueViewControls view={layout} onChange={setLayout} onReset={resetLayout} columns={choosable} />
            <Button
              size="small"
              color="inherit"
              onClick={() => setHelpOpen(true)}
              startIcon={<KeyboardOutlined fontSize="small" />}
              sx={{ color: 'text.secondary', fontWeight: 500 }}
              data-testid="shortcuts-button"
            >
              <Box component="span" sx={{ mr: 0.75 }}>
                Shortcuts
              </Box>
              <Kbd>?</Kbd>
            </Button>
          </Box>
        )}
      </Box>
      <CurrentRowContext.Provider value={currentId}>
        <ServerGrid<CaseSummary>
          apiRef={apiRef}
          error={error}
          errorTitle="Could not load the queue"
          onRetry={() => refetch()}
          rows={rows}
          columns={columns}
          getRowId={(row) => row.id}
          rowCount={data?.total ?? 0}
          loading={loading || (fetching && !data)}
          paginationModel={{ page: params.page, pageSize: params.pageSize }}
          onPaginationModelChange={(model) => setParams({ page: model.page, pageSize: model.pageSize })}
          pageSizeOptions={CASE_PAGE_SIZES}
          sortModel={sortModel}
          sortingOrder={['desc', 'asc']}
          onSortModelChange={(model) => {
            const first = model[0];
            if (first && SORTABLE_CASE_FIELDS.has(first.field) && first.sort) {
              setParams({ sort: first.field as CaseSortField, direction: first.sort });
            } else {
              setParams({ sort: 'urgency', direction: 'desc' });
            }
          }}
          checkboxSelection={canWork}
          density={layout.density}
          // Compact: 32 px rows (the grid scales the base height by its density factor, 0.7).
          rowHeight={layout.density === 'compact' ? 46 : undefined}
          columnVisibilityModel={columnVisibilityModel}
          onColumnVisibilityModelChange={(model) =>
            setLayout({
              hidden: Object.entries(model)
                .filter(([, visible]) => !visible)
                .map(([field]) => field),
            })
          }
          onColumnWidthChange={({ colDef, width }) => setLayout({ widths: { ...layout.widths, [colDef.field]: Math.round(width) } })}
          hideFooterSelectedRowCount
          rowSelectionModel={selectionModel}
          onRowSelectionModelChange={onSelectionChange}
          getRowClassName={({ row }) =>
            [flash.isFlashing(row.id) ? 'row-flash' : '', row.state === 'CLOSED' ? 'row-closed' : '', row.id === currentId ? 'row-current' : ''].join(' ')
          }
          onOpenRow={(row) => open(row)}
          slots={{ row: CaseGridRow }}
          sx={{
            // Eleven columns at 1440 px: a little less padding keeps them all on screen.
            '& .MuiDataGrid-cell:not(.MuiDataGrid-cellCheckbox), & .MuiDataGrid-columnHeader:not(.MuiDataGrid-columnHeaderCheckbox)': { px: '8px' },
            '& .MuiDataGrid-row.row-current': {
              bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.16 : 0.075),
              boxShadow: `inset 3px 0 0 ${theme.palette.primary.main}`,
            },
            '& .MuiDataGrid-row.row-current:hover': { bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.2 : 0.1) },
          }}
          empty={{
            icon: showClear ? <ManageSearchOutlined /> : <TaskAltOutlined />,
            title: emptyTitle,
            body: emptyBody,
            action: showClear ? (
              <Button
                size="small"
                onClick={() =>
                  setParams(fromCaseFilter({ state: 'OPEN', sort: params.sort, direction: params.direction, queueId: params.queueId ?? undefined }))
                }
              >
                Clear filters
              </Button>
            ) : undefined,
          }}
          aria-label="Case queue"
        />
      </CurrentRowContext.Provider>
      <Typography variant="caption" sx={{ color: 'text.disabled', mt: 1 }}>
        Times in East Africa Time (EAT). j / k move, Enter opens{canWork ? ', x selects' : ''} — press ? for every shortcut.
      </Typography>

      {decision && (
        <DecisionDialog
          action={decision.action}
          summary={decision.summary}
          onClose={() => setDecision(null)}
          onDecided={(updated) => {
            setDecision(null);
            flash.mark(updated.id);
            refetch({ silent: true });
            const verb = decision.action === 'APPROVE' ? 'Approved' : decision.action === 'BLOCK' ? 'Blocked' : 'Escalated';
            setNotice(
              updated.state === 'AWAITING_APPROVAL'
                ? {
                    severity: 'info',
                    text: `${updated.reference} now waits for a second approver${updated.approvalRequest ? ` — ${updated.approvalRequest.why}` : ''}.`,
                  }
                : {
                    severity: 'success',
                    text: `${verb} ${updated.reference}.`,
                    action: { label: 'Open', onClick: () => navigate(caseHref(updated.id, queueSearch)) },
                  },
            );
          }}
          onConflict={(conflict) => {
            setDecision(null);
            refetch({ silent: true });
            setNotice({
              severity: 'warning',
              text: `${decision.summary.reference}: ${conflict.message} — the queue has been refreshed; check the case and try again.`,
            });
          }}
        />
      )}
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} available={{ select: canWork, claimNext: canWork, decide: canDecide }} />
      <Snackbar
        open={!!notice}
        autoHideDuration={notice?.severity === 'error' ? 10_000 : 6000}
        onClose={(_, reason) => reason !== 'clickaway' && setNotice(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        {notice ? (
          <Alert
            severity={notice.severity}
            variant="filled"
            onClose={() => setNotice(null)}
            data-testid="workbench-notice"
            action={
              notice.action ? (
                <Button color="inherit" size="small" onClick={notice.action.onClick}>
                  {notice.action.label}
                </Button>
              ) : undefined
            }
            sx={{ alignItems: 'center', maxWidth: 720 }}
          >
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Box>
  );
}
