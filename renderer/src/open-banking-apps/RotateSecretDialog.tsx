// Rotate an app's client secret: the new one is shown once by the page; the old one keeps working
// for a grace period the administrator chooses (never preselected, and "none" is an explicit choice).
import Box from '@mui/material/Box';
import type { ObAppView, ObAppWithSecret } from '../../../shared/src/open-banking.ts';
import { RotateGraceDialog, type GraceOption } from '../admin/RotateGraceDialog.tsx';
import { formatEat } from '../lib/format.ts';
import { rotateObAppSecret } from './obAppsApi.ts';

export const GRACE_OPTIONS: readonly GraceOption[] = [
  { minutes: 0, label: 'None: the old secret stops now' },
  { minutes: 60, label: '1 hour' },
  { minutes: 24 * 60, label: '24 hours' },
  { minutes: 3 * 24 * 60, label: '3 days' },
  { minutes: 7 * 24 * 60, label: '7 days (the longest)' },
];

export function RotateSecretDialog({ app, onClose, onRotated }: { app: ObAppView | null; onClose: () => void; onRotated: (app: ObAppWithSecret) => void }) {
  return (
    <RotateGraceDialog
      target={app}
      testId="app-rotate"
      title={<>Rotate the client secret of {app?.name}</>}
      body={
        <>
          A new secret is issued and shown once. Until the grace period ends the current secret (…{app?.secretHint}) keeps working too, so the partner can
          switch without an outage. Tokens already issued stay valid until they expire.
          {app?.previousSecretExpiresAt && (
            <Box component="span" sx={{ display: 'block', mt: 1, color: 'warning.main' }}>
              The secret before the current one still works until {formatEat(app.previousSecretExpiresAt)}; rotating now stops it at once.
            </Box>
          )}
        </>
      }
      graceOptions={GRACE_OPTIONS}
      graceLabel="The current secret keeps working for"
      graceHelper="Choose how long the partner needs to switch to the new secret"
      confirmLabel="Rotate secret"
      rotate={(target, grace) => rotateObAppSecret(target.id, grace)}
      onClose={onClose}
      onRotated={onRotated}
    />
  );
}
