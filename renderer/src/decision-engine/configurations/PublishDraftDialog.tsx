// "Publish this draft": before anything goes live the dialog shows what changes against the
// published version, and asks for a change note (required here and by the service), which is kept
// with the version and in the audit log. The draft is read fresh when the dialog opens.
import { useCallback } from 'react';
import Alert from '@mui/material/Alert';
import Skeleton from '@mui/material/Skeleton';
import type { FraudRiskConfiguration } from '../../../../shared/src/decision-engine.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { formatCount } from '../../lib/format.ts';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { fetchVersion } from '../decisionEngineApi.ts';
import { ConfigurationDiff } from './ConfigurationDiff.tsx';

/** The shortest change note the service accepts (PublishChangeNote). */
export const CHANGE_NOTE_MIN = 3;
export const CHANGE_NOTE_HELPER = 'Required: what changed and why — kept with the version and in the audit log';

function DraftDiff({ configuration, draftVersion }: { configuration: FraudRiskConfiguration; draftVersion: number }) {
  const fetcher = useCallback((signal: AbortSignal) => fetchVersion(configuration.id, draftVersion, signal), [configuration.id, draftVersion]);
  const { data, error } = useApiQuery(`publish-diff:${configuration.id}:${draftVersion}:${configuration.rowVersion}`, fetcher);
  if (error) return <Alert severity="error">Could not load the draft to compare: {error.message}</Alert>;
  if (!data) return <Skeleton variant="rounded" height={120} />;
  return (
    <ConfigurationDiff published={configuration.versionNumber > 0 ? configuration : null} proposed={data.body} publishedLabel={`v${configuration.version}`} />
  );
}

export function PublishDraftDialog({
  open,
  configuration,
  backtest,
  onPublish,
  onClose,
}: {
  open: boolean;
  configuration: FraudRiskConfiguration;
  /** What the backtest found, said next to the diff. */
  backtest: { changed: number; evaluated: number } | null;
  onPublish: (changeNote: string) => Promise<void>;
  onClose: () => void;
}) {
  const draft = configuration.draft;
  if (!draft) return null;
  const next = `${draft.versionNumber}.0`;
  return (
    <ConfirmDialog
      open={open}
      title={`Publish draft v${draft.versionNumber} as version ${next}?`}
      body={
        <>
          Payments are scored with it from the next one; v{configuration.version} stays in the history.
          {backtest && ` The backtest found ${formatCount(backtest.changed)} of ${formatCount(backtest.evaluated)} replayed decisions would change.`}
        </>
      }
      confirmLabel={`Publish v${next}`}
      confirmTestId="publish-confirm"
      testId="publish-dialog"
      maxWidth="md"
      reason={{
        label: 'Change note',
        minLength: CHANGE_NOTE_MIN,
        maxLength: 500,
        placeholder: 'What changed and why',
        testId: 'publish-note',
        helper: CHANGE_NOTE_HELPER,
      }}
      onClose={onClose}
      onConfirm={onPublish}
    >
      {open && <DraftDiff configuration={configuration} draftVersion={draft.versionNumber} />}
    </ConfirmDialog>
  );
}
