import Box from '@mui/material/Box';
import { AssessmentMonitor } from '../decision-engine/monitor/AssessmentMonitor.tsx';
import { PageHeader } from '../ui/layout.tsx';

/** Every payment the scoring engine has assessed: the decision engine's live monitor on its own screen. */
export function AssessmentsPage() {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%', px: 2.5, pt: 2.5, pb: 2 }}>
      <PageHeader title="Assessments" subtitle="Every payment the scoring engine has assessed, live" />
      <AssessmentMonitor />
    </Box>
  );
}
