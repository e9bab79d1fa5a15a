// Consents a compliance officer should look at (issue 14): expiring soon, unattended use near the
// daily limit, the app suspended, calls refused today. Each row says why, in words.
import { useCallback, useState } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import { DataGrid, GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import { useTheme } from '@mui/material/styles';
import type { ConsentReviewItem } from '../../../shared/src/open-banking.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount } from '../lib/format.ts';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { GridEmptyOverlay } from '../ui/GridOverlays.tsx';
import { gridSx } from '../ui/gridStyles.ts';
import { ErrorState } from '../ui/layout.tsx';
import { consentColumns } from './consentColumns.tsx';
import { fetchConsentReview } from './consentsApi.ts';
import { ReviewReasonChip } from './consentWords.tsx';

type Row = ConsentReviewItem & { id: string };

function ReviewGridRow(props: GridRowProps) {
  const row = props.row as Row;
  return <GridRow {...props} data-testid={`review-row-${row.id}`} />;
}

const WITHIN = [3, 7, 14, 30] as const;

export function ConsentReviewQueue({ onOpen }: { onOpen: (id: string) => void }) {
  const theme = useTheme();
  const [days, setDays] = useState<(typeof WITHIN)[number]>(7);
  const query = useApiQuery(
    `consent-review:${days}`,
    useCallback((signal: AbortSignal) => fetchConsentReview({ expiringWithinDays: days }, signal), [days]),
  );
  useLiveRefresh(['consent.changed'], () => query.refetch({ silent: true }), { debounceMs: 400, minIntervalMs: 2000 });
  const rows: Row[] = (query.data ?? []).map((item) => ({ ...item, id: item.consent.id }));
  const columns: GridColDef<Row>[] = [
    {
      field: 'reasons',
      headerName: 'Why',
      flex: 1.3,
      minWidth: 230,
      sortable: false,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', py: 0.5 }}>
          {row.reasons.map((r) => (
            <ReviewReasonChip key={r.reason} reason={r.reason} detail={r.detail} />
          ))}
        </Box>
      ),
    },
    ...consentColumns<Row>((row) => row.consent, { kind: false }),
  ];

  return (
    <Box data-testid="consent-review" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mb: 1.5, flexWrap: 'wrap' }}>
        <FilterSelect
          label="Expiring within"
          value={String(days)}
          options={WITHIN.map((d) => ({ value: String(d), label: `${d} days` }))}
          onChange={(v) => setDays((Number(v) || 7) as (typeof WITHIN)[number])}
          minWidth={150}
          testId="consent-review-days"
        />
        <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1, minWidth: 240 }}>
          Also listed: unattended use at 75% or more of the daily limit, apps suspended, and calls refused today.
        </Typography>
        {query.data && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="consent-review-count">
            {formatCount(rows.length)} to review
          </Typography>
        )}
      </Box>
      {query.error && (
        <Box sx={{ mb: 1.5 }}>
          <ErrorState error={query.error} onRetry={() => query.refetch()} title="Could not load the review queue" />
        </Box>
      )}
      <Box sx={{ flex: 1, minHeight: 380, border: 1, borderColor: 'divider', borderRadius: 2.5, overflow: 'hidden', bgcolor: 'background.paper' }}>
        <DataGrid<Row>
          rows={rows}
          columns={columns}
          loading={query.loading && !query.data}
          density="compact"
          getRowHeight={() => 'auto'}
          disableRowSelectionOnClick
          disableColumnMenu
          hideFooterSelectedRowCount
          pageSizeOptions={[25, 50, 100]}
          initialState={{ pagination: { paginationModel: { pageSize: 50 } } }}
          onRowClick={({ row }) => onOpen(row.id)}
          onCellKeyDown={(params, event) => {
            if (event.key === 'Enter') onOpen(String(params.id));
          }}
          slots={{ row: ReviewGridRow, noRowsOverlay: GridEmptyOverlay }}
          slotProps={{
            noRowsOverlay: { emptyIcon: <FactCheckOutlined />, emptyTitle: 'Nothing to review', emptyBody: 'No consent is expiring soon or used unusually.' },
          }}
          aria-label="Consents to review"
          sx={[gridSx(theme), { border: 0, '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center', minHeight: 44 } }]}
        />
      </Box>
    </Box>
  );
}
