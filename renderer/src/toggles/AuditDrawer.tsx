// The audit trail of one toggle configuration, newest first: who, when, which command, and each
// changed field as before → after. "Full record" opens the audit log's before/after dialog.
import { useCallback, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import type { AuditEntry } from '../../../shared/src/audit.ts';
import type { ToggleConfiguration } from '../../../shared/src/toggles.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { AuditEntryDialog } from '../audit/AuditEntryDialog.tsx';
import { diffRecords, shortValue } from '../audit/auditDiff.ts';
import { formatEat, humanise } from '../lib/format.ts';
import { roleLabel } from '../lib/roles.ts';
import { ErrorState } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { contextText } from './toggleChips.tsx';
import { fetchToggleAudit, type ToggleAuditEntry } from './togglesApi.ts';

/** Bookkeeping fields that change on every write and say nothing to a reader. */
const NOISE = new Set(['updatedAt', 'rowVersion', 'row_version', 'updated_at', 'state']);

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Instants in Nairobi time; everything else as the audit log shortens it. */
function valueText(value: unknown): string {
  return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? formatEat(value) : shortValue(value);
}

function commandLabel(command: string): string {
  const last = command.replace(/^fraud-api-toggle\./, '');
  return humanise(last);
}

function AuditItem({ entry, onOpen }: { entry: ToggleAuditEntry; onOpen: () => void }) {
  const changes = diffRecords(entry.before, entry.after).filter((c) => !NOISE.has(c.key));
  const created = !entry.before && !!entry.after;
  const deleted = !!entry.before && !entry.after;
  return (
    <Box data-testid="toggle-audit-entry" sx={{ py: 1.5 }}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1 }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          {commandLabel(entry.command)}
        </Typography>
        <Typography variant="caption" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
          {formatEat(entry.occurredAt)}
        </Typography>
      </Box>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {entry.actorName ?? 'System'}
        {entry.actorRole ? ` · ${roleLabel(entry.actorRole)}` : ''}
      </Typography>
      {deleted ? (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          Deleted
        </Typography>
      ) : changes.length === 0 ? (
        <Typography variant="body2" sx={{ mt: 0.5, color: 'text.secondary' }}>
          No field changes
        </Typography>
      ) : (
        <Box
          component="ul"
          sx={{ m: 0, mt: 0.75, pl: 0, listStyle: 'none', display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr)', columnGap: 1.5, rowGap: 0.25 }}
        >
          {changes.slice(0, created ? 12 : 30).map((c) => (
            <Box component="li" key={c.key} sx={{ display: 'contents' }}>
              <Mono sx={{ fontSize: 12, color: 'text.secondary' }}>{c.key}</Mono>
              <Typography variant="body2" sx={{ fontSize: 12.5, wordBreak: 'break-word' }}>
                {created ? (
                  valueText(c.after)
                ) : (
                  <>
                    <Box component="span" sx={{ color: 'status.danger', textDecoration: 'line-through', textDecorationThickness: 1 }}>
                      {valueText(c.before)}
                    </Box>
                    {' → '}
                    <Box component="span" sx={{ color: 'status.success', fontWeight: 600 }}>
                      {valueText(c.after)}
                    </Box>
                  </>
                )}
              </Typography>
            </Box>
          ))}
        </Box>
      )}
      <Button size="small" onClick={onOpen} sx={{ mt: 0.5, ml: -0.75 }}>
        Full record
      </Button>
    </Box>
  );
}

export function AuditDrawer({ configuration, onClose }: { configuration: ToggleConfiguration | null; onClose: () => void }) {
  const id = configuration?.id ?? '';
  const fetcher = useCallback((signal: AbortSignal) => (id ? fetchToggleAudit(id, signal) : Promise.resolve([])), [id]);
  const { data, error, loading, refetch } = useApiQuery(`toggle-audit:${id}`, fetcher);
  useLiveRefresh(['toggle.changed'], () => refetch({ silent: true }), { enabled: !!id });
  const [opened, setOpened] = useState<AuditEntry | null>(null);

  return (
    <Drawer anchor="right" open={!!configuration} onClose={onClose} slotProps={{ paper: { sx: { width: { xs: '100%', sm: 520 } } } }}>
      <Box data-testid="toggle-audit-drawer" sx={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
        <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, px: 2.5, pt: 2, pb: 1.5 }}>
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <Typography variant="h6" component="h2">
              Audit trail
            </Typography>
            {configuration && (
              <Mono sx={{ fontSize: 12.5, color: 'text.secondary' }} noWrap component="div">
                {contextText(configuration)}
              </Mono>
            )}
          </Box>
          <IconButton onClick={onClose} aria-label="Close the audit trail" size="small">
            <CloseIcon fontSize="small" />
          </IconButton>
        </Box>
        <Divider />
        <Box sx={{ px: 2.5, pb: 2, overflow: 'auto', flex: 1 }}>
          {error && (
            <Box sx={{ mt: 2 }}>
              <ErrorState error={error} onRetry={() => refetch()} title="Could not load the audit trail" />
            </Box>
          )}
          {loading && !data && Array.from({ length: 3 }, (_, i) => <Skeleton key={i} height={72} />)}
          {data && data.length === 0 && (
            <Typography variant="body2" sx={{ color: 'text.secondary', mt: 2 }}>
              No audit entries for this configuration.
            </Typography>
          )}
          {data?.map((entry, i) => (
            <Box key={entry.id}>
              {i > 0 && <Divider />}
              <AuditItem
                entry={entry}
                onOpen={() =>
                  setOpened({
                    id: entry.id,
                    occurredAt: entry.occurredAt,
                    actorId: '',
                    actorName: entry.actorName ?? 'System',
                    actorRole: entry.actorRole ?? '',
                    command: entry.command,
                    entityType: 'fraud_api_toggle',
                    entityId: id,
                    before: entry.before,
                    after: entry.after,
                  })
                }
              />
            </Box>
          ))}
        </Box>
      </Box>
      <AuditEntryDialog entry={opened} onClose={() => setOpened(null)} />
    </Drawer>
  );
}
