// One label/value pair of a detail page's facts grid (the parent is a two-column CSS grid); long
// values (ids, URIs) wrap anywhere instead of widening the page.
import type { ReactNode } from 'react';
import Typography from '@mui/material/Typography';

export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="body2" component="div" sx={{ minWidth: 0, overflowWrap: 'anywhere' }} data-testid={testId}>
        {children}
      </Typography>
    </>
  );
}
