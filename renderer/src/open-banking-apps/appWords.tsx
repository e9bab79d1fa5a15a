// Chips for Open Banking apps.
import type { ObAppView } from '../../../shared/src/open-banking.ts';
import { StatusChip } from '../admin/adminChips.tsx';
import { formatEat } from '../lib/format.ts';

export function AppStatusChip({ app }: { app: Pick<ObAppView, 'status' | 'statusReason' | 'id'> }) {
  return app.status === 'ACTIVE' ? (
    <StatusChip label="Active" tone="success" testId={`app-status-${app.id}`} />
  ) : (
    <StatusChip label="Suspended" tone="danger" title={app.statusReason ?? undefined} testId={`app-status-${app.id}`} />
  );
}

export function OldSecretChip({ app }: { app: Pick<ObAppView, 'previousSecretExpiresAt'> }) {
  if (!app.previousSecretExpiresAt || Date.parse(app.previousSecretExpiresAt) <= Date.now()) return null;
  return (
    <StatusChip
      label="Old secret still valid"
      tone="warning"
      title={`The secret before the last rotation works until ${formatEat(app.previousSecretExpiresAt)}`}
    />
  );
}
