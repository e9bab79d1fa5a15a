// The consent register's columns, shared by the register grid and the review queue.
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { GridColDef, GridValidRowModel } from '@mui/x-data-grid';
import type { ConsentView } from '../../../shared/src/open-banking.ts';
import { formatEat, formatEatShort } from '../lib/format.ts';
import { Mono } from '../ui/values.tsx';
import { ConsentStatusChip, ScopeChips } from './consentWords.tsx';

export function UsageToday({ consent }: { consent: Pick<ConsentView, 'usedToday' | 'frequencyPerDay'> }) {
  const share = consent.frequencyPerDay > 0 ? consent.usedToday / consent.frequencyPerDay : 0;
  const colour = share >= 1 ? 'error.main' : share >= 0.75 ? 'warning.main' : 'text.primary';
  return (
    <Mono sx={{ color: colour, fontWeight: share >= 0.75 ? 650 : 400 }} title="Unattended calls today (bank day) of the daily limit">
      {consent.usedToday} / {consent.frequencyPerDay}
    </Mono>
  );
}

function customerCell(c: ConsentView) {
  return (
    <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
      <Typography variant="body2" noWrap title={c.customerName ?? undefined} sx={{ fontWeight: 600 }}>
        {c.customerName ?? 'Not yet chosen'}
      </Typography>
      <Mono variant="caption" sx={{ color: 'text.secondary', display: 'block' }} noWrap>
        {c.customerRef ?? '—'}
      </Mono>
    </Box>
  );
}

function appCell(c: ConsentView) {
  const suspended = c.appStatus === 'SUSPENDED';
  return (
    <Typography variant="body2" noWrap title={c.appName} sx={{ color: suspended ? 'error.main' : 'text.primary' }}>
      {c.appName}
      {suspended ? ' (suspended)' : ''}
    </Typography>
  );
}

function expiryCell(c: ConsentView) {
  if (!c.expiresAt)
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        No expiry
      </Typography>
    );
  return <span title={formatEat(c.expiresAt)}>{formatEatShort(c.expiresAt)}</span>;
}

/** Columns for rows that are consents, or that carry one (`consentOf`), e.g. review items. */
export function consentColumns<R extends GridValidRowModel>(consentOf: (row: R) => ConsentView, { kind = true } = {}): GridColDef<R>[] {
  const cell =
    (render: (c: ConsentView) => ReactNode) =>
    ({ row }: { row: R }) =>
      render(consentOf(row));
  const columns: GridColDef<R>[] = [
    { field: 'customer', headerName: 'Customer', flex: 1, minWidth: 170, sortable: false, renderCell: cell(customerCell) },
    { field: 'appName', headerName: 'App', flex: 0.9, minWidth: 150, sortable: false, renderCell: cell(appCell) },
    {
      field: 'permissions',
      headerName: 'Scopes',
      flex: 1.1,
      minWidth: 200,
      sortable: false,
      renderCell: cell((c) => (
        <Box sx={{ overflow: 'hidden', whiteSpace: 'nowrap' }}>
          <ScopeChips scopes={c.permissions} />
        </Box>
      )),
    },
    {
      field: 'status',
      headerName: 'Status (now)',
      width: 178,
      sortable: false,
      renderCell: cell((c) => <ConsentStatusChip status={c.status} reason={c.statusReason} testId={`consent-status-${c.id}`} />),
    },
    { field: 'expiresAt', headerName: 'Expires (EAT)', width: 128, sortable: false, renderCell: cell(expiryCell) },
    { field: 'usedToday', headerName: 'Today', width: 84, sortable: false, renderCell: cell((c) => <UsageToday consent={c} />) },
  ];
  if (kind)
    columns.push({ field: 'recurring', headerName: 'Kind', width: 90, sortable: false, renderCell: cell((c) => (c.recurring ? 'Recurring' : 'One-off')) });
  return columns;
}
