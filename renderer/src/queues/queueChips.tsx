// Small labels of the queue screen: the queue kind, the default badge, the routing rule as
// emphasised parts and an SLA table, so the grid, the dialog and the preview read the same.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { QueueKind, QueueRouting, QueueSla } from '../../../shared/src/queues.ts';
import { softChipSx } from '../ui/chips.tsx';
import { formatSlaMinutes, RISK_LABELS, RISK_LEVELS, routingParts, routingSummary } from './queueModel.ts';

const chipSize = { height: 20, fontSize: 11, fontWeight: 650, letterSpacing: '0.02em' } as const;

export function QueueKindChip({ kind }: { kind: QueueKind }) {
  const theme = useTheme();
  const colour = kind === 'ESCALATION' ? theme.palette.status.warning : theme.palette.status.neutral;
  return (
    <Tooltip title={kind === 'ESCALATION' ? 'Takes escalated cases (not used by routing)' : 'Takes new cases by its routing rule'}>
      <Chip label={kind === 'ESCALATION' ? 'ESCALATION' : 'STANDARD'} data-kind={kind} sx={[softChipSx(colour, theme), chipSize]} />
    </Tooltip>
  );
}

export function DefaultBadge() {
  const theme = useTheme();
  return (
    <Tooltip title="Cases no other queue takes land here. It cannot be deleted or deactivated.">
      <Chip label="DEFAULT" data-testid="queue-default-badge" sx={[softChipSx(theme.palette.primary.main, theme), chipSize]} />
    </Tooltip>
  );
}

export function InactiveChip() {
  const theme = useTheme();
  return <Chip label="INACTIVE" sx={[softChipSx(theme.palette.status.neutral, theme), chipSize, { borderStyle: 'dashed' }]} />;
}

/** The routing rule on one or two lines: what the queue restricts in full colour, "any" muted. */
export function RoutingText({ routing, dense }: { routing: QueueRouting; dense?: boolean }) {
  const parts = routingParts(routing);
  return (
    <Typography
      variant="body2"
      component="div"
      data-routing={routingSummary(routing)}
      sx={{ fontSize: dense ? 12.5 : 13, lineHeight: 1.45, whiteSpace: 'normal', minWidth: 0 }}
    >
      {parts.map((part, i) => (
        <Box component="span" key={part.key}>
          {i > 0 && (
            <Box component="span" sx={{ color: 'text.disabled', mx: 0.5 }}>
              ·
            </Box>
          )}
          <Box component="span" sx={part.restricts ? { color: 'text.primary', fontWeight: 600 } : { color: 'text.secondary' }}>
            {part.text}
          </Box>
        </Box>
      ))}
    </Typography>
  );
}

/** Minutes to decide, per risk level, as a compact two-column table. */
export function SlaTable({ sla }: { sla: QueueSla }) {
  const theme = useTheme();
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'auto auto', columnGap: 1.5, rowGap: 0.125, alignItems: 'center' }}>
      {RISK_LEVELS.map((level) => (
        <Box key={level} sx={{ display: 'contents' }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
            <Box component="span" sx={{ width: 7, height: 7, borderRadius: '50%', bgcolor: theme.palette.risk[level], flexShrink: 0 }} />
            <Typography variant="caption" sx={{ color: 'text.secondary', lineHeight: 1.5 }}>
              {RISK_LABELS[level]}
            </Typography>
          </Box>
          <Typography
            variant="caption"
            data-sla-level={level}
            sx={{ fontWeight: 600, fontVariantNumeric: 'tabular-nums', lineHeight: 1.5, textAlign: 'right', whiteSpace: 'nowrap' }}
          >
            {formatSlaMinutes(sla[level])}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
