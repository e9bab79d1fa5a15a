// The market model (seed 001): FX net open position by currency and the shorthand aggregate
// (the larger of the net long and net short totals), as a share of core capital when sent.
import { useMemo } from 'react';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useTheme } from '@mui/material/styles';
import type { MarketModelRun } from '../../../shared/src/risk-data-models.ts';
import { formatMoney } from '../lib/format.ts';
import { ChartCard } from '../overview/ChartCard.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { fxNetPositionOption, percentTrendOption, pointsOf } from './modelChartOptions.ts';
import { Figure, FigureRow, formatAmount, formatMoneyShort, formatPercent, PanelGrid, RunCaption } from './modelParts.tsx';

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;
/** The usual regulatory cap on the aggregate open position (CBK: 10 % of core capital). */
const OPEN_POSITION_LIMIT = 10;

export function MarketModelPanel({ latest, history }: { latest: MarketModelRun; history: MarketModelRun[] }) {
  const theme = useTheme();
  const { inputs, result } = latest;
  const longWins = result.totalNetLong >= result.totalNetShort;
  const netChart = useMemo(() => fxNetPositionOption(result, theme), [result, theme]);
  const trend = useMemo(
    () =>
      percentTrendOption(
        [{ name: 'Aggregate open position, % of capital', points: pointsOf(history, (r) => r.result.shareOfCapital), colour: theme.palette.primary.main }],
        theme,
        { value: OPEN_POSITION_LIMIT, label: `${OPEN_POSITION_LIMIT} % limit` },
      ),
    [history, theme],
  );
  const sharePoints = history.filter((r) => r.result.shareOfCapital !== null).length;
  const share = result.shareOfCapital;

  return (
    <Box data-testid="market-model">
      <RunCaption runAt={latest.runAt} trigger={latest.trigger} dataAsOf={inputs.asOf} runs={history.length} />
      <FigureRow>
        <Figure
          label="Aggregate open position"
          value={formatMoneyShort(result.aggregateOpenPosition)}
          exact={formatMoney(result.aggregateOpenPosition)}
          caption={`Shorthand: the larger of net long and net short (${longWins ? 'long' : 'short'})`}
          testId="market-aggregate"
        />
        <Figure label="Net long total" value={formatMoneyShort(result.totalNetLong)} caption="Sum of the currencies held net long" />
        <Figure label="Net short total" value={formatMoneyShort(result.totalNetShort)} caption="Sum of the currencies held net short" />
        <Figure
          label="Share of core capital"
          value={share === null ? 'Capital not sent' : formatPercent(share)}
          tone={share === null ? 'neutral' : share > OPEN_POSITION_LIMIT ? 'danger' : share > OPEN_POSITION_LIMIT * 0.8 ? 'warning' : 'success'}
          caption={
            share === null || inputs.capital === null
              ? 'Core banking sent no capital figure'
              : `${formatMoneyShort(result.aggregateOpenPosition)} ÷ ${formatMoneyShort(inputs.capital)} capital (limit ${OPEN_POSITION_LIMIT} %)`
          }
          testId="market-share"
        />
      </FigureRow>
      <PanelGrid>
        <SectionCard
          title="Positions by currency"
          subtitle="Inputs from core banking in KES equivalent; net = long − short"
          padded={false}
          testId="market-positions"
        >
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Currency</TableCell>
                <TableCell align="right">Long</TableCell>
                <TableCell align="right">Short</TableCell>
                <TableCell align="right">Net</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {result.byCurrency.map((p) => (
                <TableRow key={p.currency} selected={p.currency === result.largestCurrency}>
                  <TableCell sx={{ fontWeight: 600 }}>{p.currency}</TableCell>
                  <TableCell align="right" sx={num}>
                    {formatAmount(p.long)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {formatAmount(p.short)}
                  </TableCell>
                  <TableCell align="right" sx={{ ...num, fontWeight: 600, color: p.net < 0 ? 'status.warning' : undefined }}>
                    {formatAmount(p.net)}
                  </TableCell>
                </TableRow>
              ))}
              <TableRow sx={{ '& td': { fontWeight: 650 } }}>
                <TableCell colSpan={3}>Net long total</TableCell>
                <TableCell align="right" sx={num}>
                  {formatAmount(result.totalNetLong)}
                </TableCell>
              </TableRow>
              <TableRow sx={{ '& td': { fontWeight: 650 } }}>
                <TableCell colSpan={3}>Net short total (absolute)</TableCell>
                <TableCell align="right" sx={num}>
                  {formatAmount(result.totalNetShort)}
                </TableCell>
              </TableRow>
              <TableRow sx={{ '& td': { fontWeight: 700 }, bgcolor: 'action.hover' }}>
                <TableCell colSpan={3}>Aggregate open position (the larger)</TableCell>
                <TableCell align="right" sx={num} data-testid="market-aggregate-row">
                  {formatAmount(result.aggregateOpenPosition)}
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </SectionCard>
        <Box sx={{ display: 'grid', gap: 2 }}>
          <ChartCard
            title="Net position by currency"
            subtitle="Long above zero, short below; outlined: the largest"
            option={netChart}
            label="Net FX position per currency"
            testId="market-net-chart"
          />
          <ChartCard
            title="Trend"
            subtitle={`Aggregate open position as a share of core capital, against the ${OPEN_POSITION_LIMIT} % limit`}
            option={trend}
            label="Aggregate open position as a share of capital over the runs"
            testId="market-trend-chart"
            empty={sharePoints < 2}
            emptyTitle={sharePoints === 0 ? 'No capital figure sent' : 'One run so far'}
            emptyBody={sharePoints === 0 ? 'The share of capital needs the core capital from core banking' : 'The trend appears from the second run'}
          />
        </Box>
      </PanelGrid>
    </Box>
  );
}
