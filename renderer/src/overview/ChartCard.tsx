import type React from 'react';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import { CardHeading } from '../ui/layout.tsx';
import { EChart, type ChartClick, type ChartOption } from './EChart.tsx';

export const CHART_HEIGHT = 214;

/** A titled chart card; with `empty`, a quiet placeholder instead of an empty chart. */
export function ChartCard({
  title,
  subtitle,
  option,
  label,
  testId,
  empty,
  emptyTitle = 'Nothing to chart yet today',
  emptyBody = 'Counts since 00:00 EAT appear as payments are scored',
  height = CHART_HEIGHT,
  onClick,
  actions,
}: {
  title: string;
  subtitle?: string;
  option: ChartOption;
  label: string;
  testId: string;
  empty?: boolean;
  emptyTitle?: string;
  emptyBody?: string;
  height?: number;
  /** A click on a bar, point or region (drill-down to the list behind it). */
  onClick?: (click: ChartClick) => void;
  /** Controls beside the title (e.g. a dimension selector). */
  actions?: React.ReactNode;
}) {
  return (
    <Card sx={{ px: 2, pt: 1.75, pb: 1.5, minWidth: 0 }}>
      {actions ? (
        <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1 }}>
          <CardHeading title={title} subtitle={subtitle} sx={{ flex: 1, minWidth: 0 }} />
          {actions}
        </Box>
      ) : (
        <CardHeading title={title} subtitle={subtitle} />
      )}
      <Box sx={{ mt: 1 }}>
        {empty ? (
          <Box
            data-testid={testId}
            sx={{ height, display: 'grid', placeItems: 'center', border: 1, borderStyle: 'dashed', borderColor: 'divider', borderRadius: 2 }}
          >
            <Box sx={{ textAlign: 'center', color: 'text.secondary' }}>
              <InsightsOutlined sx={{ color: 'text.disabled', mb: 0.5 }} />
              <Typography variant="body2">{emptyTitle}</Typography>
              <Typography variant="caption" sx={{ color: 'text.disabled' }}>
                {emptyBody}
              </Typography>
            </Box>
          </Box>
        ) : (
          <EChart option={option} height={height} ariaLabel={label} testId={testId} onClick={onClick} />
        )}
      </Box>
    </Card>
  );
}
