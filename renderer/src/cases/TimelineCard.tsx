import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import ArrowForward from '@mui/icons-material/ArrowForward';
import MemoryOutlined from '@mui/icons-material/MemoryOutlined';
import { CaseState, type TimelineEntry } from '../../../shared/src/cases.ts';
import { formatAge, formatEat, humanise } from '../lib/format.ts';
import { roleLabel } from '../lib/roles.ts';
import { useNow } from '../lib/useNow.ts';
import { CaseStateChip } from '../ui/chips.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { PersonAvatar } from '../ui/values.tsx';
import { entryState } from './caseDetailModel.ts';

function StateChange({ before, after }: { before: string | null; after: string | null }) {
  const b = CaseState.safeParse(before);
  const a = CaseState.safeParse(after);
  if (!a.success || before === after) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, mt: 0.75 }}>
      {b.success && <CaseStateChip state={b.data} />}
      {b.success && <ArrowForward sx={{ fontSize: 14, color: 'text.disabled' }} />}
      <CaseStateChip state={a.data} />
    </Box>
  );
}

export function TimelineCard({ entries }: { entries: TimelineEntry[] }) {
  const now = useNow();
  const ordered = [...entries].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  return (
    <SectionCard title="Timeline" subtitle="Everything that happened to this case, oldest first" testId="timeline-card">
      {ordered.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No activity recorded yet.
        </Typography>
      )}
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {ordered.map((entry, index) => {
          const { before, after } = entryState(entry);
          const machine = /^(SYSTEM|PAYMENT_ENGINE)$/i.test(entry.actorRole);
          return (
            <Box component="li" key={entry.id} data-testid="timeline-entry" sx={{ display: 'flex', gap: 1.5, position: 'relative', pb: index === ordered.length - 1 ? 0 : 2 }}>
              {index < ordered.length - 1 && (
                <Box sx={{ position: 'absolute', left: 13, top: 30, bottom: 2, width: 2, bgcolor: 'divider', borderRadius: 1 }} />
              )}
              <Box sx={{ flexShrink: 0 }}>
                {machine ? (
                  <Box
                    aria-label="System"
                    sx={{ width: 28, height: 28, borderRadius: '50%', bgcolor: 'action.selected', color: 'primary.main', display: 'grid', placeItems: 'center' }}
                  >
                    <MemoryOutlined sx={{ fontSize: 16 }} />
                  </Box>
                ) : (
                  <PersonAvatar name={entry.actorName} size={28} />
                )}
              </Box>
              <Box sx={{ minWidth: 0, flex: 1 }}>
                <Typography variant="body2" sx={{ fontWeight: 550 }}>
                  {entry.summary || humanise(entry.command)}
                </Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {entry.actorName} · {roleLabel(entry.actorRole, { short: true })} ·{' '}
                  <Tooltip title={formatEat(entry.occurredAt)}>
                    <Box component="time" dateTime={entry.occurredAt} sx={{ cursor: 'default' }}>
                      {formatEat(entry.occurredAt).replace(/:\d\d EAT$/, ' EAT')} ({formatAge(entry.occurredAt, now)})
                    </Box>
                  </Tooltip>
                </Typography>
                <StateChange before={before} after={after} />
              </Box>
            </Box>
          );
        })}
      </Box>
    </SectionCard>
  );
}
