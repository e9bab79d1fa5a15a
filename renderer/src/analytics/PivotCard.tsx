// The pivot (issue 15): assessments, value, flagged share and case outcomes by one dimension, as a
// bar chart and a table; county also as a map of Kenya. Every bar, row and tile opens the payments behind it.
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { useTheme } from '@mui/material/styles';
import { PivotDimension, type DrillTarget, type PivotRow } from '../../../shared/src/analytics.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { formatCount, formatMoneyCompact } from '../lib/format.ts';
import { EChart } from '../overview/EChart.tsx';
import { CardHeading, CardSkeleton, ErrorState } from '../ui/layout.tsx';
import { fetchPivot } from './analyticsApi.ts';
import { pivotOption } from './analyticsOptions.ts';
import { CountyTileMap } from './CountyTileMap.tsx';
import { FigureTable, formatShare, type FigureColumn } from './FigureTable.tsx';

export const DIMENSION_LABELS: Record<PivotDimension, string> = {
  channel: 'Channel',
  paymentType: 'Payment type',
  county: 'County',
  merchant: 'Merchant',
  rule: 'Rule',
  hour: 'Hour',
  weekday: 'Weekday',
  day: 'Day',
};

const COLUMNS: FigureColumn<PivotRow>[] = [
  { key: 'label', label: 'Value', render: (r) => r.label },
  { key: 'count', label: 'Assessed', numeric: true, render: (r) => formatCount(r.count) },
  { key: 'valueKes', label: 'Value (KES)', numeric: true, render: (r) => formatMoneyCompact(r.valueKes).replace('KES ', '') },
  { key: 'flagged', label: 'Flagged', numeric: true, render: (r) => formatCount(r.flagged) },
  { key: 'flaggedRate', label: 'Flagged %', numeric: true, render: (r) => formatShare(r.flaggedRate) },
  { key: 'confirmedFraud', label: 'Confirmed fraud', numeric: true, render: (r) => formatCount(r.confirmedFraud) },
  { key: 'falsePositive', label: 'False positives', numeric: true, render: (r) => formatCount(r.falsePositive) },
];

/** Chronological dimensions keep their order; the others show the largest first (the service's order). */
const CHART_ROWS = 20;

export function PivotCard({
  range,
  dimension,
  onDimension,
  drill,
}: {
  range: { from: string; to: string; tenantId?: string };
  dimension: PivotDimension;
  onDimension: (next: PivotDimension) => void;
  drill: (target: DrillTarget) => string | null;
}) {
  const theme = useTheme();
  const navigate = useNavigate();
  const [measure, setMeasure] = useState<'count' | 'flagged'>('count');
  const query = { ...range, dimension, limit: dimension === 'merchant' ? 100 : 200 };
  const key = JSON.stringify(query);
  const { data, error, loading, refetch } = useApiQuery(`pivot:${key}`, (signal) => fetchPivot(query, signal));
  const rows = data?.dimension === dimension ? data.rows : [];
  const chartRows = useMemo(() => rows.slice(0, CHART_ROWS), [rows]);
  const option = useMemo(() => pivotOption(chartRows, theme), [chartRows, theme]);
  const isCounty = dimension === 'county';
  return (
    <Card sx={{ px: 2, pt: 1.75, pb: 2, minWidth: 0 }} data-testid="pivot-card" data-dimension={data?.dimension}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, flexWrap: 'wrap', mb: 1 }}>
        <CardHeading
          title="Pivot"
          subtitle={
            data
              ? `${formatCount(rows.length)} ${DIMENSION_LABELS[dimension].toLowerCase()} values${rows.length > CHART_ROWS ? ` · chart shows the top ${CHART_ROWS}` : ''}${data.preAggregated ? ' · closed days from the daily rollup' : ''} · click a bar or row for its payments`
              : 'Assessments by one dimension'
          }
          sx={{ flex: 1, minWidth: 240 }}
        />
        <ToggleButtonGroup
          size="small"
          exclusive
          value={dimension}
          onChange={(_, next: PivotDimension | null) => next && onDimension(next)}
          aria-label="Pivot by"
          sx={{ flexWrap: 'wrap' }}
        >
          {PivotDimension.options.map((d) => (
            <ToggleButton key={d} value={d} data-testid={`pivot-${d}`} sx={{ textTransform: 'none', px: 1.25 }}>
              {DIMENSION_LABELS[d]}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      {error && <ErrorState error={error} onRetry={() => refetch()} title="Could not load the pivot" />}
      {loading && !data && <CardSkeleton height={260} />}
      {data && (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: isCounty ? '1fr 1fr' : '1fr' }, gap: 2, mb: 2 }}>
            {rows.length > 0 ? (
              <EChart
                option={option}
                height={260}
                ariaLabel={`Assessments by ${DIMENSION_LABELS[dimension].toLowerCase()}`}
                testId="pivot-chart"
                onClick={({ dataIndex }) => {
                  const target = chartRows[dataIndex]?.drill;
                  const href = target ? drill(target) : null;
                  if (href) void navigate(href);
                }}
              />
            ) : null}
            {isCounty && (
              <Box>
                <ToggleButtonGroup
                  size="small"
                  exclusive
                  value={measure}
                  onChange={(_, next: 'count' | 'flagged' | null) => next && setMeasure(next)}
                  sx={{ mb: 1 }}
                >
                  <ToggleButton value="count" sx={{ textTransform: 'none' }}>
                    Assessed
                  </ToggleButton>
                  <ToggleButton value="flagged" sx={{ textTransform: 'none' }}>
                    Flagged
                  </ToggleButton>
                </ToggleButtonGroup>
                <CountyTileMap
                  rows={rows}
                  measure={(r) => (measure === 'count' ? r.count : r.flagged)}
                  measureLabel={measure === 'count' ? 'assessed' : 'flagged'}
                  hrefFor={(r) => drill(r.drill)}
                />
              </Box>
            )}
          </Box>
          <FigureTable
            columns={[{ ...COLUMNS[0]!, label: DIMENSION_LABELS[dimension] }, ...COLUMNS.slice(1)]}
            rows={rows}
            rowKey={(r) => r.key}
            hrefFor={(r) => drill(r.drill)}
            testId="pivot-table"
            empty="No assessments in this range"
          />
        </>
      )}
    </Card>
  );
}
