import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { GridColDef } from '@mui/x-data-grid';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { formatAge, formatCount, formatEat, formatMoney, normaliseScore } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';
import { CaseStateChip, OutcomeChip, RiskChip, TagChip } from '../ui/chips.tsx';
import { Assignee, Mono, Money, TimeAgo } from '../ui/values.tsx';
import { SlaCountdownChip } from './workbench/SlaCountdownChip.tsx';

/** Grid fields that the service can sort by (the grid field name is the API's sort key). */
export const SORTABLE_CASE_FIELDS = new Set(['reference', 'riskScore', 'amountKes', 'createdAt', 'updatedAt', 'slaDueAt']);

const TAGS_SHOWN = 2;

/** A bare relative age ("12 min ago") for captions; the exact EAT time on hover. */
function Age({ value }: { value: string }) {
  const now = useNow();
  return (
    <time dateTime={value} title={formatEat(value)}>
      {formatAge(value, now)}
    </time>
  );
}

function TagsCell({ tags }: { tags: string[] }) {
  if (tags.length === 0) {
    return (
      <Typography variant="body2" sx={{ color: 'text.disabled' }}>
        —
      </Typography>
    );
  }
  const rest = tags.slice(TAGS_SHOWN);
  return (
    <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center', minWidth: 0, overflow: 'hidden' }}>
      {tags.slice(0, TAGS_SHOWN).map((tag) => (
        <TagChip key={tag} label={tag} data-tag={tag} />
      ))}
      {rest.length > 0 && (
        <Tooltip title={rest.join(', ')}>
          <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600, flexShrink: 0 }}>
            +{rest.length}
          </Typography>
        </Tooltip>
      )}
    </Box>
  );
}

/** Amount in the payment's own currency; under it the case's total when several payments joined it. */
function AmountCell({ row }: { row: CaseSummary }) {
  const secondLine =
    row.paymentCount > 1
      ? `${formatCount(row.paymentCount)} payments · ${formatMoney(row.totalAmountKes)}`
      : row.currency !== 'KES'
        ? `≈ ${formatMoney(row.amountKes)}`
        : null;
  return (
    <Box sx={{ textAlign: 'right', lineHeight: 1.25, width: '100%', minWidth: 0 }}>
      <Money amount={row.amount} currency={row.currency} sx={{ display: 'block', fontWeight: 600, fontSize: 12.5 }} noWrap />
      {secondLine && (
        <Typography
          variant="caption"
          component="div"
          noWrap
          sx={{ color: row.paymentCount > 1 ? 'warning.main' : 'text.secondary', fontWeight: row.paymentCount > 1 ? 600 : 400 }}
          title={secondLine}
          data-testid={row.paymentCount > 1 ? `payment-count-${row.reference}` : undefined}
        >
          {secondLine}
        </Typography>
      )}
    </Box>
  );
}

/** The queue's columns; `showQueue` is off when the page already shows one queue. */
export function caseColumns({ showQueue }: { showQueue: boolean }): GridColDef<CaseSummary>[] {
  return [
    {
      // Sorting by "Case" sorts by when it opened (references are issued in that order anyway).
      field: 'createdAt',
      headerName: 'Case',
      width: 122,
      renderCell: ({ row }) => (
        <Box sx={{ lineHeight: 1.25, minWidth: 0 }}>
          <Mono sx={{ display: 'block', fontWeight: 650, fontSize: 12.5 }}>{row.reference}</Mono>
          <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary' }}>
            opened <Age value={row.createdAt} />
          </Typography>
        </Box>
      ),
    },
    {
      field: 'riskScore',
      headerName: 'Risk',
      width: 102,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }} aria-label={`${row.riskLevel} risk, score ${normaliseScore(row.riskScore)} of 100`}>
          <RiskChip level={row.riskLevel} />
          <Mono sx={{ fontSize: 12, fontWeight: 600, color: 'text.secondary' }}>{normaliseScore(row.riskScore)}</Mono>
        </Box>
      ),
    },
    {
      field: 'customerName',
      headerName: 'Customer',
      flex: 1,
      minWidth: 140,
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
      width: 146,
      align: 'right',
      headerAlign: 'right',
      renderCell: ({ row }) => <AmountCell row={row} />,
    },
    {
      field: 'channel',
      headerName: 'Channel',
      width: 76,
      sortable: false,
      renderCell: ({ row }) => (
        <Typography variant="caption" sx={{ fontWeight: 600, letterSpacing: '0.03em', color: 'text.secondary' }}>
          {row.channel}
        </Typography>
      ),
    },
    {
      field: 'state',
      headerName: showQueue ? 'State · queue' : 'State',
      width: showQueue ? 124 : 110,
      sortable: false,
      renderCell: ({ row }) => (
        <Box sx={{ lineHeight: 1.2, minWidth: 0 }}>
          {row.state === 'CLOSED' && row.outcome ? <OutcomeChip outcome={row.outcome} /> : <CaseStateChip state={row.state} />}
          {showQueue && (
            <Typography variant="caption" component="div" noWrap title={row.queue} sx={{ color: 'text.secondary', mt: 0.25 }}>
              {row.queue}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      field: 'assigneeName',
      headerName: 'Assignee',
      width: 120,
      sortable: false,
      renderCell: ({ row }) => <Assignee name={row.assigneeName} size={22} />,
    },
    {
      field: 'tags',
      headerName: 'Tags',
      width: 100,
      sortable: false,
      renderCell: ({ row }) => <TagsCell tags={row.tags} />,
    },
    {
      field: 'slaDueAt',
      headerName: 'SLA',
      width: 112,
      renderCell: ({ row }) => <SlaCountdownChip summary={row} />,
    },
    {
      field: 'updatedAt',
      headerName: 'Updated',
      width: 84,
      renderCell: ({ row }) => <TimeAgo value={row.updatedAt} />,
    },
  ];
}
