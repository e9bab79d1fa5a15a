import { useSearchParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { AssessmentMonitor } from '../decision-engine/monitor/AssessmentMonitor.tsx';
import { PageHeader } from '../ui/layout.tsx';
import { DRILL_KEYS, drillChipLabel, parseDrill, type DrillKey } from './drillFilters.ts';

/**
 * Every payment the scoring engine has assessed: the decision engine's live monitor on its own
 * screen. Opened from a dashboard figure (issue 15), the figure's filters come in the URL and show
 * as removable chips; the list then holds exactly the rows the figure counted.
 */
export function AssessmentsPage() {
  const [params, setParams] = useSearchParams();
  const { filters, ignored } = parseDrill(params);
  const pinned = DRILL_KEYS.filter((key) => filters[key] !== undefined);
  const remove = (keys: readonly DrillKey[]) => {
    const next = new URLSearchParams(params);
    for (const key of keys) next.delete(key);
    setParams(next);
  };
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%', px: 2.5, pt: 2.5, pb: 2 }}>
      <PageHeader title="Assessments" subtitle="Every payment the scoring engine has assessed, live" />
      {(pinned.length > 0 || ignored.length > 0) && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1.5 }} data-testid="drill-chips">
          <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
            From the dashboard:
          </Typography>
          {pinned.map((key) => (
            <Chip
              key={key}
              size="small"
              color="primary"
              variant="outlined"
              label={drillChipLabel(key, filters[key] as string | number)}
              onDelete={() => remove([key])}
              data-testid={`drill-chip-${key}`}
            />
          ))}
          {pinned.length > 1 && (
            <Button size="small" onClick={() => remove(DRILL_KEYS)} data-testid="drill-clear">
              Remove all
            </Button>
          )}
          {ignored.length > 0 && (
            <Alert severity="warning" sx={{ py: 0 }} onClose={() => remove(ignored)} data-testid="drill-ignored">
              Not applied (not a valid value): {ignored.join(', ')}
            </Alert>
          )}
        </Box>
      )}
      {/* A new set of drill filters is a new list: page 1, no leftover selection. */}
      <AssessmentMonitor key={JSON.stringify(filters)} drill={filters} />
    </Box>
  );
}
