import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import type { AuditEntry } from '../../../shared/src/audit.ts';
import { FONT_MONO } from '../app/theme.ts';
import { formatEat } from '../lib/format.ts';
import { roleLabel } from '../lib/roles.ts';
import { Field, Mono } from '../ui/values.tsx';
import { diffRecords } from './auditDiff.ts';

function JsonPanel({
  title,
  value,
  changedKeys,
  tone,
}: {
  title: string;
  value: Record<string, unknown> | null;
  changedKeys: Set<string>;
  tone: 'before' | 'after';
}) {
  const theme = useTheme();
  const highlight = alpha(tone === 'before' ? theme.palette.status.danger : theme.palette.status.success, theme.palette.mode === 'dark' ? 0.16 : 0.1);
  const lines = value ? JSON.stringify(value, null, 2).split('\n') : ['null'];
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="overline" sx={{ color: 'text.secondary' }}>
        {title}
      </Typography>
      <Box
        component="pre"
        data-testid={`audit-${tone}`}
        sx={{
          m: 0,
          p: 1.5,
          borderRadius: 2,
          border: 1,
          borderColor: 'divider',
          bgcolor: theme.palette.mode === 'dark' ? '#0b1220' : '#f8fafc',
          fontFamily: FONT_MONO,
          fontSize: 12,
          lineHeight: 1.6,
          overflow: 'auto',
          maxHeight: 420,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
        }}
      >
        {lines.map((line, i) => {
          const key = /^\s{2}"([^"]+)":/.exec(line)?.[1];
          const changed = key !== undefined && changedKeys.has(key);
          return (
            <Box component="span" key={i} sx={{ display: 'block', bgcolor: changed ? highlight : 'transparent', mx: -1.5, px: 1.5 }}>
              {line}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}

/** The full before/after of one audit entry, pretty-printed, with changed fields highlighted. */
export function AuditEntryDialog({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  if (!entry) return null;
  const changed = new Set(diffRecords(entry.before, entry.after).map((c) => c.key));
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="audit-entry-title" data-testid="audit-entry-dialog">
      <DialogTitle id="audit-entry-title">
        <Mono sx={{ fontSize: 15, fontWeight: 600 }}>{entry.command}</Mono>
      </DialogTitle>
      <DialogContent>
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(4, minmax(0, 1fr))', gap: 2, mb: 2.5 }}>
          <Field label="When">{formatEat(entry.occurredAt)}</Field>
          <Field label="Actor">
            {entry.actorName} · {roleLabel(entry.actorRole)}
          </Field>
          <Field label="Entity">{entry.entityType}</Field>
          <Field label="Entity ID" mono>
            {entry.entityId}
          </Field>
        </Box>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
          <JsonPanel title="Before" value={entry.before} changedKeys={changed} tone="before" />
          <JsonPanel title="After" value={entry.after} changedKeys={changed} tone="after" />
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
