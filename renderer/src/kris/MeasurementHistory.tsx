// A KRI's measurement history, newest first: value and status, where it came from (by hand,
// automatic with the inputs it was computed from, or a bank system), the note, who recorded it
// and whether it was a backfill.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import type { Kri, KriMeasurement } from '../../../shared/src/kris.ts';
import { formatEat, formatEatShort } from '../lib/format.ts';
import { GridEmptyOverlay } from '../ui/GridOverlays.tsx';
import { gridSx } from '../ui/gridStyles.ts';
import { Mono } from '../ui/values.tsx';
import { KriStatusChip } from './kriChips.tsx';
import { formatKriValue } from './kriInput.ts';

const SOURCE_LABELS: Record<string, string> = { MANUAL: 'By hand', AUTOMATIC: 'Automatic', INTEGRATION: 'Bank system' };

/** `loans: 412 · npl: 23` — an automatic measurement's inputs in one line (the full list in the tooltip). */
export function inputsText(inputs: Record<string, unknown> | null): string {
  if (!inputs) return '';
  return Object.entries(inputs)
    .map(([key, value]) => `${key}: ${typeof value === 'number' ? formatKriValue(value) : typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

export function MeasurementHistory({ kri, measurements, loading }: { kri: Kri; measurements: readonly KriMeasurement[]; loading: boolean }) {
  const theme = useTheme();
  const rows = [...measurements].sort((a, b) => Date.parse(b.measuredAt) - Date.parse(a.measuredAt));
  const columns: GridColDef<KriMeasurement>[] = [
    {
      field: 'measuredAt',
      headerName: 'Measured at (EAT)',
      width: 150,
      renderCell: ({ row }) => (
        <Tooltip title={formatEat(row.measuredAt)}>
          <span>{formatEatShort(row.measuredAt)}</span>
        </Tooltip>
      ),
    },
    {
      field: 'value',
      headerName: 'Value',
      width: 120,
      align: 'right',
      headerAlign: 'right',
      renderCell: ({ row }) => <Mono sx={{ fontWeight: 600 }}>{formatKriValue(row.value, kri.unit)}</Mono>,
    },
    { field: 'status', headerName: 'Status', width: 100, renderCell: ({ row }) => <KriStatusChip status={row.status} /> },
    {
      field: 'source',
      headerName: 'Source',
      width: 150,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center' }}>
          <span>{SOURCE_LABELS[row.source] ?? row.source}</span>
          {row.backfill && <Chip size="small" label="Backfill" variant="outlined" sx={{ height: 20, fontSize: 11 }} data-testid="measurement-backfill-chip" />}
        </Box>
      ),
    },
    {
      field: 'note',
      headerName: 'Note / inputs',
      flex: 1,
      minWidth: 200,
      sortable: false,
      renderCell: ({ row }) => {
        const inputs = inputsText(row.inputs);
        const text = [row.note, inputs].filter(Boolean).join(' — ');
        return (
          <Typography variant="body2" noWrap title={text} sx={{ color: row.note ? 'text.primary' : 'text.secondary' }}>
            {row.note}
            {row.note && inputs ? ' — ' : ''}
            {inputs && (
              <Box component="span" sx={{ color: 'text.secondary', fontSize: 12 }}>
                {inputs}
              </Box>
            )}
          </Typography>
        );
      },
    },
    {
      field: 'recordedBy',
      headerName: 'Recorded by',
      width: 190,
      renderCell: ({ row }) => (
        <Tooltip title={`Recorded ${formatEat(row.recordedAt)}`}>
          <Typography variant="body2" noWrap>
            {row.recordedBy}
            <Box component="span" sx={{ color: 'text.secondary', fontSize: 12 }}>
              {' '}
              · {formatEatShort(row.recordedAt)}
            </Box>
          </Typography>
        </Tooltip>
      ),
    },
  ];
  return (
    <Box sx={{ height: 420 }}>
      <DataGrid
        rows={rows}
        columns={columns}
        loading={loading}
        density="compact"
        disableRowSelectionOnClick
        hideFooterSelectedRowCount
        pageSizeOptions={[25, 50, 100]}
        initialState={{ pagination: { paginationModel: { pageSize: 25 } } }}
        slots={{ noRowsOverlay: GridEmptyOverlay }}
        slotProps={{
          noRowsOverlay: {
            emptyTitle: 'No measurements yet',
            emptyBody: kri.measurement === 'AUTOMATIC' ? 'The service measures it on its schedule.' : 'Record the first value.',
          },
        }}
        sx={gridSx(theme, { clickable: false })}
        data-testid="measurement-history"
      />
    </Box>
  );
}
