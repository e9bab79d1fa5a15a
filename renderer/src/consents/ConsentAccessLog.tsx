// A consent's access log (issue 14): every request checked under it, newest first, with the
// decision and the first check that failed. Only the hub keeps it: a workstation offline shows the
// calm "needs the hub" state (ErrorState) and loads again when the hub answers.
import { useCallback, useState } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import ManageSearchOutlined from '@mui/icons-material/ManageSearchOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { ConsentAccessEntry } from '../../../shared/src/open-banking.ts';
import { StatusChip } from '../admin/adminChips.tsx';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatEat } from '../lib/format.ts';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { Mono } from '../ui/values.tsx';
import { fetchConsentAccessLog } from './consentsApi.ts';
import { CHECK_REASON_LABELS } from './consentWords.tsx';

function AccessRow(props: GridRowProps) {
  const row = props.row as ConsentAccessEntry;
  return <GridRow {...props} data-testid={`access-row-${row.decision}`} data-reason={row.reason} />;
}

const COLUMNS: GridColDef<ConsentAccessEntry>[] = [
  { field: 'at', headerName: 'When (EAT)', width: 170, sortable: false, renderCell: ({ row }) => <Mono>{formatEat(row.at)}</Mono> },
  {
    field: 'endpoint',
    headerName: 'Request',
    flex: 1,
    minWidth: 220,
    sortable: false,
    renderCell: ({ row }) => (
      <Mono noWrap title={row.path}>
        {row.method} {row.endpoint}
      </Mono>
    ),
  },
  {
    field: 'decision',
    headerName: 'Decision',
    width: 96,
    sortable: false,
    renderCell: ({ row }) => <StatusChip label={row.decision === 'ALLOW' ? 'Allowed' : 'Refused'} tone={row.decision === 'ALLOW' ? 'success' : 'danger'} />,
  },
  {
    field: 'reason',
    headerName: 'Reason',
    flex: 0.8,
    minWidth: 180,
    sortable: false,
    renderCell: ({ row }) => (
      <Typography variant="body2" noWrap title={row.reason}>
        {CHECK_REASON_LABELS[row.reason] ?? row.reason}
        {row.decision === 'DENY' ? ` (${row.statusCode})` : ''}
      </Typography>
    ),
  },
  {
    field: 'customerPresent',
    headerName: 'Customer',
    width: 104,
    sortable: false,
    valueGetter: (_, row) => (row.customerPresent ? 'Present' : 'Unattended'),
  },
];

export function ConsentAccessLog({ consentId }: { consentId: string }) {
  const [decision, setDecision] = useState<'' | 'ALLOW' | 'DENY'>('');
  const [model, setModel] = useState({ page: 0, pageSize: 25 });
  const key = `${consentId}:${decision}:${model.page}:${model.pageSize}`;
  const log = useApiQuery(
    `consent-access:${key}`,
    // biome-ignore lint/correctness/useExhaustiveDependencies: `key` holds every input.
    useCallback(
      (signal: AbortSignal) => fetchConsentAccessLog(consentId, { ...(decision ? { decision } : {}), page: model.page, pageSize: model.pageSize }, signal),
      [key],
    ),
  );
  useLiveRefresh(['consent.changed'], () => log.refetch({ silent: true }), { debounceMs: 500, minIntervalMs: 3000 });
  return (
    <SectionCard
      title="Access log"
      subtitle="Every request checked under this consent, newest first"
      testId="consent-access-log"
      action={
        <FilterSelect
          label="Decision"
          value={decision}
          anyLabel="All"
          options={[
            { value: 'ALLOW', label: 'Allowed' },
            { value: 'DENY', label: 'Refused' },
          ]}
          onChange={(v) => {
            setDecision(v);
            setModel((m) => ({ ...m, page: 0 }));
          }}
          minWidth={120}
          testId="access-filter-decision"
        />
      }
    >
      <Box sx={{ display: 'flex', flexDirection: 'column' }}>
        <ServerGrid<ConsentAccessEntry>
          error={log.error}
          errorTitle="Could not load the access log"
          onRetry={() => log.refetch()}
          rows={log.data?.items ?? []}
          columns={COLUMNS}
          getRowId={(row) => row.id}
          rowCount={log.data?.total ?? 0}
          loading={log.loading}
          paginationModel={model}
          onPaginationModelChange={(next) => setModel(next.pageSize !== model.pageSize ? { page: 0, pageSize: next.pageSize } : next)}
          pageSizeOptions={[25, 50, 100]}
          density="compact"
          clickable={false}
          slots={{ row: AccessRow }}
          empty={{
            icon: <ManageSearchOutlined />,
            title: 'No requests yet',
            body: decision ? 'None with this decision.' : 'The app has not called under this consent.',
          }}
          aria-label="Access log"
          sx={{ border: 0, minHeight: 0 }}
        />
      </Box>
      <Typography variant="caption" sx={{ color: 'text.disabled', display: 'block', mt: 0.75 }}>
        Refused requests name the first check that failed: app, status, expiry, scope and account, then the daily limit.
      </Typography>
    </SectionCard>
  );
}
