import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import ExpandLess from '@mui/icons-material/ExpandLess';
import ExpandMore from '@mui/icons-material/ExpandMore';
import type { Assessment, RiskFactor } from '../../../shared/src/assessments.ts';
import { humanise, scorePoints } from '../lib/format.ts';
import { DecisionChip, RiskChip, RuleOutcomeChip } from '../ui/chips.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';

function points(contribution: number): string {
  const value = contribution * 100;
  return `+${value >= 10 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')}`;
}

function FactorRow({ factor, total }: { factor: RiskFactor; total: number }) {
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
          {points(factor.contribution)} pts
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
  const score = scorePoints(assessment.riskScore ?? 0);
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
        <FactorRow key={factor.ruleId} factor={factor} total={total} />
      ))}

      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, pt: 1.5, borderTop: 2, borderColor: 'divider' }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          Total risk score
        </Typography>
        <RiskChip level={level} />
        <Mono data-testid="risk-total-score" sx={{ fontSize: 16, fontWeight: 700, width: 64, textAlign: 'right' }}>
          {score}
          <Box component="span" sx={{ color: 'text.secondary', fontWeight: 500, fontSize: 12 }}>
            /100
          </Box>
        </Mono>
      </Box>

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
