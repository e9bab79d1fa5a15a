import { useCallback, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
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
import { Mono, PersonAvatar } from '../ui/values.tsx';
import { fetchAudit } from './auditApi.ts';
import { AuditEntryDialog } from './AuditEntryDialog.tsx';
import { summariseChanges } from './auditDiff.ts';
import { AuditFilters, isFiltered, NO_AUDIT_FILTERS, rangeErrors, type AuditFilterValues } from './AuditFilters.tsx';

/** The record a row is about, by its reference (a case, or a payment and its case), linked; the id on hover. */
function SubjectCell({ row, onFilter }: { row: AuditEntry; onFilter: (reference: string) => void }) {
  const subject = row.subject;
  const idHint = row.entityId.length > 13 ? `${row.entityId.slice(0, 8)}…` : row.entityId;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
      <TagChip label={row.entityType} />
      {subject ? (
        <Tooltip title={`${subject.kind} · ID ${row.entityId}${subject.caseId ? ' — open the case' : ' — show its audit trail'}`}>
          {subject.caseId ? (
            <Link
              component={RouterLink}
              to={`/cases/${subject.caseId}`}
              onClick={(e) => e.stopPropagation()}
              underline="hover"
              data-testid="audit-subject"
              sx={{ fontFamily: 'inherit', minWidth: 0 }}
            >
              <Mono variant="caption" sx={{ fontWeight: 600 }} noWrap>
                {subject.reference}
              </Mono>
            </Link>
          ) : (
            <Link
              component="button"
              type="button"
              onClick={(e) => {
                e.stopPropagation();
                onFilter(subject.reference);
              }}
              underline="hover"
              data-testid="audit-subject"
              sx={{ minWidth: 0 }}
            >
              <Mono variant="caption" sx={{ fontWeight: 600 }} noWrap>
                {subject.reference}
              </Mono>
            </Link>
          )}
        </Tooltip>
      ) : (
        <Tooltip title={row.entityId}>
          <Mono variant="caption" sx={{ color: 'text.secondary' }} noWrap>
            {idHint}
          </Mono>
        </Tooltip>
      )}
    </Box>
  );
}

function auditColumns(onFilter: (reference: string) => void): GridColDef<AuditEntry>[] {
  return [
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
      headerName: 'Record',
      width: 250,
      sortable: false,
      renderCell: ({ row }) => <SubjectCell row={row} onFilter={onFilter} />,
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
}

export function AuditLogPage() {
  const [filters, setFilters] = useState<AuditFilterValues>(NO_AUDIT_FILTERS);
  const [pagination, setPagination] = useState({ page: 0, pageSize: 50 });
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const filtered = isFiltered(filters);
  const errors = rangeErrors(filters);
  // A half-typed or reversed date is shown as a field error and left out of the query.
  const instant = (value: string | null, error: string | undefined) => (value && !error ? value : undefined);

  const query: Partial<AuditListQuery> = {
    page: pagination.page,
    pageSize: pagination.pageSize,
    actor: filters.actor || undefined,
    command: filters.command || undefined,
    entityType: filters.entityType || undefined,
    entityId: filters.entity.trim() || undefined,
    from: instant(filters.from, errors.from),
    to: instant(filters.to, errors.to),
  };
  const key = JSON.stringify(query);
  const fetcher = useCallback((signal: AbortSignal) => fetchAudit(JSON.parse(key) as Partial<AuditListQuery>, signal), [key]);
  const { data, error, loading, fetching, refetch } = useApiQuery(`audit:${key}`, fetcher);
  // Decisions and assignments write audit entries; show them when the user is on the first page.
  useLiveRefresh(['case.opened', 'case.updated'], () => refetch({ silent: true }), { debounceMs: 400, enabled: pagination.page === 0 });

  const update = (patch: Partial<AuditFilterValues>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPagination((p) => ({ ...p, page: 0 }));
  };
  const columns = auditColumns((reference) => update({ entity: reference, entityType: '' }));

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
      <AuditFilters value={filters} onChange={update} />
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
          body: filtered ? 'Check the actor, command, record or time range.' : 'Sign-ins, assignments and decisions are recorded here.',
        }}
        aria-label="Audit log"
      />
      <Typography variant="caption" sx={{ color: 'text.disabled', mt: 1 }}>
        Click an entry (or press Enter) to see the full before and after; a reference opens its case. Times in EAT.
      </Typography>
      <AuditEntryDialog entry={selected} onClose={() => setSelected(null)} />
    </Box>
  );
}
