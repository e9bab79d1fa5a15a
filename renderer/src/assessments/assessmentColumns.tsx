import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import OpenInNew from '@mui/icons-material/OpenInNew';
import type { GridColDef } from '@mui/x-data-grid';
import type { Assessment, AssessmentStatus } from '../../../shared/src/assessments.ts';
import { countryName, withFlag, formatEat, formatEatShort, humanise, scorePoints } from '../lib/format.ts';
import { DecisionChip, RiskChip, softChipSx, TagChip } from '../ui/chips.tsx';
import { Mono, Money, ScoreBar } from '../ui/values.tsx';

export const SORTABLE_ASSESSMENT_FIELDS = new Set(['createdAt', 'riskScore', 'amount']);

function StatusText({ status }: { status: AssessmentStatus }) {
  const theme = useTheme();
  const colour =
    status === 'COMPLETED'
      ? theme.palette.status.success
      : status === 'PENDING' || status === 'IN_PROGRESS'
        ? theme.palette.status.info
        : status === 'CANCELLED'
          ? theme.palette.status.neutral
          : theme.palette.status.danger;
  return <Chip label={humanise(status)} sx={[softChipSx(colour, theme), { bgcolor: 'transparent', border: 'none', px: 0 }]} />;
}

export const assessmentColumns: GridColDef<Assessment>[] = [
  {
    field: 'transactionReference',
    headerName: 'Transaction',
    width: 170,
    sortable: false,
    renderCell: ({ row }) => (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, minWidth: 0 }}>
        <Mono sx={{ fontWeight: 600, fontSize: 12.5 }} noWrap>
          {row.transactionReference}
        </Mono>
        {row.caseId && (
          <Tooltip title="Opened a case — click to view">
            <OpenInNew sx={{ fontSize: 14, color: 'primary.main' }} />
          </Tooltip>
        )}
      </Box>
    ),
  },
  {
    field: 'createdAt',
    headerName: 'Time (EAT)',
    width: 122,
    renderCell: ({ row }) => (
      <Tooltip title={formatEat(row.createdAt)}>
        <Typography variant="body2" noWrap>
          {formatEatShort(row.createdAt)}
        </Typography>
      </Tooltip>
    ),
  },
  {
    field: 'customerId',
    headerName: 'Customer',
    width: 114,
    sortable: false,
    valueGetter: (_value, row) => row.payment.customerId,
    renderCell: ({ row }) => <Mono sx={{ color: 'text.secondary' }}>{row.payment.customerId}</Mono>,
  },
  {
    field: 'amount',
    headerName: 'Amount',
    width: 160,
    align: 'right',
    headerAlign: 'right',
    valueGetter: (_value, row) => row.payment.amountKes,
    renderCell: ({ row }) => (
      <Box sx={{ textAlign: 'right', width: '100%', lineHeight: 1.25 }}>
        <Money amount={row.payment.amountKes} sx={{ display: 'block', fontWeight: 600, fontSize: 12.5 }} />
        {row.payment.currency !== 'KES' && (
          <Money amount={row.payment.amount} currency={row.payment.currency} variant="caption" sx={{ color: 'text.secondary' }} />
        )}
      </Box>
    ),
  },
  {
    field: 'channel',
    headerName: 'Channel',
    width: 92,
    sortable: false,
    valueGetter: (_value, row) => row.payment.channel,
    renderCell: ({ row }) => <TagChip label={row.payment.channel} />,
  },
  {
    field: 'country',
    headerName: 'Country',
    width: 80,
    sortable: false,
    valueGetter: (_value, row) => row.payment.country,
    renderCell: ({ row }) => (
      <Tooltip title={countryName(row.payment.country)}>
        <Typography variant="body2">
          {withFlag(row.payment.country, row.payment.country)}
        </Typography>
      </Tooltip>
    ),
  },
  {
    field: 'riskScore',
    headerName: 'Score',
    width: 84,
    renderCell: ({ row }) => <ScoreBar points={scorePoints(row.riskScore)} width={34} />,
  },
  {
    field: 'riskLevel',
    headerName: 'Level',
    width: 100,
    sortable: false,
    renderCell: ({ row }) => <RiskChip level={row.riskLevel} />,
  },
  {
    field: 'decision',
    headerName: 'Decision',
    flex: 1,
    minWidth: 140,
    sortable: false,
    renderCell: ({ row }) => (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
        <DecisionChip decision={row.engineDecision} />
        {row.manualDecision && (
          <Tooltip title={`Analyst decision by ${row.manualDecision.decidedBy} · ${formatEat(row.manualDecision.decidedAt)} — ${row.manualDecision.reason}`}>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
              <Typography variant="caption" sx={{ color: 'text.disabled' }}>
                →
              </Typography>
              <DecisionChip decision={row.manualDecision.decision} />
            </Box>
          </Tooltip>
        )}
      </Box>
    ),
  },
  {
    field: 'status',
    headerName: 'Status',
    width: 100,
    sortable: false,
    renderCell: ({ row }) => <StatusText status={row.status} />,
  },
];
