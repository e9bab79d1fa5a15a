import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Link from '@mui/material/Link';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import ChevronLeft from '@mui/icons-material/ChevronLeft';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { formatEat, formatMoney, humanise, normaliseScore } from '../lib/format.ts';
import { CaseStateChip, DecisionChip, OutcomeChip, RiskChip } from '../ui/chips.tsx';
import { Assignee, Mono, ScoreBar, SlaChip, TimeAgo } from '../ui/values.tsx';

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.25, minWidth: 0 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', minHeight: 24 }}>{children}</Box>
    </Box>
  );
}

export function CaseHeader({ summary }: { summary: CaseSummary }) {
  return (
    <Box sx={{ mb: 2 }}>
      <Link
        component={RouterLink}
        to="/cases"
        underline="hover"
        sx={{ display: 'inline-flex', alignItems: 'center', color: 'text.secondary', fontSize: 13, fontWeight: 500, mb: 1, ml: -0.5 }}
      >
        <ChevronLeft fontSize="small" /> Case queue
      </Link>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap' }}>
        <Mono component="h1" sx={{ fontSize: 22, fontWeight: 600, letterSpacing: '-0.02em', m: 0 }} data-testid="case-reference">
          {summary.reference}
        </Mono>
        <RiskChip level={summary.riskLevel} data-testid="case-risk" />
        <CaseStateChip state={summary.state} data-testid="case-state" />
        {summary.outcome && <OutcomeChip outcome={summary.outcome} />}
      </Box>
      <Box
        sx={{
          display: 'flex',
          columnGap: 3,
          rowGap: 1.5,
          flexWrap: 'wrap',
          mt: 1.75,
          px: 2,
          py: 1.25,
          border: 1,
          borderColor: 'divider',
          borderRadius: 2.5,
          bgcolor: 'background.paper',
        }}
      >
        <Meta label="Amount">
          <Mono sx={{ fontWeight: 650, fontSize: 14 }}>{formatMoney(summary.amountKes)}</Mono>
        </Meta>
        <Meta label="Customer">
          <Typography variant="body2" sx={{ fontWeight: 550, maxWidth: 200 }} noWrap title={summary.customerName ?? summary.customerRef}>
            {summary.customerName ?? summary.customerRef}
          </Typography>
        </Meta>
        <Meta label="Risk score">
          <ScoreBar points={normaliseScore(summary.riskScore)} width={64} />
        </Meta>
        <Meta label="Engine decision">
          <DecisionChip decision={summary.openingDecision} />
        </Meta>
        <Meta label="SLA">
          <SlaChip dueAt={summary.slaDueAt} closedAt={summary.closedAt} />
        </Meta>
        <Meta label="Opened">
          <TimeAgo value={summary.createdAt} />
        </Meta>
        <Meta label="Assignee">
          <Box data-testid="case-assignee">
            <Assignee name={summary.assigneeName} />
          </Box>
        </Meta>
        <Meta label="Queue">
          <Typography variant="body2">{humanise(summary.queue)}</Typography>
        </Meta>
        <Divider orientation="vertical" flexItem />
        <Meta label="Version">
          <Tooltip title={`Last changed ${formatEat(summary.updatedAt)}`}>
            <Mono data-testid="case-version" sx={{ color: 'text.secondary' }}>
              v{summary.version}
            </Mono>
          </Tooltip>
        </Meta>
      </Box>
    </Box>
  );
}
