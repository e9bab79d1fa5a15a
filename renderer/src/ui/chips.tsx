// Every status in the product is a small chip with the same shape; colour carries meaning:
// risk (green → deep red), case state, engine decision and final outcome.
import Chip, { type ChipProps } from '@mui/material/Chip';
import Box from '@mui/material/Box';
import { alpha, useTheme, type Theme } from '@mui/material/styles';
import type { Decision, RiskLevel, RuleOutcome } from '../../../shared/src/assessments.ts';
import type { CaseOutcome, CaseState } from '../../../shared/src/cases.ts';

export function softChipSx(color: string, theme: Theme) {
  return {
    color,
    backgroundColor: alpha(color, theme.palette.mode === 'dark' ? 0.16 : 0.09),
    border: `1px solid ${alpha(color, theme.palette.mode === 'dark' ? 0.34 : 0.26)}`,
    '& .MuiChip-icon': { color, marginLeft: '6px', marginRight: '-2px' },
  } as const;
}

function Dot({ color }: { color: string }) {
  return <Box component="span" sx={{ width: 7, height: 7, borderRadius: '50%', bgcolor: color, flexShrink: 0 }} />;
}

type SmallChipProps = Omit<ChipProps, 'color' | 'label' | 'sx'> & { 'data-testid'?: string };

const RISK_LABELS: Record<RiskLevel, string> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', CRITICAL: 'Critical' };

export function RiskChip({ level, ...rest }: { level: RiskLevel } & SmallChipProps) {
  const theme = useTheme();
  const color = theme.palette.risk[level];
  if (level === 'CRITICAL') {
    // Critical is the one level that must jump out of a dense queue: solid, not soft.
    const solid = theme.palette.mode === 'dark' ? '#be123c' : color;
    return (
      <Chip
        icon={<Dot color="#ffffff" />}
        label={RISK_LABELS[level]}
        data-risk-level={level}
        {...rest}
        sx={{ color: '#fff', backgroundColor: solid, border: `1px solid ${solid}`, '& .MuiChip-icon': { ml: '6px', mr: '-2px' } }}
      />
    );
  }
  return <Chip icon={<Dot color={color} />} label={RISK_LABELS[level]} data-risk-level={level} {...rest} sx={softChipSx(color, theme)} />;
}

export const CASE_STATE_LABELS: Record<CaseState, string> = {
  NEW: 'New',
  ASSIGNED: 'Assigned',
  IN_PROGRESS: 'In progress',
  PENDING_INFO: 'Pending info',
  ESCALATED: 'Escalated',
  AWAITING_APPROVAL: 'Awaiting approval',
  CLOSED: 'Closed',
};

function caseStateColour(state: CaseState, theme: Theme): string {
  switch (state) {
    case 'NEW':
      return theme.palette.status.info;
    case 'ASSIGNED':
    case 'IN_PROGRESS':
      return theme.palette.primary.main;
    case 'PENDING_INFO':
    case 'AWAITING_APPROVAL':
      return theme.palette.mode === 'dark' ? '#c4b5fd' : '#6d28d9';
    case 'ESCALATED':
      return theme.palette.status.warning;
    case 'CLOSED':
      return theme.palette.status.neutral;
  }
}

export function CaseStateChip({ state, ...rest }: { state: CaseState } & SmallChipProps) {
  const theme = useTheme();
  return <Chip label={CASE_STATE_LABELS[state]} data-state={state} {...rest} sx={softChipSx(caseStateColour(state, theme), theme)} />;
}

export const DECISION_LABELS: Record<Decision, string> = {
  APPROVE: 'Approve',
  REJECT: 'Reject',
  MANUAL_REVIEW: 'Manual review',
  HOLD: 'Hold',
  ESCALATE: 'Escalate',
};

export function decisionColour(decision: Decision, theme: Theme): string {
  switch (decision) {
    case 'APPROVE':
      return theme.palette.status.success;
    case 'REJECT':
      return theme.palette.status.danger;
    case 'MANUAL_REVIEW':
      return theme.palette.status.info;
    case 'HOLD':
      return theme.palette.risk.HIGH;
    case 'ESCALATE':
      return theme.palette.mode === 'dark' ? '#c4b5fd' : '#6d28d9';
  }
}

export function DecisionChip({ decision, ...rest }: { decision: Decision } & SmallChipProps) {
  const theme = useTheme();
  return <Chip label={DECISION_LABELS[decision]} {...rest} sx={softChipSx(decisionColour(decision, theme), theme)} />;
}

export function OutcomeChip({ outcome, ...rest }: { outcome: CaseOutcome } & SmallChipProps) {
  const theme = useTheme();
  const color = outcome === 'APPROVED' ? theme.palette.status.success : theme.palette.status.danger;
  return <Chip label={outcome === 'APPROVED' ? 'Approved' : 'Blocked'} {...rest} sx={softChipSx(color, theme)} />;
}

const RULE_OUTCOME_LABELS: Record<RuleOutcome, string> = {
  HIT: 'Hit',
  NO_HIT: 'No hit',
  ERROR: 'Error',
  SKIPPED: 'Skipped',
  // Short, like the others (the rule log's chip column is narrow); the explanation says what was missing.
  NOT_EVALUATED: 'Not run',
};

export function RuleOutcomeChip({ outcome }: { outcome: RuleOutcome }) {
  const theme = useTheme();
  const color = outcome === 'HIT' ? theme.palette.status.danger : outcome === 'ERROR' ? theme.palette.status.warning : theme.palette.status.neutral;
  const label = RULE_OUTCOME_LABELS[outcome];
  return (
    <Chip
      label={label}
      title={outcome === 'NOT_EVALUATED' ? 'Not evaluated: the payment lacks what this rule reads' : undefined}
      data-outcome={outcome}
      sx={[
        softChipSx(color, theme),
        { height: 20, fontSize: 11 },
        outcome === 'SKIPPED' || outcome === 'NOT_EVALUATED' ? { borderStyle: 'dashed', opacity: 0.85 } : {},
      ]}
    />
  );
}

/** A neutral chip for plain labels (channel, family, segment). */
export function TagChip({ label, ...rest }: { label: string } & SmallChipProps) {
  const theme = useTheme();
  return <Chip label={label} {...rest} sx={[softChipSx(theme.palette.status.neutral, theme), { fontWeight: 550 }]} />;
}
