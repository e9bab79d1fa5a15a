import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { GRID_CHECKBOX_SELECTION_COL_DEF, type GridColDef } from '@mui/x-data-grid';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { formatAge, formatCount, formatEat, formatMoney, formatMoneyCompact, normaliseScore } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';
import { CaseStateChip, OutcomeChip, RiskChip, softChipSx } from '../ui/chips.tsx';
import { Assignee, Mono, Money } from '../ui/values.tsx';
import { SlaCountdownChip } from './workbench/SlaCountdownChip.tsx';

/** Grid fields that the service can sort by (the grid field name is the API's sort key). */
export const SORTABLE_CASE_FIELDS = new Set(['reference', 'riskScore', 'amountKes', 'createdAt', 'updatedAt', 'slaDueAt']);

const TAGS_SHOWN = 1;

/** "just now", "12m ago", "4h ago", "8d ago": the queue's tight relative age; the exact EAT time on hover. */
function Age({ value }: { value: string }) {
  const now = useNow();
  const minutes = Math.floor((now - Date.parse(value)) / 60_000);
  const text =
    minutes < 1
      ? 'just now'
      : minutes < 60
        ? `${minutes}m ago`
        : minutes < 1440
          ? `${Math.floor(minutes / 60)}h ago`
          : minutes < 60 * 24 * 60
            ? `${Math.floor(minutes / 1440)}d ago`
            : formatAge(value, now);
  return (
    <time dateTime={value} title={formatEat(value)}>
      {text}
    </time>
  );
}

function TagsCell({ tags }: { tags: string[] }) {
  const theme = useTheme();
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
        <Chip
          key={tag}
          label={tag}
          title={tag}
          data-tag={tag}
          sx={[softChipSx(theme.palette.status.neutral, theme), { height: 20, fontSize: 11, fontWeight: 550, maxWidth: 64, '& .MuiChip-label': { px: 0.75 } }]}
        />
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
      ? `${formatCount(row.paymentCount)} payments · ${formatMoneyCompact(row.totalAmountKes)}`
      : row.currency !== 'KES'
        ? `≈ ${formatMoney(row.amountKes)}`
        : null;
  return (
    <Box sx={{ textAlign: 'right', lineHeight: 1.25, width: '100%', minWidth: 0 }}>
      <Money
        amount={row.amount}
        currency={row.currency}
        sx={{ display: 'block', fontWeight: 600, fontSize: 12.25 }}
        noWrap
        title={formatMoney(row.amount, row.currency)}
      />
      {secondLine && (
        <Typography
          variant="caption"
          component="div"
          noWrap
          sx={{ color: row.paymentCount > 1 ? 'warning.main' : 'text.secondary', fontWeight: row.paymentCount > 1 ? 600 : 400, fontSize: 11 }}
          title={row.paymentCount > 1 ? `${formatCount(row.paymentCount)} payments on this case, ${formatMoney(row.totalAmountKes)} in all` : secondLine}
          data-testid={row.paymentCount > 1 ? `payment-count-${row.reference}` : undefined}
        >
          {secondLine}
        </Typography>
      )}
    </Box>
  );
}

/**
 * The queue's columns. `showQueue` is off when the page already shows one queue; `showTags` is off
 * when no case on the page has a tag (an empty column would only squeeze the customer's name).
 */
export function caseColumns({
  showQueue,
  showTags,
  selectable,
  compact = false,
}: {
  showQueue: boolean;
  showTags: boolean;
  selectable: boolean;
  /** Compact density: one line per cell (the second line moves to the tooltip) and narrower columns. */
  compact?: boolean;
}): GridColDef<CaseSummary>[] {
  if (compact) return compactColumns({ showQueue, showTags, selectable });
  const columns: GridColDef<CaseSummary>[] = [
    // A narrower checkbox column than the grid's default: the queue needs every pixel.
    ...(selectable ? [{ ...GRID_CHECKBOX_SELECTION_COL_DEF, width: 42, minWidth: 42 }] : []),
    {
      // Sorting by "Case" sorts by when it opened (references are issued in that order anyway).
      field: 'createdAt',
      headerName: 'Case',
      width: 128,
      renderCell: ({ row }) => (
        <Box sx={{ lineHeight: 1.25, minWidth: 0 }}>
          <Mono sx={{ display: 'block', fontWeight: 650, fontSize: 12.25 }}>{row.reference}</Mono>
          <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary' }}>
            opened <Age value={row.createdAt} />
          </Typography>
        </Box>
      ),
    },
    {
      field: 'riskScore',
      headerName: 'Risk',
      width: 100,
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
      minWidth: 110,
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
      width: 152,
      align: 'right',
      headerAlign: 'right',
      renderCell: ({ row }) => <AmountCell row={row} />,
    },
    {
      field: 'channel',
      headerName: 'Channel',
      width: 70,
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
      width: showQueue ? 140 : 134,
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
      width: 116,
      sortable: false,
      renderCell: ({ row }) => <Assignee name={row.assigneeName} size={22} />,
    },
    {
      field: 'slaDueAt',
      headerName: 'SLA',
      width: 132,
      renderCell: ({ row }) => <SlaCountdownChip summary={row} />,
    },
    {
      field: 'updatedAt',
      headerName: 'Updated',
      width: 76,
      renderCell: ({ row }) => (
        <Typography variant="body2" noWrap>
          <Age value={row.updatedAt} />
        </Typography>
      ),
    },
  ];
  if (showTags) {
    columns.splice(
      columns.findIndex((c) => c.field === 'slaDueAt'),
      0,
      {
        field: 'tags',
        headerName: 'Tags',
        width: 100,
        sortable: false,
        renderCell: ({ row }) => <TagsCell tags={row.tags} />,
      },
    );
  }
  return columns;
}

