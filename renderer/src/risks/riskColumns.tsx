// The register grid's columns: reference, title, category, owner, status, inherent and residual
// level chips in the matrix colours, next review with overdue flagged.
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { GridColDef } from '@mui/x-data-grid';
import type { Risk } from '../../../shared/src/risk-register.ts';
import { formatEat } from '../lib/format.ts';
import { Mono } from '../ui/values.tsx';
import { LevelChip, RISK_STATUS_TONE, ToneChip } from './riskChips.tsx';
import { CATEGORY_LABELS, formatDay, STATUS_LABELS } from './riskText.ts';

export const SORTABLE_RISK_FIELDS = new Set(['reference', 'title', 'inherentScore', 'residualScore', 'nextReviewAt']);

export function ReviewDue({ risk }: { risk: Pick<Risk, 'nextReviewAt' | 'reviewOverdue' | 'status'> }) {
  if (!risk.nextReviewAt) {
    return (
      <Typography variant="body2" sx={{ color: 'text.disabled' }}>
        {risk.status === 'CLOSED' ? 'Closed' : 'Not assessed'}
      </Typography>
    );
  }
  const day = risk.nextReviewAt.slice(0, 10);
  return (
    <Tooltip title={`Review due ${formatEat(risk.nextReviewAt)}`}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }} data-overdue={risk.reviewOverdue}>
        <Typography variant="body2" sx={{ color: risk.reviewOverdue ? 'error.main' : 'text.primary', fontWeight: risk.reviewOverdue ? 650 : 400 }}>
          {formatDay(day)}
        </Typography>
        {risk.reviewOverdue && <ToneChip label="Overdue" tone="danger" testId="review-overdue" />}
      </Box>
    </Tooltip>
  );
}

export function riskColumns(): GridColDef<Risk>[] {
  return [
    {
      field: 'reference',
      headerName: 'Ref',
      width: 96,
      renderCell: ({ row }) => <Mono sx={{ fontWeight: 650 }}>{row.reference}</Mono>,
    },
    {
      field: 'title',
      headerName: 'Risk',
      flex: 1,
      minWidth: 200,
      renderCell: ({ row }) => (
        <Box sx={{ minWidth: 0, lineHeight: 1.25 }}>
          <Typography variant="body2" noWrap title={row.title} sx={{ fontWeight: 600 }}>
            {row.title}
          </Typography>
          <Typography variant="caption" noWrap component="div" sx={{ color: 'text.secondary' }}>
            {row.businessUnit} · {row.tenantId}
          </Typography>
        </Box>
      ),
    },
    {
      field: 'category',
      headerName: 'Category',
      width: 112,
      sortable: false,
      renderCell: ({ row }) => CATEGORY_LABELS[row.category],
    },
    {
      field: 'ownerName',
      headerName: 'Owner',
      width: 140,
      sortable: false,
      renderCell: ({ row }) => (
        <Typography variant="body2" noWrap title={row.ownerName}>
          {row.ownerName}
        </Typography>
      ),
    },
    {
      field: 'status',
      headerName: 'Status',
      width: 112,
      sortable: false,
      renderCell: ({ row }) => <ToneChip label={STATUS_LABELS[row.status]} tone={RISK_STATUS_TONE[row.status] ?? 'neutral'} />,
    },
    {
      field: 'inherentScore',
      headerName: 'Inherent',
      width: 128,
      valueGetter: (_, row) => row.inherent?.score ?? null,
      renderCell: ({ row }) => <LevelChip level={row.inherent?.level ?? null} score={row.inherent?.score} />,
    },
    {
      field: 'residualScore',
      headerName: 'Residual',
      width: 128,
      valueGetter: (_, row) => row.residual?.score ?? null,
      renderCell: ({ row }) => <LevelChip level={row.residual?.level ?? null} score={row.residual?.score} testId={`residual-${row.reference}`} />,
    },
    {
      field: 'nextReviewAt',
      headerName: 'Next review',
      width: 176,
      renderCell: ({ row }) => <ReviewDue risk={row} />,
    },
  ];
}
