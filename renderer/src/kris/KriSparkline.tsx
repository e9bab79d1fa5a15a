// A tiny trend for KRI cards: an SVG line (dozens of cards cost no chart instances) over a faint
// band beyond the warning threshold, the last point coloured by its band.
import Box from '@mui/material/Box';
import { alpha, useTheme } from '@mui/material/styles';
import { evaluateKri } from '../../../shared/src/kris.ts';
import { bandColour, trendRange, type KriTrendPoint, type KriTrendSubject } from './kriTrendOption.ts';

export function KriSparkline({
  kri,
  points,
  width = 132,
  height = 36,
}: {
  kri: KriTrendSubject;
  points: readonly KriTrendPoint[];
  width?: number;
  height?: number;
}) {
  const theme = useTheme();
  const sorted = [...points]
    .filter((p) => Number.isFinite(p.value) && Number.isFinite(Date.parse(p.measuredAt)))
    .sort((a, b) => Date.parse(a.measuredAt) - Date.parse(b.measuredAt));
  if (sorted.length === 0) return <Box sx={{ width, height }} aria-hidden />;
  const { min, max } = trendRange(
    kri,
    sorted.map((p) => p.value),
  );
  const first = Date.parse(sorted[0]!.measuredAt);
  const last = Date.parse(sorted[sorted.length - 1]!.measuredAt);
  const x = (at: string) => (last === first ? width / 2 : 3 + ((Date.parse(at) - first) / (last - first)) * (width - 6));
  const y = (value: number) => height - 3 - ((value - min) / (max - min || 1)) * (height - 6);
  const warningY = y(kri.thresholdWarning);
  const worse = kri.direction === 'HIGHER_IS_WORSE';
  const end = sorted[sorted.length - 1]!;
  const endColour = bandColour(evaluateKri(kri.direction, kri.thresholdWarning, kri.thresholdCritical, end.value), theme);
  const line = theme.palette.mode === 'dark' ? '#cbd5e1' : '#475569';
  return (
    <Box component="svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden sx={{ display: 'block', overflow: 'visible' }}>
      <rect
        x={0}
        width={width}
        y={worse ? 0 : warningY}
        height={Math.max(0, worse ? warningY : height - warningY)}
        fill={alpha(theme.palette.status.warning, theme.palette.mode === 'dark' ? 0.14 : 0.1)}
      />
      <polyline
        points={sorted.map((p) => `${x(p.measuredAt).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}
        fill="none"
        stroke={line}
        strokeWidth={1.5}
        strokeLinejoin="round"
      />
      <circle cx={x(end.measuredAt)} cy={y(end.value)} r={3} fill={endColour} />
    </Box>
  );
}
