// A compact table of figures for the analytics cards: right-aligned numbers in the mono face, and
// a link per row to the list behind it when the row has one.
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { FONT_MONO } from '../app/theme.ts';

export interface FigureColumn<R> {
  key: string;
  label: string;
  numeric?: boolean;
  render: (row: R) => ReactNode;
}

const percentFormat = new Intl.NumberFormat('en-KE', { style: 'percent', maximumFractionDigits: 1 });
/** A share (0–1) as a percentage; "—" where there is nothing to divide by. */
export function formatShare(value: number | null): string {
  return value === null ? '—' : percentFormat.format(value);
}

export function FigureTable<R>({
  columns,
  rows,
  rowKey,
  hrefFor,
  testId,
  empty,
  maxHeight = 360,
}: {
  columns: readonly FigureColumn<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  /** The first column becomes a link to this (drill-down); null: no link for that row. */
  hrefFor?: (row: R) => string | null;
  testId: string;
  empty: string;
  maxHeight?: number;
}) {
  if (rows.length === 0) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary', py: 3, textAlign: 'center' }} data-testid={testId}>
        {empty}
      </Typography>
    );
  }
  return (
    <Box sx={{ maxHeight, overflow: 'auto' }}>
      <Table size="small" stickyHeader data-testid={testId}>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableCell key={c.key} align={c.numeric ? 'right' : 'left'} sx={{ fontWeight: 650, whiteSpace: 'nowrap', bgcolor: 'background.paper' }}>
                {c.label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => {
            const href = hrefFor?.(row) ?? null;
            return (
              <TableRow key={rowKey(row)} hover data-testid={`${testId}-row`} data-key={rowKey(row)}>
                {columns.map((c, i) => (
                  <TableCell
                    key={c.key}
                    align={c.numeric ? 'right' : 'left'}
                    sx={c.numeric ? { fontFamily: FONT_MONO, fontSize: 12.5, whiteSpace: 'nowrap' } : { maxWidth: 260, overflowWrap: 'anywhere' }}
                  >
                    {i === 0 && href ? (
                      <Link component={RouterLink} to={href} underline="hover" data-testid={`${testId}-drill`}>
                        {c.render(row)}
                      </Link>
                    ) : (
                      c.render(row)
                    )}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
