// The credit model (seed 001): sector concentration, NPL ratio, provision coverage, risk-weighted
// assets and large-transaction frequency and velocity per customer — with the inputs it used.
import { useMemo } from 'react';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { CreditModelRun } from '../../../shared/src/risk-data-models.ts';
import { formatCount, formatMoney } from '../lib/format.ts';
import { ChartCard } from '../overview/ChartCard.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { percentTrendOption, pointsOf, sectorConcentrationOption } from './modelChartOptions.ts';
import { Figure, FigureRow, formatAmount, formatMoneyShort, formatPercent, PanelGrid, RunCaption } from './modelParts.tsx';

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function CreditModelPanel({ latest, history }: { latest: CreditModelRun; history: CreditModelRun[] }) {
  const theme = useTheme();
  const { result, inputs } = latest;
  const largest = result.largestSector;
  const concentration = useMemo(() => sectorConcentrationOption(result, theme), [result, theme]);
  const trend = useMemo(
    () =>
      percentTrendOption(
        [
          { name: 'Largest sector share', points: pointsOf(history, (r) => r.result.largestSector?.percentage ?? null), colour: theme.palette.primary.main },
          { name: 'NPL ratio', points: pointsOf(history, (r) => r.result.nplRatio), colour: theme.palette.status.danger },
        ],
        theme,
      ),
    [history, theme],
  );
  const sectorRows = [...inputs.sectors].sort((a, b) => b.balance - a.balance);
  const totals = sectorRows.reduce(
    (sum, s) => ({
      loans: sum.loans + s.loans,
      balance: sum.balance + s.balance,
      npl: sum.npl + s.nplBalance,
      provisions: sum.provisions + s.provisions,
      nplProvisions: sum.nplProvisions + s.nplProvisions,
      collateral: sum.collateral + s.collateral,
      rwa: sum.rwa + s.riskWeightedAssets,
    }),
    { loans: 0, balance: 0, npl: 0, provisions: 0, nplProvisions: 0, collateral: 0, rwa: 0 },
  );
  const customers = result.largeTransactions.customers;

  return (
    <Box data-testid="credit-model">
      <RunCaption runAt={latest.runAt} trigger={latest.trigger} runs={history.length} />
      <FigureRow>
        <Figure
          label="Total exposure"
          value={formatMoneyShort(result.totalExposure)}
          exact={formatMoney(result.totalExposure)}
          caption={`${formatCount(result.loanCount)} loans outstanding`}
          testId="credit-exposure"
        />
        <Figure
          label="Risk-weighted assets"
          value={formatMoneyShort(result.riskWeightedAssets)}
          exact={formatMoney(result.riskWeightedAssets)}
          caption={`${formatPercent(result.totalExposure ? (result.riskWeightedAssets / result.totalExposure) * 100 : 0, 1)} of exposure`}
        />
        <Figure
          label="NPL ratio"
          value={formatPercent(result.nplRatio)}
          tone={result.nplRatio >= 10 ? 'danger' : result.nplRatio >= 5 ? 'warning' : 'neutral'}
          caption={`${formatMoneyShort(result.nplBalance)} ≥ 90 days past due ÷ exposure`}
          testId="credit-npl"
        />
        <Figure
          label="Provision coverage"
          value={result.provisionCoverage === null ? 'No NPLs' : formatPercent(result.provisionCoverage)}
          caption={result.provisionCoverage === null ? 'Nothing to cover' : 'NPL provisions ÷ NPL balance'}
        />
        <Figure
          label="Largest sector"
          value={largest ? formatPercent(largest.percentage, 1) : '—'}
          caption={largest ? `${largest.sector} share of exposure` : 'No sectors'}
          tone={largest && largest.percentage >= 25 ? 'danger' : largest && largest.percentage >= 15 ? 'warning' : 'neutral'}
          testId="credit-largest-sector"
        />
      </FigureRow>
      <PanelGrid>
        <ChartCard
          title="Concentration by sector"
          subtitle="Outstanding balance; share of total exposure (Low < 15 % ≤ Medium < 25 % ≤ High)"
          option={concentration}
          label="Exposure by sector with each sector's share"
          testId="credit-concentration-chart"
          height={Math.max(180, result.concentrationRisks.length * 30)}
        />
        <ChartCard
          title="Trend"
          subtitle="Largest sector share and NPL ratio at each run"
          option={trend}
          label="Largest sector share and NPL ratio over the runs"
          testId="credit-trend-chart"
          empty={history.length < 2}
          emptyTitle="One run so far"
          emptyBody="The trend appears from the second run"
        />
      </PanelGrid>
      <Box sx={{ mt: 2, display: 'grid', gap: 2 }}>
        <SectionCard
          title="Inputs: loans by sector"
          subtitle={`Risk weights: performing ${formatPercent(inputs.riskWeights.performing * 100, 0)}, past due with provisions under ${formatPercent(inputs.riskWeights.provisionThreshold * 100, 0)} ${formatPercent(inputs.riskWeights.pastDueLowProvision * 100, 0)}, otherwise ${formatPercent(inputs.riskWeights.pastDueHighProvision * 100, 0)} · amounts in KES`}
          padded={false}
          testId="credit-inputs"
        >
          <Box sx={{ overflowX: 'auto' }}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>Sector</TableCell>
                  <TableCell align="right">Loans</TableCell>
                  <TableCell align="right">Outstanding</TableCell>
                  <TableCell align="right">Non-performing</TableCell>
                  <TableCell align="right">Provisions</TableCell>
                  <TableCell align="right">NPL provisions</TableCell>
                  <TableCell align="right">Collateral</TableCell>
                  <TableCell align="right">RWA</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {sectorRows.map((s) => (
                  <TableRow key={s.sector} selected={s.sector === largest?.sector}>
                    <TableCell>{s.sector}</TableCell>
                    <TableCell align="right" sx={num}>
                      {formatCount(s.loans)}
                    </TableCell>
                    <TableCell align="right" sx={num}>
                      {formatAmount(s.balance)}
                    </TableCell>
                    <TableCell align="right" sx={num}>
                      {formatAmount(s.nplBalance)}
                    </TableCell>
                    <TableCell align="right" sx={num}>
                      {formatAmount(s.provisions)}
                    </TableCell>
                    <TableCell align="right" sx={num}>
                      {formatAmount(s.nplProvisions)}
                    </TableCell>
                    <TableCell align="right" sx={num}>
                      {formatAmount(s.collateral)}
                    </TableCell>
                    <TableCell align="right" sx={num}>
                      {formatAmount(s.riskWeightedAssets)}
                    </TableCell>
                  </TableRow>
                ))}
                <TableRow sx={{ '& td': { fontWeight: 650 } }}>
                  <TableCell>Total</TableCell>
                  <TableCell align="right" sx={num}>
                    {formatCount(totals.loans)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {formatAmount(totals.balance)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {formatAmount(totals.npl)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {formatAmount(totals.provisions)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {formatAmount(totals.nplProvisions)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {formatAmount(totals.collateral)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {formatAmount(totals.rwa)}
                  </TableCell>
                </TableRow>
              </TableBody>
            </Table>
          </Box>
        </SectionCard>
        <SectionCard
          title="Large transactions per customer"
          subtitle={`Payments of ${formatMoney(inputs.largeTransaction.thresholdKes)} or more: count over ${inputs.largeTransaction.frequencyWindowDays} days, velocity over the last ${inputs.largeTransaction.velocityWindowHours} hours · ${formatCount(inputs.largeTransaction.paymentsConsidered)} payments considered`}
          padded={customers.length === 0}
          testId="credit-large-transactions"
        >
          {customers.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              No customer made a large payment in the window.
            </Typography>
          ) : (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>Customer</TableCell>
                  <TableCell align="right">Large payments</TableCell>
                  <TableCell align="right">Amount (KES)</TableCell>
                  <TableCell align="right">Velocity ({inputs.largeTransaction.velocityWindowHours} h)</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {customers.slice(0, 10).map((c) => (
                  <TableRow key={c.customerRef}>
                    <TableCell sx={{ fontFamily: 'monospace' }}>{c.customerRef}</TableCell>
                    <TableCell align="right" sx={num}>
                      {formatCount(c.count)}
                    </TableCell>
                    <TableCell align="right" sx={num}>
                      {formatAmount(c.amountKes)}
                    </TableCell>
                    <TableCell align="right" sx={{ ...num, fontWeight: c.velocity === result.largeTransactions.maxVelocity && c.velocity > 0 ? 700 : 400 }}>
                      {formatCount(c.velocity)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </SectionCard>
      </Box>
    </Box>
  );
}
