// Every assessment of a risk, newest first, each with the level it got on the matrix version it
// froze (so a later matrix edit never rewrites history) and the date.
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { RiskAssessment } from '../../../shared/src/risk-register.ts';
import type { ApiError } from '../api/client.ts';
import { formatEat, formatEatMinutes } from '../lib/format.ts';
import { ErrorState, SectionCard } from '../ui/layout.tsx';
import { LevelChip } from './riskChips.tsx';

export function AssessmentHistoryCard({
  assessments,
  error,
  onRetry,
}: {
  assessments: readonly RiskAssessment[] | undefined;
  error: ApiError | null;
  onRetry: () => void;
}) {
  return (
    <SectionCard title="Assessment history" subtitle="Each scored on the matrix version it froze" testId="assessment-history">
      {error && <ErrorState error={error} onRetry={onRetry} title="Could not load the assessments" />}
      {assessments && assessments.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Not assessed yet.
        </Typography>
      )}
      <Box component="ol" sx={{ m: 0, p: 0, listStyle: 'none', display: 'grid', gap: 1.25 }}>
        {(assessments ?? []).map((a) => (
          <Box component="li" key={a.id} sx={{ borderLeft: 3, borderColor: a.residual.level.colour, pl: 1.25 }} data-testid="assessment-row">
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <Tooltip title={formatEat(a.assessedAt)}>
                <Typography variant="body2" sx={{ fontWeight: 650 }}>
                  {formatEatMinutes(a.assessedAt)}
                </Typography>
              </Tooltip>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {a.assessedByName} · matrix v{a.matrixVersionNumber}
              </Typography>
            </Box>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, flexWrap: 'wrap', mt: 0.5 }}>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                Inherent
              </Typography>
              <LevelChip level={a.inherent.level} score={a.inherent.score} />
              {a.current && (
                <>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    Current
                  </Typography>
                  <LevelChip level={a.current.level} score={a.current.score} />
                </>
              )}
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                Residual
              </Typography>
              <LevelChip level={a.residual.level} score={a.residual.score} />
            </Box>
            {a.note && (
              <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {a.note}
              </Typography>
            )}
          </Box>
        ))}
      </Box>
    </SectionCard>
  );
}
