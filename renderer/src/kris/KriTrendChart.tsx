// A KRI's trend with its warning and critical threshold bands, in the KRI's direction. Reused on
// the risk detail page (renderer/src/risks/**) for each linked KRI, and on the KRI detail page.
import { useMemo } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import { EChart } from '../overview/EChart.tsx';
import { kriTrendOption, type KriTrendPoint, type KriTrendSubject } from './kriTrendOption.ts';

export type { KriTrendPoint, KriTrendSubject };

export function KriTrendChart({
  kri,
  measurements,
  height = 240,
  compact = false,
  testId = 'kri-trend-chart',
  label,
}: {
  kri: KriTrendSubject & { name?: string };
  measurements: readonly KriTrendPoint[];
  height?: number;
  /** Smaller marks and no threshold labels, for cards and the risk page. */
  compact?: boolean;
  testId?: string;
  label?: string;
}) {
  const theme = useTheme();
  const option = useMemo(() => kriTrendOption(kri, measurements, theme, { compact }), [kri, measurements, theme, compact]);
  if (measurements.length === 0) {
    return (
      <Box
        data-testid={testId}
        data-empty="true"
        sx={{ height, display: 'grid', placeItems: 'center', border: 1, borderStyle: 'dashed', borderColor: 'divider', borderRadius: 2 }}
      >
        <Box sx={{ textAlign: 'center', color: 'text.secondary' }}>
          <InsightsOutlined sx={{ color: 'text.disabled', mb: 0.5 }} />
          <Typography variant="body2">No measurements yet</Typography>
        </Box>
      </Box>
    );
  }
  return <EChart option={option} height={height} ariaLabel={label ?? `Trend of ${kri.name ?? 'the KRI'} with its threshold bands`} testId={testId} />;
}
