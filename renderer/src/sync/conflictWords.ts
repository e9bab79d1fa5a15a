// The two sides of a conflict as label/value rows (pure; renderer/test/sync-words.test.ts).
// "Mine" is the command input the user gave offline; "theirs" the case as the hub has it now.
import { reasonCodeLabel } from '../../../shared/src/cases.ts';
import { formatEat, humanise, toValidDate } from '../lib/format.ts';

export interface FieldRow {
  key: string;
  label: string;
  value: string;
}

const MINE_LABELS: Record<string, string> = {
  action: 'Action',
  reasonCode: 'Reason',
  note: 'Note',
  approve: 'Approval',
  tags: 'Tags',
  assigneeId: 'Assign to',
  assigneeName: 'Assign to',
  body: 'Comment',
  text: 'Comment',
  fileName: 'File',
  expectedVersion: 'Based on case version',
};
const THEIRS_LABELS: Record<string, string> = {
  state: 'State',
  assigneeName: 'Assignee',
  outcome: 'Outcome',
  reasonCode: 'Reason',
  version: 'Version',
  updatedAt: 'Last changed',
  updatedBy: 'Changed by',
};
/** Ids and plumbing nobody reads; the case is already named in the heading. */
const HIDDEN = new Set(['caseId', 'id', 'mutationId', 'tenantId', 'queueId', 'reference']);
const ORDER_MINE = ['action', 'approve', 'reasonCode', 'note', 'tags', 'assigneeName', 'assigneeId', 'body', 'text', 'fileName', 'expectedVersion'];
const ORDER_THEIRS = ['state', 'assigneeName', 'outcome', 'reasonCode', 'version', 'updatedAt', 'updatedBy'];

function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return key === 'assigneeName' ? 'Unassigned' : '—';
  if (typeof value === 'boolean') return key === 'approve' ? (value ? 'Confirm the decision' : 'Send it back') : value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : 'none';
  if (typeof value === 'string') {
    if (key === 'reasonCode') return reasonCodeLabel(value);
    if (key === 'state' || key === 'outcome' || key === 'action') return humanise(value);
    if (/At$/.test(key) && toValidDate(value)) return formatEat(value);
    return value;
  }
  return JSON.stringify(value);
}

function rows(record: Record<string, unknown>, labels: Record<string, string>, order: string[]): FieldRow[] {
  const keys = Object.keys(record).filter((key) => !HIDDEN.has(key) && !(key === 'assigneeId' && 'assigneeName' in record));
  keys.sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return keys.map((key) => ({ key, label: labels[key] ?? humanise(key.replace(/([a-z])([A-Z])/g, '$1_$2')), value: valueText(key, record[key]) }));
}

/** What the user did offline, e.g. Action: Block · Reason: Suspected account takeover · Note: … */
export function mineRows(mine: Record<string, unknown>): FieldRow[] {
  return rows(mine, MINE_LABELS, ORDER_MINE);
}

/** The case as the hub has it now, e.g. State: Closed · Assignee: Grace Achieng · Version: 7 */
export function theirsRows(theirs: Record<string, unknown>): FieldRow[] {
  return rows(theirs, THEIRS_LABELS, ORDER_THEIRS);
}
