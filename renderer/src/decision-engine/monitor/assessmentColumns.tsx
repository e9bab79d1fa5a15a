import type { MouseEvent } from 'react';
import { Link as RouterLink } from 'react-router';
import { useCan } from '../../api/session.ts';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import OpenInNew from '@mui/icons-material/OpenInNew';
import type { GridColDef } from '@mui/x-data-grid';
import type { Assessment } from '../../../../shared/src/assessments.ts';
import { countryName, withFlag, formatEat, formatEatShort, scorePoints } from '../../lib/format.ts';
import { DecisionChip, RiskChip, TagChip } from '../../ui/chips.tsx';
import { Mono, Money, ScoreBar } from '../../ui/values.tsx';
import { AssessmentStatusChip } from '../engineChips.tsx';

/** Local rules alone usually take a fraction of a millisecond; older rows hold whole milliseconds. */
export function formatProcessingMs(ms: number): string {
  if (ms === 0) return '< 1 ms';
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

export const SORTABLE_ASSESSMENT_FIELDS = new Set(['createdAt', 'riskScore', 'amount', 'processingTimeMs']);

function Pending() {
  return (
    <Typography variant="body2" sx={{ color: 'text.disabled' }}>
      —
    </Typography>
  );
}

/** The decision an assessment ended with: the engine's, then an analyst's where one decided. */
export function DecisionTrail({ assessment }: { assessment: Assessment }) {
  if (!assessment.engineDecision) return <Pending />;
  const manual = assessment.manualDecision;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
      <DecisionChip decision={assessment.engineDecision} />
      {manual && (
        <Tooltip title={`Analyst decision by ${manual.decidedBy} · ${formatEat(manual.decidedAt)} — ${manual.reason}`}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
            <Typography variant="caption" sx={{ color: 'text.disabled' }}>
              →
            </Typography>
            <DecisionChip decision={manual.decision} />
          </Box>
        </Tooltip>
      )}
    </Box>
  );
}

export const assessmentColumns: GridColDef<Assessment>[] = [
  {
    field: 'transactionReference',
    headerName: 'Transaction',
    width: 184,
    sortable: false,
    renderCell: ({ row }) => (
      <Box sx={{ minWidth: 0, lineHeight: 1.25 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, minWidth: 0 }}>
          <Mono sx={{ fontWeight: 600, fontSize: 12.5 }} noWrap>
            {row.transactionReference}
          </Mono>
          {row.caseId && <OpenCaseLink caseId={row.caseId} reference={row.transactionReference} />}
        </Box>
        <Mono sx={{ fontSize: 11.5, color: 'text.secondary', display: 'block' }} noWrap>
          {row.payment.customerId}
        </Mono>
      </Box>
    ),
  },
  {
    field: 'createdAt',
    headerName: 'Time (EAT)',
    width: 116,
    renderCell: ({ row }) => (
      <Tooltip title={formatEat(row.createdAt)}>
        <Typography variant="body2" noWrap>
          {formatEatShort(row.createdAt)}
        </Typography>
      </Tooltip>
    ),
  },
  {
    field: 'status',
    headerName: 'Status',
    width: 122,
    sortable: false,
    renderCell: ({ row }) => <AssessmentStatusChip status={row.status} />,
  },
  {
    field: 'amount',
    headerName: 'Amount',
    width: 136,
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
    width: 100,
    sortable: false,
    valueGetter: (_value, row) => row.payment.channel,
    renderCell: ({ row }) => (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
        <TagChip label={row.payment.channel} />
        <Tooltip title={countryName(row.payment.country)}>
          <Typography
            variant="body2"
            sx={{ color: row.payment.country === 'KE' ? 'text.secondary' : 'text.primary', fontWeight: row.payment.country === 'KE' ? 400 : 600 }}
          >
            {withFlag(row.payment.country, row.payment.country)}
          </Typography>
        </Tooltip>
      </Box>
    ),
  },
  {
    field: 'riskScore',
    headerName: 'Score',
    width: 76,
    renderCell: ({ row }) => (row.riskScore === null ? <Pending /> : <ScoreBar points={scorePoints(row.riskScore)} width={34} />),
  },
  {
    field: 'riskLevel',
    headerName: 'Level',
    width: 92,
    sortable: false,
    renderCell: ({ row }) => (row.riskLevel ? <RiskChip level={row.riskLevel} /> : <Pending />),
  },
  {
    field: 'decision',
    headerName: 'Decision',
    flex: 1,
    minWidth: 120,
    sortable: false,
    renderCell: ({ row }) => <DecisionTrail assessment={row} />,
  },
];

/** Extra columns for the decision engine's monitor: which configuration decided, and how fast. */
export const engineColumns: GridColDef<Assessment>[] = [
  {
    field: 'configuration',
    headerName: 'Configuration',
    width: 118,
    sortable: false,
    valueGetter: (_value, row) => row.assessmentDetails?.configuration.configurationName ?? null,
    renderCell: ({ row }) => {
      const choice = row.assessmentDetails?.configuration;
      if (!choice && !row.configurationVersion) return <Pending />;
      return (
        <Tooltip title={choice?.reason ?? ''}>
          <Box sx={{ minWidth: 0, lineHeight: 1.25 }}>
            <Typography variant="body2" noWrap>
              {choice?.configurationName ?? 'Configuration'}
            </Typography>
            {row.configurationVersion && <Mono sx={{ fontSize: 11, color: 'text.secondary' }}>v{row.configurationVersion}</Mono>}
          </Box>
        </Tooltip>
      );
    },
  },
  {
    field: 'processingTimeMs',
    headerName: 'Took',
    width: 60,
    align: 'right',
    headerAlign: 'right',
    renderCell: ({ row }) => (row.processingTimeMs === null ? <Pending /> : <Mono sx={{ fontSize: 12 }}>{formatProcessingMs(row.processingTimeMs)}</Mono>),
  },
];

/**
 * A payment that opened (or joined) a case links to it. The row opens the case too; this is the
 * visible cue, and a plain link for keyboard and middle-click.
 */
function OpenCaseLink({ caseId, reference }: { caseId: string; reference: string }) {
  const canReadCases = useCan('case:read');
  if (!canReadCases) return null;
  return (
    <Tooltip title="Open the case">
      <IconButton
        component={RouterLink}
        to={`/cases/${caseId}`}
        onClick={(e: MouseEvent) => e.stopPropagation()}
        size="small"
        aria-label={`Open the case for ${reference}`}
        data-testid={`open-case-${reference}`}
        sx={{ p: 0.25, color: 'primary.main', flexShrink: 0 }}
      >
        <OpenInNew sx={{ fontSize: 15 }} />
      </IconButton>
    </Tooltip>
  );
}

/** The monitor's last column: the rule-by-rule drawer for any row (rows with a case open the case on click). */
export function monitorDetailsColumn(onDetails: (row: Assessment) => void): GridColDef<Assessment> {
  return {
    field: 'details',
    headerName: '',
    width: 44,
    sortable: false,
    align: 'center',
    renderCell: ({ row }) => (
      <Tooltip title="Rule-by-rule log">
        <IconButton
          size="small"
          onClick={(e) => {
            e.stopPropagation();
            onDetails(row);
          }}
          aria-label={`Assessment details for ${row.transactionReference}`}
          data-testid={`assessment-details-${row.transactionReference}`}
          sx={{ color: 'text.secondary' }}
        >
          <InfoOutlined sx={{ fontSize: 18 }} />
        </IconButton>
      </Tooltip>
    ),
  };
}
