// A risk's three scores side by side (inherent, current, residual) and the explanation of the
// residual: which linked control took how much off which axis.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import type { ResidualExplanation, RiskMatrixDefinition, RiskScore } from '../../../shared/src/risk-register.ts';
import { readableOn, scaleName } from './matrix.ts';
import { EFFECTIVENESS_TONE, humanise, ToneChip } from './riskChips.tsx';
import { CONTROL_TYPE_LABELS } from './riskText.ts';

function ScoreTile({
  label,
  score,
  matrix,
  hint,
  testId,
}: {
  label: string;
  score: RiskScore | null;
  matrix: RiskMatrixDefinition | null;
  hint: string;
  testId: string;
}) {
  const theme = useTheme();
  const colour = score?.level.colour ?? theme.palette.status.neutral;
  return (
    <Box
      data-testid={testId}
      data-level={score?.level.key ?? ''}
      data-score={score?.score ?? ''}
      sx={{
        flex: '1 1 160px',
        minWidth: 150,
        borderRadius: 2,
        border: 1,
        borderColor: alpha(colour, 0.5),
        bgcolor: alpha(colour, theme.palette.mode === 'dark' ? 0.14 : 0.07),
        p: 1.5,
      }}
    >
      <Typography variant="overline" sx={{ color: 'text.secondary', lineHeight: 1.4 }}>
        {label}
      </Typography>
      {score ? (
        <>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.25 }}>
            <Box sx={{ px: 1, py: 0.25, borderRadius: 1, bgcolor: colour, color: readableOn(colour), fontWeight: 700, fontSize: 14 }}>{score.level.name}</Box>
            <Typography variant="h5" component="span" sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: 700 }}>
              {score.score}
            </Typography>
          </Box>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.5 }}>
            L{score.likelihood} {matrix ? scaleName(matrix.likelihood, score.likelihood) : ''} × I{score.impact}{' '}
            {matrix ? scaleName(matrix.impact, score.impact) : ''}
          </Typography>
        </>
      ) : (
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5 }}>
          {hint}
        </Typography>
      )}
    </Box>
  );
}

export function RiskScores({
  inherent,
  current,
  residual,
  matrix,
}: {
  inherent: RiskScore | null;
  current: RiskScore | null;
  residual: RiskScore | null;
  matrix: RiskMatrixDefinition | null;
}) {
  return (
    <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }}>
      <ScoreTile label="Inherent" score={inherent} matrix={matrix} hint="Not assessed yet" testId="score-inherent" />
      <ScoreTile label="Current" score={current} matrix={matrix} hint={inherent ? 'Not judged separately' : 'Not assessed yet'} testId="score-current" />
      <ScoreTile label="Residual (derived)" score={residual} matrix={matrix} hint="Follows from the assessment and the controls" testId="score-residual" />
    </Box>
  );
}

function stepsText(axis: string, steps: number): string {
  return steps > 0 ? `${axis} −${steps}` : `${axis} unchanged`;
}

export function ResidualExplanationView({ explanation }: { explanation: ResidualExplanation | null }) {
  if (!explanation) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        Record an assessment to derive the residual score from the linked controls.
      </Typography>
    );
  }
  const { likelihoodSteps, impactSteps, controls } = explanation;
  return (
    <Box data-testid="residual-explanation">
      <Typography variant="body2" sx={{ mb: 1 }}>
        From inherent L{explanation.inherentLikelihood} × I{explanation.inherentImpact}: {stepsText('likelihood', likelihoodSteps)},{' '}
        {stepsText('impact', impactSteps)}
        {controls.length === 0 ? ' (no linked controls)' : ''}.
      </Typography>
      {controls.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none', display: 'grid', gap: 0.75 }}>
          {controls.map((c) => (
            <Box
              component="li"
              key={c.controlId}
              sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}
              data-testid={`residual-control-${c.reference}`}
            >
              <Typography variant="body2" sx={{ fontWeight: 600, minWidth: 0 }} noWrap title={c.name}>
                {c.reference} {c.name}
              </Typography>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {CONTROL_TYPE_LABELS[c.type]} → {c.axis === 'LIKELIHOOD' ? 'likelihood' : 'impact'}
              </Typography>
              <ToneChip label={humanise(c.effectiveness)} tone={EFFECTIVENESS_TONE[c.effectiveness] ?? 'neutral'} />
              <Typography variant="caption" sx={{ fontWeight: 650, color: c.credit > 0 ? 'success.main' : 'text.secondary' }}>
                {c.credit > 0 ? `−${c.credit} step${c.credit === 1 ? '' : 's'}` : 'no reduction'}
              </Typography>
            </Box>
          ))}
        </Box>
      )}
      {explanation.lines.length > 0 && (
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 1 }}>
          Steps per axis are the sum of the credits, rounded down; a score never goes below 1.
        </Typography>
      )}
    </Box>
  );
}
