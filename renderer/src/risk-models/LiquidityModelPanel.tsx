// The liquidity model (seed 001): the LCR worked out step by step as the service did it — Basel III
// haircuts, the 15 % and 40 % caps on Level 2 assets, inflows capped at 75 % of outflows — and the
// NSFR when the bank sends stable funding.
import { type ReactNode, useMemo } from 'react';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { LiquidityModelRun } from '../../../shared/src/risk-data-models.ts';
import { formatMoney } from '../lib/format.ts';
import { ChartCard } from '../overview/ChartCard.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { percentTrendOption, pointsOf } from './modelChartOptions.ts';
import { Figure, FigureRow, formatAmount, formatMoneyShort, formatPercent, PanelGrid, RunCaption } from './modelParts.tsx';

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

function Step({ label, how, value, strong, testId }: { label: ReactNode; how?: ReactNode; value: string; strong?: boolean; testId?: string }) {
  const weight = strong ? 700 : 400;
  return (
    <TableRow data-testid={testId} sx={strong ? { bgcolor: 'action.hover' } : undefined}>
      <TableCell sx={{ fontWeight: weight }}>{label}</TableCell>
      <TableCell sx={{ color: 'text.secondary' }}>{how}</TableCell>
      <TableCell align="right" sx={{ ...num, fontWeight: weight }}>
        {value}
      </TableCell>
    </TableRow>
  );
}

function Heading({ children }: { children: ReactNode }) {
  return (
    <TableRow>
      <TableCell colSpan={3} sx={{ pt: 1.5, pb: 0.5, borderBottom: 0 }}>
        <Typography variant="overline" sx={{ color: 'text.secondary', lineHeight: 1 }}>
          {children}
        </Typography>
      </TableCell>
    </TableRow>
  );
}

