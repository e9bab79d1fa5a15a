import { useCallback, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import type { GridColDef } from '@mui/x-data-grid';
import type { AuditEntry, AuditListQuery } from '../../../shared/src/audit.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount, formatEat, formatEatShort } from '../lib/format.ts';
import { roleLabel } from '../lib/roles.ts';
import { TagChip } from '../ui/chips.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { PageHeader } from '../ui/layout.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { Mono, PersonAvatar } from '../ui/values.tsx';
import { fetchAudit } from './auditApi.ts';
import { AuditEntryDialog } from './AuditEntryDialog.tsx';
import { summariseChanges } from './auditDiff.ts';

const columns: GridColDef<AuditEntry>[] = [
  {
    field: 'occurredAt',
    headerName: 'Time (EAT)',
    width: 130,
    sortable: false,
    renderCell: ({ row }) => (
      <Tooltip title={formatEat(row.occurredAt)}>
        <Typography variant="body2" noWrap>
          {formatEatShort(row.occurredAt)}
        </Typography>
      </Tooltip>
    ),
  },
  {
    field: 'actorName',
    headerName: 'Actor',
    width: 190,
    sortable: false,
    renderCell: ({ row }) => (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
        <PersonAvatar name={row.actorName} />
        <Typography variant="body2" noWrap>
          {row.actorName}
        </Typography>
      </Box>
    ),
  },
  {
    field: 'actorRole',
    headerName: 'Role',
    width: 160,
    sortable: false,
    renderCell: ({ row }) => (
      <Typography variant="body2" sx={{ color: 'text.secondary' }} noWrap>
        {roleLabel(row.actorRole, { short: true })}
      </Typography>
    ),
  },
  {
    field: 'command',
    headerName: 'Command',
    width: 190,
    sortable: false,
    renderCell: ({ row }) => <Mono sx={{ fontWeight: 600, fontSize: 12.5 }}>{row.command}</Mono>,
  },
  {
    field: 'entityType',
    headerName: 'Entity',
    width: 200,
    sortable: false,
    renderCell: ({ row }) => (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
        <TagChip label={row.entityType} />
        <Tooltip title={row.entityId}>
          <Mono variant="caption" sx={{ color: 'text.secondary' }} noWrap>
            {row.entityId.length > 13 ? `${row.entityId.slice(0, 8)}…` : row.entityId}
          </Mono>
        </Tooltip>
      </Box>
    ),
  },
  {
    field: 'change',
    headerName: 'Before → after',
    flex: 1,
    minWidth: 260,
    sortable: false,
    valueGetter: (_value, row) => summariseChanges(row.before, row.after),
    renderCell: ({ value }) => (
      <Mono variant="caption" sx={{ color: 'text.secondary' }} noWrap>
        {String(value)}
      </Mono>
    ),
  },
];

interface Filters {
  command: string;
  entityType: string;
  entityId: string;
}

export function AuditLogPage() {
  const [filters, setFilters] = useState<Filters>({ command: '', entityType: '', entityId: '' });
  const [pagination, setPagination] = useState({ page: 0, pageSize: 50 });
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const filtered = !!(filters.command || filters.entityType || filters.entityId);

  const query: Partial<AuditListQuery> = {
    page: pagination.page,
    pageSize: pagination.pageSize,
    command: filters.command || undefined,
    entityType: filters.entityType || undefined,
    entityId: filters.entityId || undefined,
  };
  const key = JSON.stringify(query);
  const fetcher = useCallback((signal: AbortSignal) => fetchAudit(JSON.parse(key) as Partial<AuditListQuery>, signal), [key]);
  const { data, error, loading, fetching, refetch } = useApiQuery(`audit:${key}`, fetcher);
  // Decisions and assignments write audit entries; show them when the user is on the first page.
  useLiveRefresh(['case.opened', 'case.updated'], () => refetch({ silent: true }), { debounceMs: 400, enabled: pagination.page === 0 });

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPagination((p) => ({ ...p, page: 0 }));
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%', px: 2.5, pt: 2.5, pb: 2 }}>
      <PageHeader
        title="Audit log"
        subtitle={
          data
            ? `${formatCount(data.total)} recorded actions${filtered ? ' matching these filters' : ''} · newest first · read-only`
            : 'Every action taken in the workstation, newest first'
        }
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap', mb: 1.5 }}>
        <SearchField
          value={filters.command}
          onChange={(command) => update({ command })}
          placeholder="Command, e.g. case.decide"
          width={240}
          testId="audit-command"
        />
        <SearchField value={filters.entityType} onChange={(entityType) => update({ entityType })} placeholder="Entity type, e.g. case" width={200} />
        <SearchField value={filters.entityId} onChange={(entityId) => update({ entityId })} placeholder="Entity ID" width={280} testId="audit-entity-id" />
        {filtered && (
          <Button size="small" onClick={() => update({ command: '', entityType: '', entityId: '' })}>
            Clear filters
          </Button>
        )}
      </Box>
      <ServerGrid<AuditEntry>
        error={error}
        errorTitle="Could not load the audit log"
        onRetry={() => refetch()}
        rows={data?.items ?? []}
        columns={columns}
        getRowId={(row) => row.id}
        rowCount={data?.total ?? 0}
        loading={loading || (fetching && !data)}
        paginationModel={pagination}
        onPaginationModelChange={setPagination}
        pageSizeOptions={[25, 50, 100]}
        disableColumnSorting
        rowHeight={44}
        onOpenRow={setSelected}
        empty={{
          icon: <ReceiptLongOutlined />,
          title: filtered ? 'No entries match these filters' : 'No actions recorded yet',
          body: filtered ? 'Check the command or entity ID.' : 'Sign-ins, assignments and decisions are recorded here.',
        }}
        aria-label="Audit log"
      />
      <Typography variant="caption" sx={{ color: 'text.disabled', mt: 1 }}>
        Click an entry (or press Enter) to see the full before and after.
      </Typography>
      <AuditEntryDialog entry={selected} onClose={() => setSelected(null)} />
    </Box>
  );
}
