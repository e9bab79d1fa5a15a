// ECharts through echarts/core with only the pieces the overview uses, so the chart chunk stays small.
import { useEffect, useRef } from 'react';
import Box from '@mui/material/Box';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkAreaComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Mark areas and lines draw the KRI threshold bands (renderer/src/kris/KriTrendChart.tsx).
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, MarkAreaComponent, MarkLineComponent, CanvasRenderer]);

/** What a click on a chart element reports: which series and which data item. */
export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
  name: string;
}

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | MarkAreaComponentOption
  | MarkLineComponentOption
>;

/**
 * A chart that fills its box, follows its option (theme changes included) and resizes with the
 * layout. With `onClick`, a click on a bar, point or slice reports it (drill-down, issue 15).
 */
export function EChart({
  option,
  height,
  ariaLabel,
  testId,
  onClick,
}: {
  option: ChartOption;
  height: number;
  ariaLabel: string;
  testId?: string;
  onClick?: (click: ChartClick) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  // The latest handler, so a re-render does not re-bind the chart's event listener.
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, null, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (event) => {
      const handler = clickRef.current;
      if (handler && typeof event.dataIndex === 'number') handler({ seriesIndex: event.seriesIndex ?? 0, dataIndex: event.dataIndex, name: event.name });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <Box ref={container} role="img" aria-label={ariaLabel} data-testid={testId} data-clickable={onClick ? 'true' : undefined} sx={{ width: '100%', height }} />
  );
}
