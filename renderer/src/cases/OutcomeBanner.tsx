import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { formatEat } from '../lib/format.ts';
import { reasonLabel, type DecisionRecord } from './caseDetailModel.ts';

/** The closed case's outcome: approved or blocked, why, by whom and when. */
export function OutcomeBanner({ summary, decision }: { summary: CaseSummary; decision: DecisionRecord }) {
  const theme = useTheme();
  const blocked = summary.outcome === 'BLOCKED';
  const colour = summary.outcome ? (blocked ? theme.palette.status.danger : theme.palette.status.success) : theme.palette.status.neutral;
  const title = summary.outcome ? (blocked ? 'Payment blocked' : 'Payment approved') : 'Case closed';
  const reason = reasonLabel(summary.reasonCode);
  return (
    <Box
      role="status"
      data-testid="case-outcome"
      data-outcome={summary.outcome ?? 'CLOSED'}
      sx={{
        display: 'flex',
        gap: 1.75,
        alignItems: 'flex-start',
        p: 2,
        mb: 2,
        borderRadius: 2.5,
        border: `1px solid ${alpha(colour, 0.35)}`,
        bgcolor: alpha(colour, theme.palette.mode === 'dark' ? 0.12 : 0.06),
      }}
    >
      <Box sx={{ color: colour, mt: '2px' }}>{blocked ? <BlockOutlined /> : <TaskAltOutlined />}</Box>
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="subtitle1" sx={{ color: colour }}>
          {title}
          {reason && (
            <Box component="span" sx={{ color: 'text.primary', fontWeight: 600 }}>
              {' '}
              — {reason}
            </Box>
          )}
        </Typography>
        {decision.note && (
          <Typography variant="body2" sx={{ mt: 0.5, fontStyle: 'italic' }}>
            “{decision.note}”
          </Typography>
        )}
        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 0.5 }} data-testid="case-outcome-by">
          {decision.who ? `Decided by ${decision.who}` : 'Decided'}
          {decision.approvedBy ? ` · four-eyes approval by ${decision.approvedBy}` : ''}
          {decision.when ? ` · ${formatEat(decision.when)}` : ''}
        </Typography>
      </Box>
    </Box>
  );
}
