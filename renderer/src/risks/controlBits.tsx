// Small pieces the control screens share: the next-test cell with overdue flagged.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { Control } from '../../../shared/src/risk-register.ts';
import { ToneChip } from './riskChips.tsx';
import { formatDay } from './riskText.ts';

export function NextTest({ control }: { control: Pick<Control, 'nextTestDue' | 'testOverdue' | 'lastTestedAt'> }) {
  if (!control.nextTestDue) {
    return control.testOverdue ? <ToneChip label="Never tested" tone="danger" testId="test-overdue" /> : <Typography variant="body2">—</Typography>;
  }
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }} data-overdue={control.testOverdue}>
      <Typography variant="body2" sx={{ color: control.testOverdue ? 'error.main' : 'text.primary', fontWeight: control.testOverdue ? 650 : 400 }}>
        {formatDay(control.nextTestDue)}
      </Typography>
      {control.testOverdue && <ToneChip label="Overdue" tone="danger" testId="test-overdue" />}
    </Box>
  );
}
