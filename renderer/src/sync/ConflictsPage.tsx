// The Conflicts inbox (issue 12): this workstation's offline actions the hub refused, because the
// case moved on meanwhile (another analyst decided it, it was reassigned, four-eyes confirmed) or
// because the hub refused the action itself. Each shows both sides and lets the user re-apply or
// discard. Resolved entries stay below for the record.
import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Collapse from '@mui/material/Collapse';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import TaskAltOutlined from '@mui/icons-material/TaskAltOutlined';
import { CONTRACT } from '../../../shared/src/contract/index.ts';
import type { SyncConflict } from '../../../shared/src/sync.ts';
import { callApi } from '../api/contract-client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount } from '../lib/format.ts';
import { CardSkeleton, EmptyState, ErrorState, Page, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { ConflictCard } from './ConflictCard.tsx';
import { refreshSyncStatus, useSyncStatus } from './syncStatus.ts';

export function ConflictsPage() {
  const { status } = useSyncStatus();
  const { data, error, loading, refetch } = useApiQuery('sync-conflicts', (signal) => callApi(CONTRACT.sync.conflicts, {}, { signal }));
  const [local, setLocal] = useState<Map<string, SyncConflict>>(new Map());
  const [showResolved, setShowResolved] = useState(false);
  useLiveRefresh(['sync.applied', 'case.updated'], () => refetch({ silent: true }), { debounceMs: 300 });
  // The status poll sees a new conflict first: fetch the list when its count changes.
  const count = status?.conflicts;
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch when the count moves, not on every poll.
  useEffect(() => {
    if (count !== undefined) refetch({ silent: true });
  }, [count]);

  const items = (data?.items ?? []).map((item) => local.get(item.id) ?? item);
  const open = items.filter((item) => item.resolvedAt === null);
  const resolved = items.filter((item) => item.resolvedAt !== null);

  const onResolved = (conflict: SyncConflict) => {
    setLocal((prev) => new Map(prev).set(conflict.id, conflict));
    refreshSyncStatus();
    refetch({ silent: true });
  };

  return (
    <Page maxWidth={1200}>
      <PageHeader
        title="Conflicts"
        subtitle={
          status?.mode === 'workstation'
            ? 'Actions you took on this workstation that the hub could not apply as they were. Nothing is lost: decide for each one.'
            : 'Actions from a workstation that the hub could not apply as they were.'
        }
        actions={<RefreshButton onClick={() => refetch()} label="Refresh conflicts" disabled={loading} />}
      />
      {error ? (
        <ErrorState error={error} onRetry={() => refetch()} title="Could not load the conflicts" />
      ) : loading && !data ? (
        <Stack spacing={1.5}>
          <CardSkeleton lines={5} />
          <CardSkeleton lines={5} />
        </Stack>
      ) : (
        <>
          {open.length === 0 ? (
            <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 2, bgcolor: 'background.paper' }} data-testid="conflicts-empty">
              <EmptyState
                icon={<TaskAltOutlined />}
                title="No conflicts"
                body="Everything you did offline reached the hub as you did it. If the hub refuses an action later, it appears here with both sides."
              />
            </Box>
          ) : (
            <Stack spacing={1.5} data-testid="conflicts-open">
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                {formatCount(open.length)} {open.length === 1 ? 'action needs' : 'actions need'} your decision.
              </Typography>
              {open.map((conflict) => (
                <ConflictCard key={conflict.id} conflict={conflict} onResolved={onResolved} />
              ))}
            </Stack>
          )}
          {resolved.length > 0 && (
            <Box sx={{ mt: 3 }}>
              <Button size="small" onClick={() => setShowResolved((v) => !v)} data-testid="conflicts-show-resolved">
                {showResolved ? 'Hide' : 'Show'} {formatCount(resolved.length)} resolved
              </Button>
              <Collapse in={showResolved} unmountOnExit>
                <Stack spacing={1.5} sx={{ mt: 1 }}>
                  {resolved.map((conflict) => (
                    <ConflictCard key={conflict.id} conflict={conflict} onResolved={onResolved} />
                  ))}
                </Stack>
              </Collapse>
            </Box>
          )}
        </>
      )}
    </Page>
  );
}
