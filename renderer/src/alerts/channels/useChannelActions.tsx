// The administrator's actions on alert channels, shared by the list and a channel's page: add,
// edit, test-send (queued like a real alert; followed in the delivery log) and remove. A webhook
// channel's signing secret is shown once, when it is added.
import { useState } from 'react';
import type { AlertChannel, AlertChannelSaved } from '../../../../shared/src/alerts.ts';
import { SecretDetail, SecretDetails, SecretOnceDialog, type ShownSecret } from '../../admin/SecretOnceDialog.tsx';
import { toApiError } from '../../api/client.ts';
import { ConfirmDialog } from '../../decision-engine/ConfirmDialog.tsx';
import { SuccessNotice } from '../../ui/SuccessNotice.tsx';
import { Mono } from '../../ui/values.tsx';
import { deleteAlertChannel, testAlertChannel } from '../alertsApi.ts';
import { ChannelFormDialog } from './ChannelFormDialog.tsx';

export function useChannelActions({
  tenantSuggestions,
  onChanged,
  onRemoved,
  onTestQueued,
}: {
  tenantSuggestions: readonly string[];
  onChanged: () => void;
  onRemoved?: () => void;
  onTestQueued?: (channel: AlertChannel) => void;
}) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<AlertChannel | null>(null);
  const [removing, setRemoving] = useState<AlertChannel | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [testing, setTesting] = useState<string | null>(null);

  const saved = (channel: AlertChannelSaved, created: boolean) => {
    onChanged();
    if (channel.signingSecret)
      setSecret({
        title: `${channel.name} added`,
        label: `Signing secret of ${channel.name}`,
        secret: channel.signingSecret,
        body: <>The receiver verifies each message’s webhook-signature header with this secret (Standard Webhooks).</>,
        details: (
          <SecretDetails>
            <SecretDetail label="Receiver">
              <Mono>{channel.settings.kind === 'WEBHOOK' ? channel.settings.url : ''}</Mono>
            </SecretDetail>
          </SecretDetails>
        ),
        warning: 'Shown only this once. The service keeps it sealed (encrypted) for signing and never shows it again.',
      });
    else setNotice(`${channel.name} ${created ? 'added' : 'saved'}`);
  };

  const test = async (channel: AlertChannel) => {
    setProblem(null);
    setTesting(channel.id);
    try {
      const result = await testAlertChannel(channel.id);
      setNotice(`Test message ${result.messageId} queued for ${channel.name}: follow it in the delivery log`);
      onTestQueued?.(channel);
      onChanged();
    } catch (caught) {
      setProblem(`The test could not be queued: ${toApiError(caught).message}`);
    } finally {
      setTesting(null);
    }
  };

  const dialogs = (
    <>
      <ChannelFormDialog
        open={adding || !!editing}
        channel={editing}
        tenantSuggestions={tenantSuggestions}
        onClose={() => {
          setAdding(false);
          setEditing(null);
        }}
        onSaved={saved}
      />
      <ConfirmDialog
        open={!!removing}
        testId="channel-remove-dialog"
        confirmTestId="channel-remove-confirm"
        title={`Remove ${removing?.name ?? ''}?`}
        body="Messages still waiting for it are not sent. A channel that a rule still routes to cannot be removed: take it out of those rules first."
        confirmLabel="Remove channel"
        confirmColor="error"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await deleteAlertChannel(removing.id);
          setNotice(`${removing.name} removed`);
          onChanged();
          onRemoved?.();
        }}
      />
      <SecretOnceDialog shown={secret} onClose={() => setSecret(null)} testId="channel-secret" />
      <SuccessNotice notice={notice} onClose={() => setNotice(null)} testId="channel-notice" />
    </>
  );

  return {
    dialogs,
    problem,
    clearProblem: () => setProblem(null),
    testing,
    add: () => setAdding(true),
    edit: setEditing,
    remove: setRemoving,
    test,
  };
}
