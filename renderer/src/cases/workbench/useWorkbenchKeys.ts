import { useEffect, useRef } from 'react';
import type { CaseAction } from '../../../../shared/src/cases.ts';

export interface WorkbenchKeyHandlers {
  /** Move the current row by one (down = +1). */
  move: (delta: 1 | -1) => void;
  open: () => void;
  toggleSelect: () => void;
  refresh: () => void;
  focusSearch: () => void;
  showHelp: () => void;
  /** Left out when the user may not work cases. */
  claimNext?: () => void;
  /** Left out when the user may not decide cases. */
  decide?: (action: CaseAction) => void;
}

export interface Shortcut {
  keys: string[];
  label: string;
  group: 'Move' | 'Act' | 'View';
  /** Which handler it needs; shortcuts whose handler is missing are not offered. */
  needs?: 'select' | 'claimNext' | 'decide';
}

/** Every shortcut the workbench answers, for the help dialog (one list, so help cannot drift from the code). */
export const WORKBENCH_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['j', '↓'], label: 'Next case', group: 'Move' },
  { keys: ['k', '↑'], label: 'Previous case', group: 'Move' },
  { keys: ['Enter', 'o'], label: 'Open the current case', group: 'Move' },
  { keys: ['x'], label: 'Select or unselect the current case', group: 'Act', needs: 'select' },
  { keys: ['c'], label: 'Claim the next case in this queue and open it', group: 'Act', needs: 'claimNext' },
  { keys: ['a'], label: 'Approve the current case', group: 'Act', needs: 'decide' },
  { keys: ['b'], label: 'Block the current case', group: 'Act', needs: 'decide' },
  { keys: ['e'], label: 'Escalate the current case', group: 'Act', needs: 'decide' },
  { keys: ['r'], label: 'Refresh the queue', group: 'View' },
  { keys: ['/'], label: 'Search', group: 'View' },
  { keys: ['?'], label: 'Show these shortcuts', group: 'View' },
];

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'number', 'password', 'tel', 'url', 'date', 'datetime-local', 'time', 'month', 'week']);

/** True while the user is typing somewhere: shortcuts must not eat their letters. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type);
  const role = target.getAttribute('role');
  return role === 'textbox' || role === 'combobox' || role === 'searchbox';
}

/** Buttons and links answer Enter themselves; the workbench must not open a case as well. */
function isActivatable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return !!target.closest('button, a[href], [role="button"], [role="menuitem"], [role="tab"], [role="option"], [role="columnheader"]');
}

/** Any dialog, menu or popover open over the page (ours or another screen's). */
export function overlayOpen(): boolean {
  return !!document.querySelector('.MuiModal-root:not(.MuiModal-hidden), [role="dialog"]');
}

/**
 * The queue's keyboard: j/k to move, Enter/o to open, x to select, c to claim the next case,
 * a/b/e to decide, r to refresh, / to search, ? for help. Listens on the window so the keys work
 * wherever focus is on the page, but never while typing, with a modifier, or under an overlay.
 * Arrow keys inside the grid are the grid's own (it moves cell focus and the page follows it).
 */
export function useWorkbenchKeys(handlers: WorkbenchKeyHandlers, { enabled }: { enabled: boolean }): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (isTyping(event.target) || overlayOpen()) return;
      const h = ref.current;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      // Shifted letters are left alone (Shift+J is not j); '?' is Shift+/ on most layouts.
      if (event.shiftKey && /^[a-z]$/.test(key)) return;

      let handled = true;
      switch (key) {
        case 'j':
        case 'ArrowDown':
          h.move(1);
          break;
        case 'k':
        case 'ArrowUp':
          h.move(-1);
          break;
        case 'Enter':
          if (isActivatable(event.target) || event.repeat) return;
          h.open();
          break;
        case 'o':
          if (event.repeat) return;
          h.open();
          break;
        case 'x':
          if (event.repeat) return;
          h.toggleSelect();
          break;
        case 'c':
          if (!h.claimNext || event.repeat) return;
          h.claimNext();
          break;
        case 'a':
        case 'b':
        case 'e':
          if (!h.decide || event.repeat) return;
          h.decide(key === 'a' ? 'APPROVE' : key === 'b' ? 'BLOCK' : 'ESCALATE');
          break;
        case 'r':
          if (event.repeat) return;
          h.refresh();
          break;
        case '/':
          h.focusSearch();
          break;
        case '?':
          h.showHelp();
          break;
        default:
          handled = false;
      }
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
