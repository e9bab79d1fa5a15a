// Issue 15 "a conflict on their workstation": the hub refusing one of this user's offline actions
// is recorded in the workstation's own Conflicts inbox (service/src/sync/workstation/push.ts), not
// at the hub, so the hub's notification list cannot hold it. The bell reads the local inbox
// (sync.conflict.list is answered by the workstation itself, shared/src/sync.ts LOCAL_QUERIES)
// and shows each unresolved conflict of the signed-in user as an unread notification until it is
// resolved; a new one raises the OS notification like any other.
import { useEffect, useRef, useState } from 'react';
import { CONTRACT } from '../../../shared/src/contract/index.ts';
import { NotificationKind, type Notification } from '../../../shared/src/notifications.ts';
import type { SyncConflict } from '../../../shared/src/sync.ts';
import { callApi } from '../api/contract-client.ts';
import { useSyncStatus } from '../sync/syncStatus.ts';

export const CONFLICT_KIND = NotificationKind.parse('sync.conflict');
export const CONFLICTS_PATH = '/sync/conflicts';

/** A conflict as the bell shows it: unread while unresolved, opening the Conflicts inbox. */
export function conflictNotification(conflict: SyncConflict): Notification {
  const what = conflict.kind === 'conflict' ? 'changed at the hub meanwhile' : 'refused by the hub';
  return {
    id: conflict.id,
    tenantId: null,
    kind: CONFLICT_KIND,
    title: `Conflict on ${conflict.entityLabel}: your “${conflict.label}” was ${what}`,
    body: `${conflict.message.replace(/[.\s]*$/, '')}. Re-apply or discard it in the Conflicts inbox.`,
    link: CONFLICTS_PATH,
    entityType: conflict.entityType,
    entityId: conflict.entityId,
    createdAt: conflict.createdAt,
    readAt: conflict.resolvedAt,
  };
}

/** The signed-in user's unresolved conflicts on this workstation (none elsewhere), and a callback for each new one. */
export function useWorkstationConflicts(userId: string | null, onNew: (item: Notification) => void): Notification[] {
  const { status } = useSyncStatus();
  const workstation = status?.mode === 'workstation';
  // The status poll counts conflicts; the list is read again only when that count (or the refusals) moves.
  const signal = workstation ? `${status.conflicts}:${status.rejectedMutations}` : null;
  const [items, setItems] = useState<Notification[]>([]);
  const seen = useRef<Set<string> | null>(null);
  const onNewRef = useRef(onNew);
  onNewRef.current = onNew;

  useEffect(() => {
    if (signal === null || !userId) {
      setItems([]);
      return;
    }
    const abort = new AbortController();
    callApi(CONTRACT.sync.conflicts, {}, { signal: abort.signal })
      .then((list) => {
        const mine = list.items.filter((c) => c.resolvedAt === null && c.actorId === userId).map(conflictNotification);
        // The first read is what was already there at sign-in: listed, not popped up.
        if (seen.current) for (const item of mine) if (!seen.current.has(item.id)) onNewRef.current(item);
        seen.current = new Set([...(seen.current ?? []), ...mine.map((i) => i.id)]);
        setItems(mine);
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [signal, userId]);

  return items;
}