/** Compact density (issue 11: ≥ 12 rows and every column at 1366×768): one line per cell. */
function compactColumns({ showQueue, showTags, selectable }: { showQueue: boolean; showTags: boolean; selectable: boolean }): GridColDef<CaseSummary>[] {
  const columns: GridColDef<CaseSummary>[] = [
    ...(selectable ? [{ ...GRID_CHECKBOX_SELECTION_COL_DEF, width: 40, minWidth: 40 }] : []),
    {
      field: 'createdAt',
      headerName: 'Case',
      width: 136,
      renderCell: ({ row }) => (
        <Mono sx={{ fontWeight: 650, fontSize: 12 }} title={`Opened ${formatEat(row.createdAt)}`}>
          {row.reference}
        </Mono>
      ),
    },
    {
      field: 'riskScore',
      headerName: 'Risk',
      width: 100,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }} aria-label={`${row.riskLevel} risk, score ${normaliseScore(row.riskScore)} of 100`}>
          <RiskChip level={row.riskLevel} />
          <Mono sx={{ fontSize: 11.5, fontWeight: 600, color: 'text.secondary' }}>{normaliseScore(row.riskScore)}</Mono>
        </Box>
      ),
    },
    {
      field: 'customerName',
      headerName: 'Customer',
      flex: 1,
      minWidth: 120,
      sortable: false,
      renderCell: ({ row }) => (
        <Typography
          variant="body2"
          noWrap
          sx={{ fontWeight: 550, fontSize: 12.5 }}
          title={`${row.customerName ?? 'Customer not on file'} · ${row.customerRef}`}
        >
          {row.customerName ?? row.customerRef}
        </Typography>
      ),
    },
    {
      field: 'amountKes',
      headerName: 'At stake',
      width: 124,
      align: 'right',
      headerAlign: 'right',
      renderCell: ({ row }) => (
        <Box
          sx={{ display: 'flex', gap: 0.5, justifyContent: 'flex-end', alignItems: 'baseline', width: '100%', minWidth: 0 }}
          title={`${formatCount(row.paymentCount)} ${row.paymentCount === 1 ? 'payment' : 'payments'}, ${formatMoney(row.totalAmountKes)} in all`}
        >
          {row.paymentCount > 1 && (
            <Typography component="span" variant="caption" sx={{ color: 'warning.main', fontWeight: 650 }} data-testid={`payment-count-${row.reference}`}>
              ×{row.paymentCount}
            </Typography>
          )}
          <Mono sx={{ fontWeight: 600, fontSize: 12 }} noWrap>
            {formatMoneyCompact(row.totalAmountKes)}
          </Mono>
        </Box>
      ),
    },
    {
      field: 'channel',
      headerName: 'Chan.',
      width: 56,
      sortable: false,
      renderCell: ({ row }) => (
        <Typography variant="caption" sx={{ fontWeight: 600, color: 'text.secondary' }}>
          {row.channel}
        </Typography>
      ),
    },
    {
      field: 'state',
      headerName: 'State',
      width: 112,
      sortable: false,
      renderCell: ({ row }) => (
        <Box title={showQueue ? row.queue : undefined}>
          {row.state === 'CLOSED' && row.outcome ? <OutcomeChip outcome={row.outcome} /> : <CaseStateChip state={row.state} />}
        </Box>
      ),
    },
    {
      field: 'assigneeName',
      headerName: 'Assignee',
      width: 116,
      sortable: false,
      renderCell: ({ row }) => (
        <Typography
          variant="body2"
          noWrap
          sx={{ fontSize: 12.5, color: row.assigneeName ? 'text.primary' : 'text.disabled' }}
          title={row.assigneeName ?? 'Unassigned'}
        >
          {row.assigneeName ?? 'Unassigned'}
        </Typography>
      ),
    },
    {
      field: 'slaDueAt',
      headerName: 'SLA',
      width: 132,
      renderCell: ({ row }) => <SlaCountdownChip summary={row} />,
    },
    {
      field: 'updatedAt',
      headerName: 'Updated',
      width: 66,
      renderCell: ({ row }) => (
        <Typography variant="caption" noWrap>
          <Age value={row.updatedAt} />
        </Typography>
      ),
    },
  ];
  if (showTags) {
    columns.splice(
      columns.findIndex((c) => c.field === 'slaDueAt'),
      0,
      { field: 'tags', headerName: 'Tags', width: 80, sortable: false, renderCell: ({ row }) => <TagsCell tags={row.tags} /> },
    );
  }
  return columns;
}
