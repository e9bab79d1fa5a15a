import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import ExpandLess from '@mui/icons-material/ExpandLess';
import ExpandMore from '@mui/icons-material/ExpandMore';
import Tooltip from '@mui/material/Tooltip';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import type { Assessment, RiskFactor } from '../../../shared/src/assessments.ts';
import { explainRiskScore, type ScoreLine } from '../../../shared/src/risk-score.ts';
import { humanise } from '../lib/format.ts';
import { DecisionChip, RiskChip, RuleOutcomeChip } from '../ui/chips.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';

/** Signed whole points, as every line of the score explanation shows them (they add up to the total). */
function signed(points: number): string {
  return points < 0 ? `−${Math.abs(points)}` : `+${points}`;
}

function AdjustmentRow({ line }: { line: ScoreLine }) {
  return (
    <Box
      data-testid="risk-adjustment"
      data-kind={line.kind}
      sx={{ display: 'flex', alignItems: 'center', gap: 1.5, py: 0.75, borderTop: 1, borderColor: 'divider' }}
    >
      <Typography variant="body2" sx={{ flex: 1, minWidth: 0, color: 'text.secondary' }}>
        {line.label}
      </Typography>
      <Mono data-testid="risk-adjustment-points" sx={{ width: 64, textAlign: 'right', fontWeight: 600, fontSize: 12.5 }}>
        {signed(line.points)} pts
      </Mono>
    </Box>
  );
}

function FactorRow({ factor, total, points }: { factor: RiskFactor; total: number; points: number }) {
  const theme = useTheme();
  const colour = factor.outcome === 'ERROR' ? theme.palette.status.warning : theme.palette.risk.HIGH;
  // Bar length is this rule's share of the final score, so the bars of all hits add up to the total.
  const share = total > 0 ? Math.min(100, (factor.contribution / total) * 100) : 0;
  return (
    <Box data-testid="risk-factor" data-rule-id={factor.ruleId} sx={{ py: 1.25, borderTop: 1, borderColor: 'divider' }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="body2" sx={{ fontWeight: 600, flex: 1, minWidth: 0 }} noWrap>
          {factor.name}
        </Typography>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {humanise(factor.family)}
        </Typography>
        <RuleOutcomeChip outcome={factor.outcome} />
      </Box>
      <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25, mb: 0.75 }}>
        {factor.explanation}
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
        <Box sx={{ flex: 1, height: 8, borderRadius: 4, bgcolor: alpha(colour, 0.12), overflow: 'hidden' }}>
          <Box sx={{ width: `${Math.max(share, factor.contribution > 0 ? 1.5 : 0)}%`, height: '100%', borderRadius: 4, bgcolor: colour }} />
        </Box>
        <Mono data-testid="risk-factor-contribution" sx={{ width: 64, textAlign: 'right', fontWeight: 600, fontSize: 12.5 }}>
          {signed(points)} pts
        </Mono>
      </Box>
    </Box>
  );
}

/** Why the engine flagged the payment: each rule that fired, what it saw, and how much it added. */
export function RiskFactorsCard({ assessment }: { assessment: Assessment }) {
  const theme = useTheme();
  const [showQuiet, setShowQuiet] = useState(false);
  const sorted = [...assessment.riskFactors].sort((a, b) => b.contribution - a.contribution);
  // Skipped rules (not evaluated once the decision was settled) are listed with the quiet ones.
  const fired = sorted.filter((f) => f.outcome === 'HIT' || f.outcome === 'ERROR' || f.contribution > 0);
  const quiet = sorted.filter((f) => !fired.includes(f));
  const total = fired.reduce((sum, f) => sum + Math.max(0, f.contribution), 0);
  // A case is only opened by a completed assessment, which always has a score, level and decision.
  // One explanation (shared/src/risk-score.ts): rule points + cap/rounding/engine lines = the total.
  const explained = explainRiskScore(assessment);
  const pointsOf = new Map(explained.rules.map((r) => [r.ruleId, r.points]));
  const score = explained.total;
  const level = assessment.riskLevel ?? 'LOW';
  // The engine's own reason stays readable after an analyst's decision replaces `decisionReason`.
  const engineReason = assessment.engineDecisionReason;

  return (
    <SectionCard
      title="Why it was flagged"
      subtitle={`${fired.length} of ${assessment.riskFactors.length} rules contributed`}
      action={assessment.engineDecision && <DecisionChip decision={assessment.engineDecision} />}
      testId="risk-factors-card"
    >
      <Box
        sx={{
          px: 1.5,
          py: 1.25,
          mb: 1.5,
          borderRadius: 2,
          bgcolor: alpha(theme.palette.risk[level], theme.palette.mode === 'dark' ? 0.12 : 0.06),
          borderLeft: 3,
          borderColor: theme.palette.risk[level],
        }}
      >
        <Typography variant="body2" data-testid="decision-reason-text">
          {engineReason}
        </Typography>
      </Box>

      {fired.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary', py: 1 }}>
          No rule fired on this payment.
        </Typography>
      )}
      {fired.map((factor) => (
        <FactorRow key={factor.ruleId} factor={factor} total={total} points={pointsOf.get(factor.ruleId) ?? 0} />
      ))}
      {explained.adjustments.map((line) => (
        <AdjustmentRow key={line.kind} line={line} />
      ))}

      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, pt: 1.5, borderTop: 2, borderColor: 'divider' }}>
        <Typography variant="subtitle2" sx={{ flex: 1, display: 'flex', alignItems: 'center', gap: 0.5 }}>
          Total risk score
          <Tooltip title={explained.summary}>
            <InfoOutlined sx={{ fontSize: 16, color: 'text.secondary' }} aria-label={`How the score is computed: ${explained.summary}`} />
          </Tooltip>
        </Typography>
        <RiskChip level={level} />
        <Mono data-testid="risk-total-score" sx={{ fontSize: 16, fontWeight: 700, width: 64, textAlign: 'right' }}>
          {score}
          <Box component="span" sx={{ color: 'text.secondary', fontWeight: 500, fontSize: 12 }}>
            /100
          </Box>
        </Mono>
      </Box>

      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.5 }} data-testid="risk-score-summary">
        {explained.summary}
      </Typography>

      {quiet.length > 0 && (
        <Box sx={{ mt: 1 }}>
          <Button
            size="small"
            onClick={() => setShowQuiet((v) => !v)}
            endIcon={showQuiet ? <ExpandLess fontSize="small" /> : <ExpandMore fontSize="small" />}
            sx={{ color: 'text.secondary', ml: -1 }}
          >
            {quiet.length} other {quiet.length === 1 ? 'rule' : 'rules'} without a hit
          </Button>
          <Collapse in={showQuiet} unmountOnExit>
            <Box sx={{ display: 'grid', gap: 1, pt: 0.5 }}>
              {quiet.map((f) => (
                <Box key={f.ruleId} data-testid="risk-factor-quiet" sx={{ display: 'flex', alignItems: 'baseline', gap: 1 }}>
                  <Box sx={{ flex: 1, minWidth: 0 }}>
                    <Typography variant="body2" sx={{ fontWeight: 550 }}>
                      {f.name}{' '}
                      <Typography component="span" variant="caption" sx={{ color: 'text.secondary' }}>
                        · {humanise(f.family)}
                      </Typography>
                    </Typography>
                    <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                      {f.explanation}
                    </Typography>
                  </Box>
                  <RuleOutcomeChip outcome={f.outcome} />
                </Box>
              ))}
            </Box>
          </Collapse>
        </Box>
      )}
    </SectionCard>
  );
}
