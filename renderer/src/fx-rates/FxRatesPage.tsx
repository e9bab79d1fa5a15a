// FX rates to KES (issue 11 §1): every ISO 4217 currency with its minor units, the rate in effect
// now and the next one scheduled. Risk managers set a rate from now or schedule one; everyone who
// reads configurations sees the table and each currency's history.
import { useCallback, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import Snackbar from '@mui/material/Snackbar';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import SearchIcon from '@mui/icons-material/Search';
import { DataGrid, GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { FxRate, FxRateTableRow } from '../../../shared/src/fx-rates.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { StatusChip } from '../admin/adminChips.tsx';
import { formatCount, formatEatMinutes } from '../lib/format.ts';
import { GridEmptyOverlay } from '../ui/GridOverlays.tsx';
import { gridSx } from '../ui/gridStyles.ts';
import { ErrorState, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { FxRateDialog, type RateDialogMode } from './FxRateDialog.tsx';
import { FxRateHistoryDrawer } from './FxRateHistoryDrawer.tsx';
import { fetchFxRateTable } from './fxRatesApi.ts';
import { formatRate } from './rateInput.ts';

type Show = 'all' | 'rated' | 'missing' | 'scheduled';

function CurrencyGridRow(props: GridRowProps) {
  const row = props.row as FxRateTableRow;
  return <GridRow {...props} data-testid={`fx-row-${row.code}`} data-has-rate={String(row.current !== null)} />;
}

const KIND_LABEL: Record<FxRateTableRow['kind'], string> = { currency: 'Currency', fund: 'Fund', metal: 'Metal', unit: 'Unit', test: 'Reserved' };

export function FxRatesPage() {
  const theme = useTheme();
  const canManage = useCan('configuration:manage');
  const fetcher = useCallback((signal: AbortSignal) => fetchFxRateTable(signal), []);
  const table = useApiQuery('fx-rate-table', fetcher);
  const [search, setSearch] = useState('');
  const [show, setShow] = useState<Show>('all');
  const [dialog, setDialog] = useState<RateDialogMode | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const all = table.data?.currencies ?? [];
  const counts = useMemo(
    () => ({
      rated: all.filter((c) => c.current).length,
      missing: all.filter((c) => !c.current).length,
      scheduled: all.filter((c) => c.next).length,
    }),
    [all],
  );
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return all.filter((c) => {
      if (show === 'rated' && !c.current) return false;
      if (show === 'missing' && c.current) return false;
      if (show === 'scheduled' && !c.next) return false;
      return !needle || c.code.toLowerCase().includes(needle) || c.name.toLowerCase().includes(needle);
    });
  }, [all, search, show]);

  const changed = (message: string) => {
    setNotice(message);
    setRevision((r) => r + 1);
    table.refetch({ silent: true });
  };
  const saved = (rate: FxRate) => {
    setDialog(null);
    changed(
      rate.state === 'SCHEDULED'
        ? `Scheduled KES ${formatRate(rate.kesPerUnit)} per ${rate.currency} from ${formatEatMinutes(rate.effectiveFrom)}`
        : `KES ${formatRate(rate.kesPerUnit)} per ${rate.currency} is in effect from now`,
    );
  };

  const columns: GridColDef<FxRateTableRow>[] = [
    {
      field: 'code',
      headerName: 'Currency',
      flex: 2,
      minWidth: 220,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
          <Mono sx={{ fontWeight: 700, width: 40, flexShrink: 0 }}>{row.code}</Mono>
          <Typography variant="body2" noWrap title={row.name} sx={{ minWidth: 0 }}>
            {row.name}
          </Typography>
          {row.kind !== 'currency' && <StatusChip label={KIND_LABEL[row.kind]} tone="neutral" />}
        </Box>
      ),
    },
    {
      field: 'minorUnits',
      headerName: 'Decimals',
      width: 84,
      align: 'right',
      headerAlign: 'right',
      description: 'ISO 4217 minor units: the decimal places an amount may have',
      valueGetter: (_, row) => row.minorUnits,
      renderCell: ({ row }) =>
        row.minorUnits === null ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }} title="ISO 4217 gives no minor unit; amounts keep up to 4 decimals">
            n/a
          </Typography>
        ) : (
          row.minorUnits
        ),
    },
    {
      field: 'rate',
      headerName: 'KES per unit',
      width: 130,
      align: 'right',
      headerAlign: 'right',
      valueGetter: (_, row) => row.current?.kesPerUnit ?? null,
      renderCell: ({ row }) =>
        row.current ? (
          <Mono sx={{ fontWeight: 600 }}>{formatRate(row.current.kesPerUnit)}</Mono>
        ) : (
          <StatusChip label="No rate" tone="warning" title="Payments in this currency are refused (400 on currency) until a rate is set" />
        ),
    },
    {
      field: 'effectiveFrom',
      headerName: 'In effect since (EAT)',
      width: 172,
      valueGetter: (_, row) => row.current?.effectiveFrom ?? null,
      renderCell: ({ row }) => (row.current ? formatEatMinutes(row.current.effectiveFrom) : '—'),
    },
    {
      field: 'note',
      headerName: 'Source',
      flex: 1,
      minWidth: 120,
      sortable: false,
      renderCell: ({ row }) =>
        row.current ? (
          <Typography variant="body2" noWrap title={`${row.current.note} — set by ${row.current.createdBy}`} sx={{ color: 'text.secondary' }}>
            {row.current.note}
          </Typography>
        ) : null,
    },
    {
      field: 'next',
      headerName: 'Next scheduled',
      width: 196,
      valueGetter: (_, row) => row.next?.effectiveFrom ?? null,
      renderCell: ({ row }) =>
        row.next ? (
          <Box sx={{ lineHeight: 1.3 }} title={row.next.note}>
            <Mono variant="body2" sx={{ display: 'block' }}>
              {formatRate(row.next.kesPerUnit)}
            </Mono>
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              from {formatEatMinutes(row.next.effectiveFrom)}
            </Typography>
          </Box>
        ) : null,
    },
    {
      field: 'actions',
      headerName: '',
      width: canManage ? 160 : 84,
      sortable: false,
      align: 'right',
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.5 }}>
          <Button
            size="small"
            onClick={(e) => {
              e.stopPropagation();
              setHistoryOf(row.code);
            }}
            data-testid={`fx-history-${row.code}`}
          >
            History
          </Button>
          {canManage && row.code !== 'KES' && (
            <Button
              size="small"
              onClick={(e) => {
                // The row's own click opens the history; this opens the form only.
                e.stopPropagation();
                setDialog({ kind: 'set', currency: row.code });
              }}
              data-testid={`fx-set-${row.code}`}
            >
              Set rate
            </Button>
          )}
        </Box>
      ),
    },
  ];

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto', display: 'flex', flexDirection: 'column', height: '100%' }} data-testid="fx-rates-page">
      <PageHeader
        title="FX rates"
        subtitle="KES per unit of every ISO 4217 currency. A payment is converted with the rate in effect at its own timestamp, and the rate used is stored with its assessment."
        actions={
          <>
            <RefreshButton onClick={() => table.refetch()} label="Reload rates" />
            {canManage && (
              <Button variant="contained" startIcon={<AddIcon />} onClick={() => setDialog({ kind: 'set', currency: null })} data-testid="fx-rate-new">
                Set or schedule a rate
              </Button>
            )}
          </>
        }
      />
      {table.error && <ErrorState error={table.error} onRetry={() => table.refetch()} title="Could not load the FX rates" />}
      {!canManage && (
        <Alert severity="info" variant="outlined" sx={{ mb: 1.5 }}>
          Read-only: risk managers set and schedule rates.
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mb: 1.5, flexWrap: 'wrap' }}>
        <TextField
          size="small"
          placeholder="Search code or name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            },
            htmlInput: { 'data-testid': 'fx-search', 'aria-label': 'Search currencies' },
          }}
          sx={{ width: 260 }}
        />
        <ToggleButtonGroup size="small" exclusive value={show} onChange={(_, value: Show | null) => value && setShow(value)} aria-label="Show currencies">
          <ToggleButton value="all">All {all.length ? formatCount(all.length) : ''}</ToggleButton>
          <ToggleButton value="rated">With rate {formatCount(counts.rated)}</ToggleButton>
          <ToggleButton value="missing" data-testid="fx-show-missing">
            No rate {formatCount(counts.missing)}
          </ToggleButton>
          <ToggleButton value="scheduled">Scheduled {formatCount(counts.scheduled)}</ToggleButton>
        </ToggleButtonGroup>
      </Box>
      <Box sx={{ flex: 1, minHeight: 360 }}>
        <DataGrid
          rows={rows}
          columns={columns}
          getRowId={(row) => row.code}
          loading={table.loading}
          density="compact"
          disableRowSelectionOnClick
          hideFooterSelectedRowCount
          pageSizeOptions={[25, 50, 100]}
          initialState={{ pagination: { paginationModel: { pageSize: 50 } } }}
          onRowClick={({ row }) => setHistoryOf((row as FxRateTableRow).code)}
          slots={{ row: CurrencyGridRow, noRowsOverlay: GridEmptyOverlay }}
          slotProps={{ noRowsOverlay: { emptyTitle: 'No currency matches', emptyBody: 'Clear the search or show all currencies.' } }}
          sx={gridSx(theme)}
        />
      </Box>
      {dialog && <FxRateDialog mode={dialog} currencies={all.filter((c) => c.code !== 'KES')} onClose={() => setDialog(null)} onSaved={saved} />}
      {historyOf && (
        <FxRateHistoryDrawer
          currency={historyOf}
          canManage={canManage}
          revision={revision}
          onClose={() => setHistoryOf(null)}
          onCorrect={(rate) => setDialog({ kind: 'correct', rate })}
          onChanged={changed}
        />
      )}
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Box>
  );
}
