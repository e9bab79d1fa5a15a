// Drill-down filters a dashboard figure opens the case queue with (issue 15: the DrillTarget of
// "Cases opened", "Confirmed fraud (closed)", a queue's row…): read from the URL, checked against
// the list query's own schema, applied on top of the queue's filters and shown as removable chips.
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { CaseListQuery, type CaseFilter } from '../../../shared/src/cases.ts';
import { formatEatMinutes, humanise } from '../lib/format.ts';

const CASE_DRILL_KEYS = ['tenantId', 'createdFrom', 'createdTo', 'closedFrom', 'closedTo', 'outcome'] as const satisfies readonly (keyof CaseFilter)[];
type CaseDrillKey = (typeof CASE_DRILL_KEYS)[number];
export type CaseDrill = Partial<Pick<CaseFilter, CaseDrillKey>>;

const Schema = CaseListQuery.pick({ tenantId: true, createdFrom: true, createdTo: true, closedFrom: true, closedTo: true, outcome: true });

/** Only the values the list query accepts; anything else in the URL is left out. */
export function parseCaseDrill(params: URLSearchParams): CaseDrill {
  const out: Record<string, unknown> = {};
  for (const key of CASE_DRILL_KEYS) {
    const raw = params.get(key);
    if (!raw) continue;
    const one = Schema.partial().safeParse({ [key]: raw });
    if (one.success && one.data[key] !== undefined) out[key] = one.data[key];
  }
  return out as CaseDrill;
}

function label(key: CaseDrillKey, value: string): string {
  switch (key) {
    case 'tenantId':
      return `Tenant: ${value}`;
    case 'createdFrom':
      return `Opened from ${formatEatMinutes(value)}`;
    case 'createdTo':
      return `Opened before ${formatEatMinutes(value)}`;
    case 'closedFrom':
      return `Closed from ${formatEatMinutes(value)}`;
    case 'closedTo':
      return `Closed before ${formatEatMinutes(value)}`;
    case 'outcome':
      return `Outcome: ${humanise(value)}`;
  }
}

export function useCaseDrill(): { drill: CaseDrill; chips: React.ReactNode } {
  const [params, setParams] = useSearchParams();
  const drill = useMemo(() => parseCaseDrill(params), [params]);
  const keys = CASE_DRILL_KEYS.filter((k) => drill[k] !== undefined);
  const remove = (key: CaseDrillKey) => {
    const next = new URLSearchParams(params);
    next.delete(key);
    setParams(next, { replace: true });
  };
  const chips =
    keys.length > 0 ? (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1.5 }} data-testid="case-drill-chips">
        <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
          From the dashboard:
        </Typography>
        {keys.map((key) => (
          <Chip
            key={key}
            size="small"
            color="primary"
            variant="outlined"
            label={label(key, String(drill[key]))}
            onDelete={() => remove(key)}
            data-testid={`case-drill-chip-${key}`}
          />
        ))}
      </Box>
    ) : null;
  return { drill, chips };
}
