// Queues & routing: the case queues in the order routing tries them, their SLAs and live case
// counts, a routing preview and the four-eyes limits. Risk managers (case:configure) create, edit,
// switch on/off and delete queues; everyone else with case:read sees the same screen read-only.
import { useCallback, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Snackbar from '@mui/material/Snackbar';
import Switch from '@mui/material/Switch';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import AltRouteOutlined from '@mui/icons-material/AltRouteOutlined';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import LockOutlined from '@mui/icons-material/LockOutlined';
import VisibilityOutlined from '@mui/icons-material/VisibilityOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { QueueCounts } from '../../../shared/src/cases.ts';
import type { CaseQueue } from '../../../shared/src/queues.ts';
import { useCan } from '../api/session.ts';
import { screenById } from '../app/screens.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { deleteQueue, fetchQueueCounts, fetchQueues, updateQueue } from '../cases/casesApi.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatCount } from '../lib/format.ts';
import { PageHeader, RefreshButton } from '../ui/layout.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { Mono, UpdatedCell } from '../ui/values.tsx';
import { FourEyesCard } from './FourEyesCard.tsx';
import { DefaultBadge, InactiveChip, QueueKindChip, RoutingText, SlaTable } from './queueChips.tsx';
import { QueueFormDialog, type QueueDialogMode } from './QueueFormDialog.tsx';
import { routingOrder, toFormValue } from './queueModel.ts';
import { RoutingPreview } from './RoutingPreview.tsx';

type QueueCount = QueueCounts['queues'][number];

function QueueGridRow(props: GridRowProps) {
  const row = props.row as CaseQueue;
  return (
    <GridRow {...props} data-testid={`queue-row-${row.name}`} data-queue-id={row.id} data-active={String(row.active)} data-default={String(row.isDefault)} />
  );
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Where the queue stands in routing: tried 1st, 2nd…, the fallback, skipped, or escalations only. */
function routingRole(queue: CaseQueue, tried: readonly CaseQueue[]): string {
  if (queue.kind === 'ESCALATION') return 'escalations';
  if (queue.isDefault) return 'fallback';
  if (!queue.active) return 'skipped';
  return `tried ${ordinal(tried.indexOf(queue) + 1)}`;
}

const COUNT_LABELS = { open: 'open', unassigned: 'unassigned', overdue: 'overdue' } as const;

/** Open, unassigned and overdue cases of a queue: three small figures with their names under them. */
function CountsCell({ count }: { count: QueueCount | undefined }) {
  if (!count) {
    return (
      <Typography variant="body2" sx={{ color: 'text.disabled' }}>
        —
      </Typography>
    );
  }
  const figure = (key: keyof typeof COUNT_LABELS, value: number, colour: string, strong: boolean) => (
    <Box sx={{ textAlign: 'right', lineHeight: 1.2 }}>
      <Mono sx={{ display: 'block', fontWeight: strong ? 650 : 500, color: colour }} data-count={key}>
        {formatCount(value)}
      </Mono>
      <Typography variant="caption" sx={{ color: 'text.secondary', fontSize: 10.5 }}>
        {COUNT_LABELS[key]}
      </Typography>
    </Box>
  );
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: '0.8fr 1.25fr 1fr', gap: 1.25, width: '100%' }} data-testid="queue-counts">
      {figure('open', count.open, count.open > 0 ? 'text.primary' : 'text.disabled', true)}
      {figure('unassigned', count.unassigned, count.unassigned > 0 ? 'text.primary' : 'text.disabled', false)}
      {figure('overdue', count.overdue, count.overdue > 0 ? 'error.main' : 'text.disabled', count.overdue > 0)}
    </Box>
  );
}

type RowAction = 'view' | 'edit' | 'delete' | 'active';