export function LiquidityModelPanel({ latest, history }: { latest: LiquidityModelRun; history: LiquidityModelRun[] }) {
  const theme = useTheme();
  const { inputs, result } = latest;
  const pct = (fraction: number) => formatPercent(fraction * 100, 0);
  const beforeCaps = result.afterHaircut.level1 + result.afterHaircut.level2a + result.afterHaircut.level2b;
  const hasNsfr = result.nsfr !== null;
  const trend = useMemo(
    () =>
      percentTrendOption(
        [
          { name: 'LCR', points: pointsOf(history, (r) => r.result.lcr), colour: theme.palette.primary.main },
          ...(history.some((r) => r.result.nsfr !== null)
            ? [{ name: 'NSFR', points: pointsOf(history, (r) => r.result.nsfr), colour: theme.palette.info.main }]
            : []),
        ],
        theme,
        { value: 100, label: '100 % minimum' },
      ),
    [history, theme],
  );
  const money = (value: number) => formatAmount(value);

  return (
    <Box data-testid="liquidity-model">
      <RunCaption runAt={latest.runAt} trigger={latest.trigger} dataAsOf={inputs.asOf} runs={history.length} />
      <FigureRow>
        <Figure
          label="Liquidity coverage ratio"
          value={formatPercent(result.lcr)}
          tone={result.meetsLcrMinimum ? 'success' : 'danger'}
          caption={result.meetsLcrMinimum ? 'Meets the 100 % minimum' : 'Below the 100 % minimum'}
          testId="liquidity-lcr"
        />
        <Figure
          label="Adjusted HQLA"
          value={formatMoneyShort(result.hqla, inputs.currency)}
          exact={formatMoney(result.hqla, inputs.currency)}
          caption="After haircuts and caps"
        />
        <Figure
          label="Net 30-day outflows"
          value={formatMoneyShort(result.netOutflows, inputs.currency)}
          exact={formatMoney(result.netOutflows, inputs.currency)}
          caption="Outflows − counted inflows"
        />
        <Figure
          label="Net stable funding ratio"
          value={result.nsfr === null ? 'Not sent' : formatPercent(result.nsfr)}
          tone={result.meetsNsfrMinimum === null ? 'neutral' : result.meetsNsfrMinimum ? 'success' : 'danger'}
          caption={hasNsfr ? 'Available ÷ required stable funding' : 'Core banking sent no stable funding figures'}
          testId="liquidity-nsfr"
        />
      </FigureRow>
      <PanelGrid>
        <SectionCard
          title="How the LCR was computed"
          subtitle={`Basel III LCR (BCBS 238) · amounts in ${inputs.currency}`}
          padded={false}
          testId="liquidity-steps"
        >
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Step</TableCell>
                <TableCell>How (market values)</TableCell>
                <TableCell align="right">{inputs.currency}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              <Heading>High-quality liquid assets</Heading>
              <Step
                label="Level 1"
                how={`${money(inputs.level1)} × (1 − ${pct(result.haircuts.level1)} haircut)`}
                value={money(result.afterHaircut.level1)}
                testId="lcr-level1"
              />
              <Step
                label="Level 2A"
                how={`${money(inputs.level2a)} × (1 − ${pct(result.haircuts.level2a)} haircut)`}
                value={money(result.afterHaircut.level2a)}
                testId="lcr-level2a"
              />
              <Step
                label="Level 2B"
                how={`${money(inputs.level2b)} × (1 − ${pct(result.haircuts.level2b)} haircut)`}
                value={money(result.afterHaircut.level2b)}
                testId="lcr-level2b"
              />
              <Step label="HQLA before caps" how="Level 1 + 2A + 2B after haircuts" value={money(beforeCaps)} />
              <Step
                label="15 % cap on Level 2B"
                how={result.adjustment15 > 0 ? 'Level 2B over 15 % of HQLA is removed' : 'Level 2B within 15 % of HQLA: nothing removed'}
                value={result.adjustment15 > 0 ? `− ${money(result.adjustment15)}` : '0'}
                testId="lcr-cap15"
              />
              <Step
                label="40 % cap on Level 2"
                how={result.adjustment40 > 0 ? 'Level 2 over 40 % of HQLA is removed' : 'Level 2 within 40 % of HQLA: nothing removed'}
                value={result.adjustment40 > 0 ? `− ${money(result.adjustment40)}` : '0'}
                testId="lcr-cap40"
              />
              <Step label="Adjusted HQLA" value={money(result.hqla)} strong testId="lcr-hqla" />
              <Heading>Net cash outflows over 30 days</Heading>
              <Step label="Outflows" how="Expected over the next 30 days" value={money(inputs.outflows30d)} />
              <Step label="Inflows" how="Expected over the next 30 days" value={money(inputs.inflows30d)} />
              <Step
                label="Inflows counted"
                how={
                  inputs.inflows30d > result.inflowCap
                    ? `Capped at 75 % of outflows (${money(result.inflowCap)})`
                    : `Within the 75 % cap (${money(result.inflowCap)})`
                }
                value={`− ${money(result.inflowsCounted)}`}
                testId="lcr-inflows-counted"
              />
              <Step label="Net outflows" how="Outflows − inflows counted" value={money(result.netOutflows)} strong testId="lcr-net-outflows" />
              <Heading>Ratio</Heading>
              <Step label="LCR" how={`${money(result.hqla)} ÷ ${money(result.netOutflows)}`} value={formatPercent(result.lcr)} strong testId="lcr-ratio" />
              {inputs.availableStableFunding !== null && inputs.requiredStableFunding !== null && (
                <Step
                  label="NSFR"
                  how={`${money(inputs.availableStableFunding)} ASF ÷ ${money(inputs.requiredStableFunding)} RSF`}
                  value={result.nsfr === null ? '—' : formatPercent(result.nsfr)}
                  strong
                  testId="nsfr-ratio"
                />
              )}
            </TableBody>
          </Table>
        </SectionCard>
        <ChartCard
          title="Trend"
          subtitle={`LCR${hasNsfr ? ' and NSFR' : ''} at each run, against the 100 % minimum`}
          option={trend}
          label="LCR over the runs with the 100 % minimum"
          testId="liquidity-trend-chart"
          empty={history.length < 2}
          emptyTitle="One run so far"
          emptyBody="The trend appears from the second run"
          height={300}
        />
      </PanelGrid>
    </Box>
  );
}
