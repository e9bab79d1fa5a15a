import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import { DataGrid, type DataGridProps, type GridValidRowModel } from '@mui/x-data-grid';
import type { ApiError } from '../api/client.ts';
import { GridEmptyOverlay } from './GridOverlays.tsx';
import { gridSx } from './gridStyles.ts';
import { ErrorState } from './layout.tsx';

export interface ListGridProps<R extends GridValidRowModel & { id: string }>
  extends Omit<DataGridProps<R>, 'rows' | 'onRowClick' | 'onCellKeyDown' | 'slotProps' | 'getRowId'> {
  rows: readonly R[];
  error: ApiError | null;
  errorTitle: string;
  onRetry: () => void;
  /** Opens a row, by click or by Enter on a focused cell; without it rows are not clickable. */
  onOpenRow?: (row: R) => void;
  empty: { icon: ReactNode; title: string; body: ReactNode };
}

/**
 * A whole list loaded at once (an administration register: API clients, Open Banking apps), paged
 * in the browser by 50 with the product's frame, loading and empty states and error-with-retry.
 * Server-paged registers use ServerGrid instead.
 */
export function ListGrid<R extends GridValidRowModel & { id: string }>({
  rows,
  error,
  errorTitle,
  onRetry,
  onOpenRow,
  empty,
  slots,
  sx,
  ...grid
}: ListGridProps<R>) {
  const theme = useTheme();
  return (
    <>
      {error && (
        <Box sx={{ mb: 1.5 }}>
          <ErrorState error={error} onRetry={onRetry} title={errorTitle} />
        </Box>
      )}
      <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 2.5, overflow: 'hidden', bgcolor: 'background.paper' }}>
        <DataGrid<R>
          rows={rows}
          getRowId={(row) => row.id}
          autoHeight
          rowHeight={56}
          disableColumnMenu
          disableColumnSelector
          disableRowSelectionOnClick
          hideFooter={rows.length <= 50}
          initialState={{ pagination: { paginationModel: { pageSize: 50 } } }}
          pageSizeOptions={[50, 100]}
          {...grid}
          onRowClick={onOpenRow ? ({ row }) => onOpenRow(row) : undefined}
          onCellKeyDown={
            onOpenRow
              ? (params, event) => {
                  if (event.key === 'Enter') onOpenRow(params.row as R);
                }
              : undefined
          }
          slots={{ noRowsOverlay: GridEmptyOverlay, ...slots }}
          slotProps={{
            loadingOverlay: { variant: 'linear-progress', noRowsVariant: 'skeleton' },
            noRowsOverlay: { emptyIcon: empty.icon, emptyTitle: empty.title, emptyBody: empty.body },
          }}
          sx={[
            gridSx(theme, { clickable: !!onOpenRow }),
            { border: 0, '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' } },
            ...(Array.isArray(sx) ? sx : sx ? [sx] : []),
          ]}
        />
      </Box>
    </>
  );
}
