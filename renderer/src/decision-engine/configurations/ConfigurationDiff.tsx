// What publishing would change, against the published version: rules added, removed and changed
// (each setting before → after), thresholds, decisions, weights and settings, grouped by section.
// The comparison is shared/src/decision-engine-diff.ts, the same the service can use.
import { Fragment, useMemo } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import {
  DIFF_SECTIONS,
  diffConfigurations,
  summariseChanges,
  type ConfigurationChange,
  type DiffableConfiguration,
} from '../../../../shared/src/decision-engine-diff.ts';
import { softChipSx } from '../../ui/chips.tsx';
import { Mono } from '../../ui/values.tsx';

const KIND_LABEL: Record<ConfigurationChange['kind'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

function KindChip({ kind }: { kind: ConfigurationChange['kind'] }) {
  const theme = useTheme();
  const colour = kind === 'added' ? theme.palette.success.main : kind === 'removed' ? theme.palette.error.main : theme.palette.info.main;
  return <Chip size="small" label={KIND_LABEL[kind]} sx={[softChipSx(colour, theme), { height: 20, fontSize: 11 }]} />;
}

function Value({ text, tone }: { text: string | null; tone: 'before' | 'after' }) {
  const theme = useTheme();
  if (text === null) return <Typography sx={{ fontSize: 12, color: 'text.disabled' }}>—</Typography>;
  const colour = tone === 'before' ? theme.palette.error.main : theme.palette.success.main;
  return (
    <Mono
      sx={{
        fontSize: 12,
        px: 0.75,
        py: 0.25,
        borderRadius: 1,
        bgcolor: alpha(colour, theme.palette.mode === 'dark' ? 0.16 : 0.08),
        textDecoration: tone === 'before' ? 'line-through' : 'none',
        textDecorationColor: alpha(colour, 0.6),
        wordBreak: 'break-word',
        whiteSpace: 'pre-wrap',
      }}
    >
      {text}
    </Mono>
  );
}

function ListDelta({ change }: { change: ConfigurationChange }) {
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5 }}>
      {(change.added ?? []).map((item) => (
        <Value key={`+${item}`} text={`+ ${item}`} tone="after" />
      ))}
      {(change.removed ?? []).map((item) => (
        <Value key={`-${item}`} text={`− ${item}`} tone="before" />
      ))}
      {(change.added ?? []).length + (change.removed ?? []).length === 0 && <Value text={change.after} tone="after" />}
    </Box>
  );
}

function ChangeRow({ change }: { change: ConfigurationChange }) {
  const isList = change.added !== undefined || change.removed !== undefined;
  return (
    <Box
      data-testid="diff-row"
      data-path={change.path}
      data-kind={change.kind}
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: '72px minmax(0, 1.1fr) minmax(0, 1.6fr)' },
        gap: 1,
        alignItems: 'start',
        py: 0.75,
        borderTop: 1,
        borderColor: 'divider',
      }}
    >
      <KindChip kind={change.kind} />
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body2" sx={{ fontWeight: 600, lineHeight: 1.3 }}>
          {change.subject}
        </Typography>
        {change.setting && (
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            {change.setting}
          </Typography>
        )}
      </Box>
      {isList ? (
        <ListDelta change={change} />
      ) : (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, flexWrap: 'wrap', minWidth: 0 }}>
          {change.kind !== 'added' && <Value text={change.before} tone="before" />}
          {change.kind === 'changed' && (
            <Typography component="span" sx={{ color: 'text.disabled', fontSize: 12 }}>
              →
            </Typography>
          )}
          {change.kind !== 'removed' && <Value text={change.after} tone="after" />}
        </Box>
      )}
    </Box>
  );
}

/** The structured diff from `published` to `proposed`; `published` null means nothing is live yet. */
export function ConfigurationDiff({
  published,
  proposed,
  publishedLabel,
}: {
  published: DiffableConfiguration | null;
  proposed: DiffableConfiguration;
  publishedLabel: string;
}) {
  const changes = useMemo(() => (published ? diffConfigurations(published, proposed) : []), [published, proposed]);
  if (!published) {
    return (
      <Alert severity="info" variant="outlined" data-testid="config-diff" data-changes="0">
        Nothing is published yet: this draft becomes the first version, with all its {proposed.riskRules.length} rules.
      </Alert>
    );
  }
  return (
    <Box data-testid="config-diff" data-changes={changes.length}>
      <Typography variant="body2" sx={{ fontWeight: 600, mb: 1 }} data-testid="config-diff-summary">
        Compared with the published {publishedLabel}: {summariseChanges(changes).toLowerCase()}
      </Typography>
      {changes.length === 0 ? (
        <Alert severity="warning" variant="outlined">
          The draft is the same as the published version: publishing only records a new version.
        </Alert>
      ) : (
        <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 2, px: 1.5, pb: 0.5 }}>
          {DIFF_SECTIONS.map((section) => {
            const rows = changes.filter((c) => c.section === section);
            if (rows.length === 0) return null;
            return (
              <Fragment key={section}>
                <Typography variant="overline" component="div" sx={{ color: 'text.secondary', pt: 1, lineHeight: 1.8 }} data-testid="diff-section">
                  {section} · {rows.length}
                </Typography>
                {rows.map((change) => (
                  <ChangeRow key={`${change.path}:${change.kind}`} change={change} />
                ))}
              </Fragment>
            );
          })}
        </Box>
      )}
    </Box>
  );
}
