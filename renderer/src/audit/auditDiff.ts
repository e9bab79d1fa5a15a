/** One changed field between an audit entry's before and after. */
export interface FieldChange {
  key: string;
  before: unknown;
  after: unknown;
}

export function diffRecords(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChange[] = [];
  for (const key of keys) {
    const b = before?.[key];
    const a = after?.[key];
    if (JSON.stringify(b) !== JSON.stringify(a)) changes.push({ key, before: b, after: a });
  }
  return changes;
}

export function shortValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value.length > 40 ? `${value.slice(0, 39)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}

/** `state: NEW → CLOSED, outcome: — → BLOCKED (+2 more)` */
export function summariseChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string {
  if (!before && after) {
    const shown = Object.entries(after)
      .filter(([key, value]) => value !== null && typeof value !== 'object' && !/id$|At$|^version$/i.test(key))
      .slice(0, 3)
      .map(([key, value]) => `${key}: ${shortValue(value)}`);
    return shown.length ? `Created — ${shown.join(', ')}` : 'Created';
  }
  if (before && !after) return 'Deleted';
  const changes = diffRecords(before, after).filter((c) => c.key !== 'updatedAt' && c.key !== 'version');
  if (changes.length === 0) return 'No field changes';
  const shown = changes.slice(0, 2).map((c) => `${c.key}: ${shortValue(c.before)} → ${shortValue(c.after)}`);
  return changes.length > 2 ? `${shown.join(', ')} (+${changes.length - 2} more)` : shown.join(', ');
}
