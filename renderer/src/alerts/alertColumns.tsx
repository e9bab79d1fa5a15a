// The inbox grid's columns: severity, the alert (reference and title), pattern, what it is about,
// tenant, state, how often it was seen, who has it and when it was detected.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { GridColDef } from '@mui/x-data-grid';
import type { Alert } from '../../../shared/src/alerts.ts';
import { formatEat, formatEatShort } from '../lib/format.ts';
import { Assignee, Mono } from '../ui/values.tsx';
import { AlertStatusChip, PATTERN_LABELS, SeverityChip } from './alertWords.tsx';

export const ENTITY_LABELS: Record<string, string> = {
  CUSTOMER: 'Customer',
  ACCOUNT: 'Account',
  DEVICE: 'Device',
  CHANNEL: 'Channel',
  TENANT: 'Tenant',
  ENGINE: 'Fraud engine',
  PAYMENT: 'Payment',
};

export const ALERT_COLUMNS: GridColDef<Alert>[] = [
  {
    field: 'severity',
    headerName: 'Severity',
    width: 104,
    sortable: false,
    renderCell: ({ row }) => <SeverityChip severity={row.severity} testId={`alert-severity-${row.reference}`} />,
  },
  {
    field: 'title',
    headerName: 'Alert',
    flex: 1.6,
    minWidth: 240,
    sortable: false,
    renderCell: ({ row }) => (
      <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
        <Typography variant="body2" noWrap title={row.title} sx={{ fontWeight: row.status === 'OPEN' ? 650 : 500 }}>
          {row.title}
        </Typography>
        <Mono variant="caption" sx={{ color: 'text.secondary', display: 'block' }} noWrap>
          {row.reference}
          {row.caseReference ? ` · case ${row.caseReference}` : ''}
        </Mono>
      </Box>
    ),
  },
  {
    field: 'pattern',
    headerName: 'Pattern',
    flex: 1,
    minWidth: 170,
    sortable: false,
    renderCell: ({ row }) => (
      <Typography variant="body2" noWrap title={PATTERN_LABELS[row.pattern]}>
        {PATTERN_LABELS[row.pattern] ?? row.pattern}
      </Typography>
    ),
  },
  {
    field: 'entityId',
    headerName: 'About',
    flex: 0.9,
    minWidth: 150,
    sortable: false,
    renderCell: ({ row }) => (
      <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
          {ENTITY_LABELS[row.entityType] ?? row.entityType}
        </Typography>
        <Mono variant="body2" noWrap title={row.entityId} sx={{ display: 'block' }}>
          {row.entityId}
        </Mono>
      </Box>
    ),
  },
  { field: 'tenantId', headerName: 'Tenant', width: 110, sortable: false },
  {
    field: 'status',
    headerName: 'State',
    width: 130,
    sortable: false,
    renderCell: ({ row }) => <AlertStatusChip status={row.status} testId={`alert-status-${row.reference}`} />,
  },
  {
    field: 'occurrences',
    headerName: 'Seen',
    width: 70,
    align: 'right',
    headerAlign: 'right',
    sortable: false,
    renderCell: ({ row }) => <Mono title="Times the detector found it within the dedup window">{row.occurrences}×</Mono>,
  },
  { field: 'assigneeName', headerName: 'Assignee', width: 150, sortable: false, renderCell: ({ row }) => <Assignee name={row.assigneeName} size={22} /> },
  {
    field: 'detectedAt',
    headerName: 'Detected (EAT)',
    width: 130,
    sortable: false,
    renderCell: ({ row }) => <span title={formatEat(row.detectedAt)}>{formatEatShort(row.detectedAt)}</span>,
  },
];
