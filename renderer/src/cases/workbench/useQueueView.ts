import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';

/**
 * How one user likes the queue laid out (issue 11: at 1366×768 the queue showed 8 rows and cut
 * its last column): row density, hidden columns and column widths. Kept per user in this
 * workstation's localStorage (a layout preference, not shared data).
 */
export const QueueView = z.object({
  density: z.enum(['compact', 'standard']).catch('standard'),
  hidden: z.array(z.string().max(40)).max(30).catch([]),
  widths: z.record(z.string().max(40), z.number().min(40).max(800)).catch({}),
});
export type QueueView = z.infer<typeof QueueView>;

const DEFAULT_VIEW: QueueView = { density: 'standard', hidden: [], widths: {} };

function read(key: string): QueueView {
  try {
    const raw = window.localStorage.getItem(key);
    if (!raw) return DEFAULT_VIEW;
    return QueueView.catch(DEFAULT_VIEW).parse(JSON.parse(raw));
  } catch {
    return DEFAULT_VIEW;
  }
}

export function useQueueView(userId: string | undefined): [QueueView, (patch: Partial<QueueView>) => void, () => void] {
  const key = `wekeza.caseQueue.view.${userId ?? 'anonymous'}`;
  const [view, setView] = useState<QueueView>(() => read(key));
  useEffect(() => setView(read(key)), [key]);
  const update = useCallback(
    (patch: Partial<QueueView>) =>
      setView((current) => {
        const next = { ...current, ...patch };
        try {
          window.localStorage.setItem(key, JSON.stringify(next));
        } catch {
          // Storage full or disabled: the layout lasts for this session only.
        }
        return next;
      }),
    [key],
  );
  const reset = useCallback(() => update({ hidden: [], widths: {} }), [update]);
  return [view, update, reset];
}
