import { useTheme } from '@mui/material/styles';
import { formatCount } from '../lib/format.ts';
import { NavCountPill } from '../ui/NavCountPill.tsx';
import { conflictsLabel } from './words.ts';

/** The navigation's count of unresolved conflicts: red, because each one waits for a person. */
export function ConflictCountBadge({ count }: { count: number }) {
  const theme = useTheme();
  return (
    <NavCountPill colour={theme.palette.status.danger} title={conflictsLabel(count) ?? ''} testId="nav-conflicts-count">
      {formatCount(count)}
    </NavCountPill>
  );
}
