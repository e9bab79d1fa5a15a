// Pieces the three model panels share: a figure tile, the run caption and the "nothing sent yet" state.
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import { FONT_MONO } from '../app/theme.ts';
import { formatEat } from '../lib/format.ts';
import { EmptyState } from '../ui/layout.tsx';

export type Tone = 'neutral' | 'danger' | 'warning' | 'success';

/** `12.34 %` — model percentages are 0–100. */
export function formatPercent(value: number, digits = 2): string {
  return `${value.toLocaleString('en-KE', { minimumFractionDigits: digits, maximumFractionDigits: digits })} %`;
}

/** Whole units, grouped, without a currency code — for tables whose header names the currency. */
export function formatAmount(value: number): string {
  const sign = value < 0 ? '−' : '';
  return `${sign}${Math.abs(value).toLocaleString('en-KE', { maximumFractionDigits: 0 })}`;
}

const shortFormat = new Intl.NumberFormat('en-KE', { notation: 'compact', maximumFractionDigits: 2 });
/** `KES 3.04B` for the figure tiles (the exact amount is in the tile's tooltip). */
export function formatMoneyShort(value: number, currency = 'KES'): string {
  return `${value < 0 ? '−' : ''}${currency} ${shortFormat.format(Math.abs(value))}`;
}

/** One computed figure: label, value and how it was obtained. */
export function Figure({
  label,
  value,
  exact,
  caption,
  tone = 'neutral',
  testId,
}: {
  label: string;
  value: string;
  exact?: string;
  caption?: ReactNode;
  tone?: Tone;
  testId?: string;
}) {
  const theme = useTheme();
  const colour =
    tone === 'danger'
      ? theme.palette.status.danger
      : tone === 'warning'
        ? theme.palette.status.warning
        : tone === 'success'
          ? theme.palette.status.success
          : theme.palette.text.primary;
  return (
    <Card sx={{ px: 2, py: 1.5, minWidth: 0 }} data-testid={testId}>
      <Typography variant="body2" sx={{ color: 'text.secondary', fontWeight: 550 }} noWrap>
        {label}
      </Typography>
      <Typography sx={{ fontFamily: FONT_MONO, fontSize: 21, fontWeight: 600, color: colour, mt: 0.25 }} noWrap title={exact}>
        {value}
      </Typography>
      {caption && (
        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
          {caption}
        </Typography>
      )}
    </Card>
  );
}

export function FigureRow({ children }: { children: ReactNode }) {
  return <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(210px, 1fr))', gap: 1.5, mb: 2 }}>{children}</Box>;
}

/** What started a run, in words: a feed ('integration.loans'), a queue event or a person ("run by …"). */
export function triggerLabel(trigger: string): string {
  if (trigger.startsWith('integration.')) return `after the ${trigger.slice('integration.'.length).replace(/-/g, ' ')} feed`;
  return trigger;
}

/** When the run was made and what started it; `dataAsOf` is the time of the bank's data when it carries one. */
export function RunCaption({ runAt, trigger, dataAsOf, runs }: { runAt: string; trigger: string; dataAsOf?: string; runs: number }) {
  return (
    <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.5 }} data-testid="model-run-caption">
      {dataAsOf ? <>Data as of {formatEat(dataAsOf)} · </> : null}
      Computed {formatEat(runAt)} · {triggerLabel(trigger)} · {runs === 1 ? 'first run' : `${runs} runs kept`}
    </Typography>
  );
}

/** No run yet: say plainly that core banking has sent nothing (never zeros). */
export function NoModelData({ what }: { what: string }) {
  return (
    <EmptyState
      icon={<InsightsOutlined />}
      title="Core banking has sent nothing for this model yet"
      body={`The model runs when ${what} arrive through the integration endpoints or the risk-events queue. No figures are shown until then.`}
    />
  );
}

/** Two-column "how it was computed" grid for a panel body. */
export function PanelGrid({ children }: { children: ReactNode }) {
  return <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) minmax(0, 1fr)' }, gap: 2, alignItems: 'start' }}>{children}</Box>;
}