function columns(
  canConfigure: boolean,
  tried: readonly CaseQueue[],
  countOf: (id: string) => QueueCount | undefined,
  act: (row: CaseQueue, action: RowAction) => void,
): GridColDef<CaseQueue>[] {
  return [
    {
      field: 'name',
      headerName: 'Queue',
      flex: 1,
      minWidth: 220,
      renderCell: ({ row }) => (
        <Box sx={{ minWidth: 0, py: 0.25 }}>
          <Typography variant="body2" sx={{ fontWeight: 650, color: row.active ? 'text.primary' : 'text.secondary' }} noWrap title={row.name}>
            {row.name}
          </Typography>
          {row.description && (
            <Typography
              variant="caption"
              component="div"
              sx={{
                color: 'text.secondary',
                whiteSpace: 'normal',
                lineHeight: 1.35,
                display: '-webkit-box',
                WebkitLineClamp: 2,
                WebkitBoxOrient: 'vertical',
                overflow: 'hidden',
              }}
              title={row.description}
            >
              {row.description}
            </Typography>
          )}
          <Box sx={{ display: 'flex', gap: 0.5, mt: 0.5, flexWrap: 'wrap' }}>
            <QueueKindChip kind={row.kind} />
            {row.isDefault && <DefaultBadge />}
            {!row.active && <InactiveChip />}
          </Box>
        </Box>
      ),
    },
    {
      field: 'priority',
      headerName: 'Priority',
      width: 92,
      align: 'right',
      headerAlign: 'right',
      renderCell: ({ row }) => (
        <Box sx={{ textAlign: 'right', lineHeight: 1.3 }}>
          <Mono sx={{ fontWeight: 650 }}>{row.priority}</Mono>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
            {routingRole(row, tried)}
          </Typography>
        </Box>
      ),
    },
    {
      field: 'routing',
      headerName: 'Routing · takes new cases that are',
      flex: 1.5,
      minWidth: 260,
      renderCell: ({ row }) =>
        row.kind === 'ESCALATION' ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', whiteSpace: 'normal' }}>
            Escalated cases (routing not used)
          </Typography>
        ) : row.isDefault ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', whiteSpace: 'normal' }}>
            Every case no other queue takes
          </Typography>
        ) : (
          <RoutingText routing={row.routing} dense />
        ),
    },
    {
      field: 'sla',
      headerName: 'SLA to decide',
      width: 142,
      renderCell: ({ row }) => <SlaTable sla={row.sla} />,
    },
    {
      field: 'counts',
      headerName: 'Open cases',
      width: 178,
      headerAlign: 'right',
      renderCell: ({ row }) => <CountsCell count={countOf(row.id)} />,
    },
    {
      field: 'active',
      headerName: 'Active',
      width: 76,
      align: 'center',
      headerAlign: 'center',
      renderCell: ({ row }) => {
        const locked = row.isDefault || !canConfigure;
        const title = row.isDefault
          ? 'The default queue is always active'
          : !canConfigure
            ? row.active
              ? 'Active'
              : 'Inactive'
            : row.active
              ? 'Deactivate: routing stops sending cases here'
              : 'Activate: routing sends matching cases here';
        return (
          <Tooltip title={title}>
            <span>
              <Switch
                size="small"
                checked={row.active}
                disabled={locked}
                onClick={(e) => e.stopPropagation()}
                onChange={() => act(row, 'active')}
                slotProps={{ input: { 'aria-label': `${row.name} active`, ...{ 'data-testid': `queue-active-${row.name}` } } }}
              />
            </span>
          </Tooltip>
        );
      },
    },
    {
      field: 'updatedAt',
      headerName: 'Updated',
      width: 124,
      renderCell: ({ row }) => <UpdatedCell at={row.updatedAt} by={row.updatedBy} />,
    },
    {
      field: 'actions',
      headerName: '',
      width: canConfigure ? 88 : 52,
      sortable: false,
      align: 'right',
      renderCell: ({ row }) => {
        const button = (action: RowAction, title: string, icon: ReactNode, testId: string, disabledWhy?: string) => (
          <Tooltip title={disabledWhy ?? title}>
            <span>
              <IconButton
                size="small"
                aria-label={`${title} ${row.name}`}
                data-testid={testId}
                disabled={!!disabledWhy}
                onClick={(e) => {
                  e.stopPropagation();
                  act(row, action);
                }}
              >
                {icon}
              </IconButton>
            </span>
          </Tooltip>
        );
        const open = countOf(row.id)?.open ?? 0;
        const deleteBlocked = row.isDefault
          ? 'The default queue cannot be deleted: cases no other queue takes land there'
          : open > 0
            ? `${formatCount(open)} open ${open === 1 ? 'case is' : 'cases are'} still in this queue: close or move them first`
            : undefined;
        return (
          <Box sx={{ display: 'flex', gap: 0.25 }}>
            {canConfigure ? (
              <>
                {button('edit', 'Edit', <EditOutlined fontSize="small" />, `queue-edit-${row.name}`)}
                {button('delete', 'Delete', <DeleteOutline fontSize="small" />, `queue-delete-${row.name}`, deleteBlocked)}
              </>
            ) : (
              button('view', 'View details', <VisibilityOutlined fontSize="small" />, `queue-view-${row.name}`)
            )}
          </Box>
        );
      },
    },
  ];
}

