import { ROLE_LABELS, Role } from '../../../shared/src/roles.ts';
import { humanise } from './format.ts';

/** "Risk manager (admin)" for menus; `short` drops the parenthesis for dense tables. */
export function roleLabel(role: string, { short = false }: { short?: boolean } = {}): string {
  const parsed = Role.safeParse(role);
  const label = parsed.success ? ROLE_LABELS[parsed.data] : humanise(role);
  return short ? label.replace(/\s*\(.*\)$/, '') : label;
}
