import { useEffect, useRef } from 'react';
import type { CaseAction } from '../../../../shared/src/cases.ts';
import { isTyping, overlayOpen, type Shortcut } from '../workbench/useWorkbenchKeys.ts';

export interface CaseKeyHandlers {
  /** Left out when the case cannot be decided by this user now. */
  decide?: (action: CaseAction) => void;
  /** Request information (the case waits, SLA paused); left out when not allowed now. */
  hold?: () => void;
  note?: () => void;
  next?: () => void;
  prev?: () => void;
  back: () => void;
  showHelp: () => void;
}

/** Every shortcut of the case page, for its help dialog (one list, so help cannot drift from the code). */
/** `handler`: the key works only when the page offers it; keys without one work inside dialogs. */
export const CASE_SHORTCUTS: readonly (Shortcut & { handler?: keyof CaseKeyHandlers })[] = [
  { keys: ['j'], label: 'Next case in the queue', group: 'Move', handler: 'next' },
  { keys: ['k'], label: 'Previous case in the queue', group: 'Move', handler: 'prev' },
  { keys: ['u'], label: 'Back to the queue', group: 'Move', handler: 'back' },
  { keys: ['a'], label: 'Approve (opens the decision dialog)', group: 'Act', handler: 'decide' },
  { keys: ['b'], label: 'Block (opens the decision dialog)', group: 'Act', handler: 'decide' },
  { keys: ['e'], label: 'Escalate (opens the decision dialog)', group: 'Act', handler: 'decide' },
  { keys: ['h'], label: 'Hold: request information, SLA paused', group: 'Act', handler: 'hold' },
  { keys: ['n'], label: 'Write a note', group: 'Act', handler: 'note' },
  { keys: ['Ctrl Enter'], label: 'In the decision dialog: decide', group: 'Act' },
  { keys: ['?'], label: 'Show these shortcuts', group: 'View', handler: 'showHelp' },
];

/**
 * The case page's keyboard (issue 11: "keyboard-first like the queue"): a/b/e decide, h holds,
 * n writes a note, j/k move through the queue the case came from, u goes back, ? for help. Never
 * while typing in a field, with a modifier, or under a dialog (the queue's rules).
 */
export function useCaseKeys(handlers: CaseKeyHandlers, { enabled }: { enabled: boolean }): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.repeat) return;
      if (isTyping(event.target) || overlayOpen()) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (event.shiftKey && /^[a-z]$/.test(key)) return;
      const h = ref.current;
      const run = (fn: (() => void) | undefined) => {
        if (!fn) return false;
        fn();
        return true;
      };
      let handled = false;
      switch (key) {
        case 'a':
        case 'b':
        case 'e':
          handled = !!h.decide && run(() => h.decide?.(key === 'a' ? 'APPROVE' : key === 'b' ? 'BLOCK' : 'ESCALATE'));
          break;
        case 'h':
          handled = run(h.hold);
          break;
        case 'n':
          handled = run(h.note);
          break;
        case 'j':
          handled = run(h.next);
          break;
        case 'k':
          handled = run(h.prev);
          break;
        case 'u':
          handled = run(h.back);
          break;
        case '?':
          handled = run(h.showHelp);
          break;
      }
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
