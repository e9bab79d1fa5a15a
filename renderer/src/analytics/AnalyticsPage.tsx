// Deep Dive Analytics (issue 15, seed 001): pivots, rule performance from analysts' outcomes,
// analyst and queue performance, the false-positive trend and a county map, over a range of bank
// days kept in the URL (`?from=…&to=…&by=county`), with PDF / CSV / XLSX export.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { AnalyticsQuery, PivotDimension, type DrillTarget } from '../../../shared/src/analytics.ts';
import { useSession } from '../api/session.ts';
import { allowedDrillHref } from '../overview/drill.ts';
import { addDays, bankToday, validDay } from '../overview/rangeParams.ts';
import { DayField, dayFieldProblem, INCOMPLETE } from '../risks/DayField.tsx';
import { Page, PageHeader } from '../ui/layout.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { FalsePositiveCard, RulePerformanceCard, TeamPerformanceCard } from './PerformanceCards.tsx';
import { PivotCard } from './PivotCard.tsx';

const PRESETS = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
];

export function AnalyticsPage() {
  const permissions = useSession()?.user.permissions ?? [];
  const drill = (target: DrillTarget) => allowedDrillHref(target, permissions);
  const [params, setParams] = useSearchParams();
  const today = bankToday(Date.now());
  const applied = { from: validDay(params.get('from')) ?? addDays(today, -29), to: validDay(params.get('to')) ?? today };
  const dimensionParam = PivotDimension.safeParse(params.get('by'));
  const dimension = dimensionParam.success ? dimensionParam.data : 'channel';

  // The boxes may hold a half-typed day; the URL (and so every card) only a complete, valid range.
  const [draft, setDraft] = useState<{ from: string | null; to: string | null }>(applied);
  const appliedKey = `${applied.from}|${applied.to}`;
  const [syncedKey, setSyncedKey] = useState(appliedKey);
  if (appliedKey !== syncedKey) {
    setSyncedKey(appliedKey);
    setDraft(applied);
  }
  const check = draft.from && draft.to && draft.from !== INCOMPLETE && draft.to !== INCOMPLETE ? AnalyticsQuery.safeParse(draft) : null;
  const rangeProblem = check && !check.success ? (check.error.issues[0]?.message ?? 'not a valid range') : null;
  const apply = (next: { from: string | null; to: string | null }) => {
    setDraft(next);
    if (!next.from || !next.to || next.from === INCOMPLETE || next.to === INCOMPLETE) return;
    if (!AnalyticsQuery.safeParse(next).success) return;
    const search = new URLSearchParams(params);
    search.set('from', next.from);
    search.set('to', next.to);
    setSyncedKey(`${next.from}|${next.to}`);
    setParams(search);
  };
  const setDimension = (next: PivotDimension) => {
    const search = new URLSearchParams(params);
    search.set('by', next);
    setParams(search, { replace: true });
  };

  return (
    <Page>
      <PageHeader
        title="Deep Dive Analytics"
        subtitle="Bank days in Nairobi, first and last day included · figures of the tenants you act for"
        actions={<ExportButtons dashboard="deep-dive" range={{ range: 'custom', from: applied.from, to: applied.to }} />}
      />
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1.5, flexWrap: 'wrap', mb: 2 }} data-testid="analytics-range">
        {(['from', 'to'] as const).map((key) => (
          <Box key={key} sx={{ width: 190 }}>
            <DayField
              label={key === 'from' ? 'First day' : 'Last day'}
              value={draft[key]}
              onChange={(value) => apply({ ...draft, [key]: value })}
              error={dayFieldProblem(draft[key], true) ?? (key === 'to' ? rangeProblem : null)}
              testId={`analytics-${key}`}
            />
          </Box>
        ))}
        <Box sx={{ display: 'flex', gap: 0.5, pt: 0.5 }}>
          {PRESETS.map((p) => (
            <Button
              key={p.days}
              size="small"
              onClick={() => apply({ from: addDays(today, -(p.days - 1)), to: today })}
              data-testid={`analytics-last-${p.days}`}
            >
              Last {p.label}
            </Button>
          ))}
        </Box>
      </Box>
      <Box sx={{ display: 'grid', gap: 2 }}>
        <PivotCard range={applied} dimension={dimension} onDimension={setDimension} drill={drill} />
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', xl: '3fr 2fr' }, gap: 2 }}>
          <RulePerformanceCard range={applied} />
          <FalsePositiveCard range={applied} />
        </Box>
        <TeamPerformanceCard range={applied} drill={drill} />
      </Box>
    </Page>
  );
}
