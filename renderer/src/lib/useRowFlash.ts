import { useCallback, useEffect, useRef, useState } from 'react';

const FLASH_MS = 2600;

/**
 * Remembers which rows changed live so the grid can highlight them briefly.
 * `mark(id)` when an event names a row; `isFlashing(id)` in getRowClassName.
 */
export function useRowFlash(): { mark: (id: string) => void; isFlashing: (id: string) => boolean } {
  const until = useRef(new Map<string, number>());
  const [, setVersion] = useState(0);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const mark = useCallback((id: string) => {
    until.current.set(id, Date.now() + FLASH_MS);
    setVersion((v) => v + 1);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const now = Date.now();
      for (const [key, expires] of until.current) if (expires <= now) until.current.delete(key);
      setVersion((v) => v + 1);
    }, FLASH_MS + 50);
  }, []);

  const isFlashing = useCallback((id: string) => (until.current.get(id) ?? 0) > Date.now(), []);
  return { mark, isFlashing };
}
