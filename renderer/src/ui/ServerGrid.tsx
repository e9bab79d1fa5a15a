import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import { DataGrid, type DataGridProps, type GridValidRowModel } from '@mui/x-data-grid';
import { type ApiError, isHubUnavailable } from '../api/client.ts';
import { GridEmptyOverlay } from './GridOverlays.tsx';
import { gridSx } from './gridStyles.ts';
import { ErrorState } from './layout.tsx';

export interface ServerGridProps<R extends GridValidRowModel>
  extends Omit<DataGridProps<R>, 'paginationMode' | 'sortingMode' | 'filterMode' | 'onRowClick' | 'onCellKeyDown' | 'slotProps'> {
  error: ApiError | null;
  errorTitle: string;
  onRetry: () => void;
  /** Opens a row, by click or by Enter on a focused cell. */
  onOpenRow?: (row: R) => void;
  /** What an empty grid says (and, when filters hide everything, a way back). */
  empty: { icon: ReactNode; title: string; body: ReactNode; action?: ReactNode };
  clickable?: boolean;
}

/**
 * A server-paged, server-sorted grid with the product's frame, loading and empty states and
 * error-with-retry: the one grid every list screen (cases, assessments, audit) uses.
 */
export function ServerGrid<R extends GridValidRowModel>({
  error,
  errorTitle,
  onRetry,
  onOpenRow,
  empty,
  slots,
  sx,
  clickable = true,
  ...grid
}: ServerGridProps<R>) {
  const theme = useTheme();
  return (
    <>
      {error && (
        <Box sx={{ mb: 1.5 }}>
          <ErrorState error={error} onRetry={onRetry} title={errorTitle} />
        </Box>
      )}
      <Box sx={{ flex: 1, minHeight: 420, border: 1, borderColor: 'divider', borderRadius: 2.5, overflow: 'hidden', bgcolor: 'background.paper' }}>
        <DataGrid<R>
          paginationMode="server"
          sortingMode="server"
          filterMode="server"
          disableColumnFilter
          disableColumnSelector
          disableColumnMenu
          disableRowSelectionOnClick
          {...grid}
          onRowClick={onOpenRow ? ({ row }) => onOpenRow(row) : undefined}
          onCellKeyDown={
            onOpenRow
              ? (params, event) => {
                  if (event.key !== 'Enter') return;
                  event.preventDefault();
                  onOpenRow(params.row as R);
                }
              : undefined
          }
          slots={{ noRowsOverlay: GridEmptyOverlay, ...slots }}
          slotProps={{
            loadingOverlay: { variant: 'linear-progress', noRowsVariant: 'skeleton' },
            // After an error the grid is not "empty": it did not load (e.g. it needs the hub while offline).
            noRowsOverlay: error
              ? {
                  emptyIcon: empty.icon,
                  emptyTitle: isHubUnavailable(error) ? 'Shown again when the hub is back' : 'Nothing loaded',
                  emptyBody: undefined,
                  emptyAction: undefined,
                }
              : { emptyIcon: empty.icon, emptyTitle: empty.title, emptyBody: empty.body, emptyAction: empty.action },
          }}
          sx={[gridSx(theme, { clickable }), ...(Array.isArray(sx) ? sx : sx ? [sx] : [])]}
        />
      </Box>
    </>
  );
}