const EDIT_PERMISSION = screenById('queues').editPermission ?? 'case:configure';

export function QueuesPage() {
  const canConfigure = useCan(EDIT_PERMISSION);

  const queuesFetcher = useCallback((signal: AbortSignal) => fetchQueues(signal), []);
  const queues = useApiQuery('case-queues', queuesFetcher);
  // Counts of its own (not the shell's): deleting or re-routing a queue moves counts the case
  // events alone would not announce.
  const countsFetcher = useCallback((signal: AbortSignal) => fetchQueueCounts(signal), []);
  const counts = useApiQuery('case-queue-counts', countsFetcher);
  useLiveRefresh(['queue.changed'], () => {
    queues.refetch({ silent: true });
    counts.refetch({ silent: true });
  });
  useLiveRefresh(['case.opened', 'case.updated'], () => counts.refetch({ silent: true }), { debounceMs: 400, minIntervalMs: 2000 });

  const [dialog, setDialog] = useState<QueueDialogMode | null>(null);
  const [confirm, setConfirm] = useState<{ row: CaseQueue; action: 'delete' | 'active' } | null>(null);
  const [notice, setNotice] = useState<{ text: string; severity: 'success' | 'error' } | null>(null);

  const refreshAll = () => {
    queues.refetch({ silent: true });
    counts.refetch({ silent: true });
  };

  const list = queues.data ?? [];
  const rows = routingOrder(list);
  const tried = rows.filter((q) => q.active && q.kind === 'STANDARD' && !q.isDefault);
  const countById = new Map((counts.data?.queues ?? []).map((c) => [c.queueId, c]));
  const countOf = (id: string) =>
    counts.data ? (countById.get(id) ?? { queueId: id, name: '', kind: 'STANDARD', open: 0, unassigned: 0, mine: 0, overdue: 0 }) : undefined;

  const act = (row: CaseQueue, action: RowAction) => {
    if (action === 'view') setDialog({ kind: 'view', queue: row });
    else if (action === 'edit') setDialog({ kind: 'edit', queue: row });
    else setConfirm({ row, action });
  };

  const totals = counts.data;
  const subtitle = (
    <>
      Where new cases go, how long analysts have to decide them, and which decisions need a second approver.
      {totals && (
        <Box component="span" sx={{ display: 'block', mt: 0.25 }} data-testid="queues-summary">
          {formatCount(list.length)} {list.length === 1 ? 'queue' : 'queues'} · {formatCount(totals.open)} open cases · {formatCount(totals.unassigned)}{' '}
          unassigned
          {totals.overdue > 0 && (
            <Box component="span" sx={{ color: 'error.main', fontWeight: 600 }}>
              {' '}
              · {formatCount(totals.overdue)} overdue
            </Box>
          )}
        </Box>
      )}
    </>
  );

  const confirming = confirm?.row;
  const deactivating = confirm?.action === 'active' && confirming?.active;

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto' }} data-testid="queues-page">
      <PageHeader
        title="Queues & routing"
        subtitle={subtitle}
        actions={
          <>
            <RefreshButton onClick={refreshAll} disabled={queues.fetching} label="Refresh queues" />
            {canConfigure ? (
              <Button variant="contained" startIcon={<AddIcon fontSize="small" />} onClick={() => setDialog({ kind: 'create' })} data-testid="queue-new">
                New queue
              </Button>
            ) : (
              <Tooltip title="Only risk managers change queues, routing and four-eyes limits">
                <Chip
                  icon={<LockOutlined sx={{ fontSize: 16 }} />}
                  label="Read only"
                  variant="outlined"
                  data-testid="queues-read-only"
                  sx={{ fontWeight: 600 }}
                />
              </Tooltip>
            )}
          </>
        }
      />

      <Box sx={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
        <ServerGrid<CaseQueue>
          error={queues.error}
          errorTitle="Could not load the case queues"
          onRetry={() => queues.refetch()}
          rows={rows}
          columns={columns(canConfigure, tried, countOf, act)}
          getRowId={(row) => row.id}
          rowCount={rows.length}
          loading={queues.loading && !queues.data}
          hideFooter
          disableColumnSorting
          clickable
          onOpenRow={(row) => act(row, canConfigure ? 'edit' : 'view')}
          getRowHeight={() => 'auto'}
          getRowClassName={({ row }) => (row.active ? '' : 'row-closed')}
          slots={{ row: QueueGridRow }}
          empty={{
            icon: <AltRouteOutlined />,
            title: 'No queues yet',
            body: 'Every case goes to the default queue until a queue with a routing rule is added.',
          }}
          aria-label="Case queues"
          sx={{ '& .MuiDataGrid-cell': { py: 1.25, display: 'flex', alignItems: 'center' }, '& .MuiDataGrid-overlayWrapper': { minHeight: 200 } }}
        />
      </Box>
      <Typography variant="caption" component="div" sx={{ color: 'text.disabled', mt: 1 }}>
        Listed in the order routing tries them: active standard queues by priority (lowest first), then the default queue. Counts are open cases, live.
      </Typography>

      <Box sx={{ display: 'grid', gap: 2, mt: 2.5, gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1.75fr) minmax(320px, 1fr)' }, alignItems: 'start' }}>
        <RoutingPreview queues={list} />
        <FourEyesCard canConfigure={canConfigure} onSaved={(text) => setNotice({ text, severity: 'success' })} />
      </Box>

      <QueueFormDialog
        mode={dialog}
        queues={list}
        onClose={() => setDialog(null)}
        onSaved={(queue, created) => {
          setNotice({ text: created ? `Queue “${queue.name}” created` : `Queue “${queue.name}” saved`, severity: 'success' });
          refreshAll();
        }}
      />
      <ConfirmDialog
        open={!!confirm}
        testId="queue-confirm"
        confirmTestId="queue-confirm-button"
        title={
          confirm?.action === 'delete'
            ? `Delete the queue “${confirming?.name ?? ''}”?`
            : deactivating
              ? `Deactivate “${confirming?.name ?? ''}”?`
              : `Activate “${confirming?.name ?? ''}”?`
        }
        body={
          confirm?.action === 'delete'
            ? 'Routing stops sending new cases to it at once; its closed cases keep their history. This cannot be undone.'
            : deactivating
              ? 'Routing skips it from now on: new cases it would have taken go to the next matching queue or the default queue. Cases already in it stay.'
              : 'Routing sends matching new cases to it from now on, in its priority order.'
        }
        confirmLabel={confirm?.action === 'delete' ? 'Delete queue' : deactivating ? 'Deactivate' : 'Activate'}
        confirmColor={confirm?.action === 'delete' || deactivating ? 'error' : 'primary'}
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          if (!confirm) return;
          const { row, action } = confirm;
          if (action === 'delete') {
            await deleteQueue(row.id, row.version);
            setNotice({ text: `Queue “${row.name}” deleted`, severity: 'success' });
          } else {
            await updateQueue(row.id, { ...toFormValue(row), active: !row.active, expectedVersion: row.version });
            setNotice({ text: `Queue “${row.name}” ${row.active ? 'deactivated' : 'activated'}`, severity: 'success' });
          }
          refreshAll();
        }}
      />
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        {notice ? (
          <Alert severity={notice.severity} variant="filled" onClose={() => setNotice(null)} data-testid="queue-notice" sx={{ maxWidth: 640 }}>
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Box>
  );
}
