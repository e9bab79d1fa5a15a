// The rows of an import preview as they would be stored: each row's status, and every cell with a
// problem outlined in red with its message (the row and column numbers match the spreadsheet).
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import { alpha, useTheme } from '@mui/material/styles';
import type { ImportPreviewRow } from '../../../shared/src/risk-reports.ts';
import { StatusChip } from '../admin/adminChips.tsx';

const STATUS = {
  VALID: { label: 'Valid', tone: 'success' },
  INVALID: { label: 'Problem', tone: 'danger' },
  DUPLICATE: { label: 'Duplicate', tone: 'neutral' },
} as const;

export function ImportPreviewTable({ columns, rows }: { columns: readonly string[]; rows: readonly ImportPreviewRow[] }) {
  const theme = useTheme();
  const danger = theme.palette.status.danger;
  return (
    <TableContainer sx={{ maxHeight: 380, border: 1, borderColor: 'divider', borderRadius: 1 }} data-testid="import-preview-table">
      <Table size="small" stickyHeader>
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 56 }}>Row</TableCell>
            <TableCell sx={{ width: 100 }}>Status</TableCell>
            {columns.map((column) => (
              <TableCell key={column} sx={{ whiteSpace: 'nowrap' }}>
                {column}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => {
            // Problems that name no column of the file (e.g. the row as a whole) go on the status cell.
            const loose = row.errors.filter((e) => !columns.includes(e.column));
            return (
              <TableRow
                key={row.row}
                data-testid={`import-row-${row.row}`}
                data-status={row.status}
                sx={row.status === 'DUPLICATE' ? { opacity: 0.65 } : undefined}
              >
                <TableCell sx={{ fontVariantNumeric: 'tabular-nums' }}>{row.row}</TableCell>
                <TableCell>
                  <StatusChip
                    label={STATUS[row.status].label}
                    tone={STATUS[row.status].tone}
                    title={
                      row.status === 'DUPLICATE' && row.duplicateOf
                        ? `Repeats ${row.duplicateOf}`
                        : loose.map((e) => `${e.column}: ${e.message}`).join('; ') || undefined
                    }
                  />
                </TableCell>
                {columns.map((column) => {
                  const problems = row.errors.filter((e) => e.column === column);
                  const value = row.values[column];
                  const text = value === null || value === undefined ? '' : String(value);
                  const cell = (
                    <TableCell
                      key={column}
                      data-error={problems.length ? 'true' : undefined}
                      sx={{
                        maxWidth: 260,
                        overflow: 'hidden',
                        textOverflow: 'ellipsis',
                        whiteSpace: 'nowrap',
                        ...(problems.length ? { bgcolor: alpha(danger, 0.1), boxShadow: `inset 0 0 0 1px ${danger}`, color: danger } : {}),
                      }}
                    >
                      {text ||
                        (problems.length ? (
                          <Box component="span" sx={{ fontStyle: 'italic' }}>
                            empty
                          </Box>
                        ) : (
                          ''
                        ))}
                    </TableCell>
                  );
                  return problems.length ? (
                    <Tooltip key={column} title={problems.map((p) => p.message).join('; ')}>
                      {cell}
                    </Tooltip>
                  ) : (
                    cell
                  );
                })}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
