import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { GridColDef } from '@mui/x-data-grid';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { normaliseScore } from '../lib/format.ts';
import { CaseStateChip, OutcomeChip, RiskChip, TagChip } from '../ui/chips.tsx';
import { Assignee, Mono, Money, ScoreBar, SlaChip, TimeAgo } from '../ui/values.tsx';

/** Grid fields that the service can sort by (the grid field name is the API's sort key). */
export const SORTABLE_CASE_FIELDS = new Set(['reference', 'riskScore', 'amountKes', 'createdAt', 'slaDueAt']);

export const caseColumns: GridColDef<CaseSummary>[] = [
  {
    field: 'reference',
    headerName: 'Reference',
    width: 140,
    renderCell: ({ row }) => <Mono sx={{ fontWeight: 600, fontSize: 12.5 }}>{row.reference}</Mono>,
  },
  {
    field: 'riskLevel',
    headerName: 'Risk',
    width: 100,
    sortable: false,
    renderCell: ({ row }) => <RiskChip level={row.riskLevel} />,
  },
  {
    field: 'riskScore',
    headerName: 'Score',
    width: 80,
    renderCell: ({ row }) => <ScoreBar points={normaliseScore(row.riskScore)} width={34} />,
  },
  {
    field: 'customerName',
    headerName: 'Customer',
    flex: 1,
    minWidth: 150,
    sortable: false,
    renderCell: ({ row }) => (
      <Box sx={{ minWidth: 0, lineHeight: 1.25 }}>
        <Typography variant="body2" noWrap sx={{ fontWeight: 550 }} title={row.customerName ?? undefined}>
          {row.customerName ?? 'Customer not on file'}
        </Typography>
        <Mono variant="caption" sx={{ color: 'text.secondary' }}>
          {row.customerRef}
        </Mono>
      </Box>
    ),
  },
  {
    field: 'amountKes',
    headerName: 'Amount',
    width: 150,
    align: 'right',
    headerAlign: 'right',
    renderCell: ({ row }) => (
      <Box sx={{ textAlign: 'right', lineHeight: 1.25, width: '100%' }}>
        <Money amount={row.amountKes} sx={{ display: 'block', fontWeight: 600, fontSize: 12.5 }} />
        {row.currency !== 'KES' && <Money amount={row.amount} currency={row.currency} variant="caption" sx={{ color: 'text.secondary' }} />}
      </Box>
    ),
  },
  {
    field: 'channel',
    headerName: 'Channel',
    width: 92,
    sortable: false,
    renderCell: ({ row }) => <TagChip label={row.channel} />,
  },
  {
    field: 'createdAt',
    headerName: 'Opened',
    width: 100,
    renderCell: ({ row }) => <TimeAgo value={row.createdAt} />,
  },
  {
    field: 'slaDueAt',
    headerName: 'SLA due',
    width: 122,
    renderCell: ({ row }) => <SlaChip dueAt={row.slaDueAt} closedAt={row.closedAt} />,
  },
  {
    field: 'state',
    headerName: 'State',
    width: 96,
    sortable: false,
    renderCell: ({ row }) => (row.state === 'CLOSED' && row.outcome ? <OutcomeChip outcome={row.outcome} /> : <CaseStateChip state={row.state} />),
  },
  {
    field: 'assigneeName',
    headerName: 'Assignee',
    width: 136,
    sortable: false,
    renderCell: ({ row }) => <Assignee name={row.assigneeName} size={22} />,
  },
];
