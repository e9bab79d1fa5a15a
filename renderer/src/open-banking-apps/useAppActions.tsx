// The administrator's actions on an app, shared by the apps list and an app's page: register,
// edit, suspend and reinstate with a reason, rotate the secret. A new secret is shown once.
import { useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import type { ObAppView, ObAppWithSecret } from '../../../shared/src/open-banking.ts';
import { SecretDetail, SecretDetails, SecretOnceDialog, type ShownSecret } from '../admin/SecretOnceDialog.tsx';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatEat } from '../lib/format.ts';
import { noteText } from '../risks/riskText.ts';
import { Mono } from '../ui/values.tsx';
import { SuccessNotice } from '../ui/SuccessNotice.tsx';
import { AppFormDialog } from './AppFormDialog.tsx';
import { reinstateObApp, suspendObApp } from './obAppsApi.ts';
import { RotateSecretDialog } from './RotateSecretDialog.tsx';

function Credentials({ app }: { app: ObAppWithSecret }) {
  return (
    <SecretDetails>
      <SecretDetail label="Client id">
        <Mono data-testid="app-secret-client-id">{app.clientId}</Mono>
      </SecretDetail>
      <SecretDetail label="Tenant">{app.tenantId}</SecretDetail>
      <SecretDetail label="Scopes">{app.allowedScopes.join(' ')}</SecretDetail>
      {app.rotatedAt && (
        <SecretDetail label="Old secret">
          {app.previousSecretExpiresAt ? (
            <Box component="span" sx={{ color: 'warning.main', fontWeight: 600 }}>
              keeps working until {formatEat(app.previousSecretExpiresAt)}
            </Box>
          ) : (
            'stopped working now'
          )}
        </SecretDetail>
      )}
    </SecretDetails>
  );
}

export function useAppActions({ tenantSuggestions, onChanged }: { tenantSuggestions: readonly string[]; onChanged: (app: ObAppView) => void }) {
  const [registering, setRegistering] = useState(false);
  const [editing, setEditing] = useState<ObAppView | null>(null);
  const [suspending, setSuspending] = useState<ObAppView | null>(null);
  const [reinstating, setReinstating] = useState<ObAppView | null>(null);
  const [rotating, setRotating] = useState<ObAppView | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const showSecret = (app: ObAppWithSecret, title: string, body: ReactNode) =>
    setSecret({
      title,
      label: `Client secret of ${app.name}`,
      secret: app.clientSecret,
      body,
      details: <Credentials app={app} />,
      warning: 'Shown only this once. The service keeps the secret sealed (encrypted) for checking and never shows it again.',
    });

  const dialogs = (
    <>
      <AppFormDialog
        open={registering || !!editing}
        app={editing}
        tenantSuggestions={tenantSuggestions}
        onClose={() => {
          setRegistering(false);
          setEditing(null);
        }}
        onRegistered={(app) => {
          showSecret(
            app,
            `${app.name} registered`,
            <>
              Give the partner the client id and this secret over a secure channel. The app obtains tokens at the service’s <code>/oauth/token</code> endpoint
              (discovery: <code>/.well-known/openid-configuration</code>).
            </>,
          );
          onChanged(app);
        }}
        onSaved={(app) => {
          setNotice(`${app.name} saved`);
          onChanged(app);
        }}
      />
      <RotateSecretDialog
        app={rotating}
        onClose={() => setRotating(null)}
        onRotated={(app) => {
          showSecret(app, `New secret for ${app.name}`, <>The partner puts the new secret in its configuration before the old one stops working.</>);
          onChanged(app);
        }}
      />
      <ConfirmDialog
        open={!!suspending}
        testId="app-suspend-dialog"
        confirmTestId="app-suspend-confirm"
        title={`Suspend ${suspending?.name ?? ''}?`}
        body={
          <>
            Its tokens stop working at the next request (401) and it cannot obtain new ones. Its consents stay as they are, so reinstating the app restores
            access without asking customers again.
          </>
        }
        reason={{ label: 'Reason', minLength: 3, maxLength: 1000, testId: 'app-suspend-reason', helper: 'Kept with the app and in the audit log' }}
        confirmLabel="Suspend app"
        confirmColor="error"
        onClose={() => setSuspending(null)}
        onConfirm={async (reason) => {
          if (!suspending) return;
          const app = await suspendObApp(suspending.id, noteText(reason).trim());
          setNotice(`${app.name} suspended`);
          onChanged(app);
        }}
      />
      <ConfirmDialog
        open={!!reinstating}
        testId="app-reinstate-dialog"
        confirmTestId="app-reinstate-confirm"
        title={`Reinstate ${reinstating?.name ?? ''}?`}
        body={<>The app can obtain tokens again, and its consents that are still authorised and not expired work again.</>}
        reason={{ label: 'Reason', minLength: 3, maxLength: 1000, testId: 'app-reinstate-reason' }}
        confirmLabel="Reinstate app"
        onClose={() => setReinstating(null)}
        onConfirm={async (reason) => {
          if (!reinstating) return;
          const app = await reinstateObApp(reinstating.id, noteText(reason).trim());
          setNotice(`${app.name} reinstated`);
          onChanged(app);
        }}
      />
      <SecretOnceDialog shown={secret} onClose={() => setSecret(null)} testId="app-secret" />
      <SuccessNotice notice={notice} onClose={() => setNotice(null)} testId="app-notice" />
    </>
  );

  return {
    dialogs,
    register: () => setRegistering(true),
    edit: setEditing,
    suspend: setSuspending,
    reinstate: setReinstating,
    rotate: setRotating,
  };
}
