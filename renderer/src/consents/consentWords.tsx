// Words and chips of the consent register (issue 14): statuses as the customer and the bank say
// them, why a consent ended, what each check's refusal means, why a consent is in the review queue.
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useTheme } from '@mui/material/styles';
import type {
  ConsentCheckReason,
  ConsentReviewReason,
  ConsentStatus,
  ConsentStatusReason,
  ObScope,
  WebhookDeliveryStatus,
} from '../../../shared/src/open-banking.ts';
import { StatusChip } from '../admin/adminChips.tsx';
import { softChipSx } from '../ui/chips.tsx';

export const CONSENT_STATUS_LABELS: Record<ConsentStatus, string> = {
  AwaitingAuthorisation: 'Awaiting authorisation',
  Authorised: 'Authorised',
  Rejected: 'Rejected',
  Revoked: 'Revoked',
  Expired: 'Expired',
};

const STATUS_TONES: Record<ConsentStatus, 'success' | 'warning' | 'danger' | 'neutral' | 'info'> = {
  AwaitingAuthorisation: 'info',
  Authorised: 'success',
  Rejected: 'neutral',
  Revoked: 'danger',
  Expired: 'warning',
};

export const STATUS_REASON_LABELS: Record<ConsentStatusReason, string> = {
  CUSTOMER_REJECTED: 'Rejected by the customer',
  REVOKED_BY_CUSTOMER: 'Revoked by the customer',
  REVOKED_BY_BANK: 'Revoked by the bank',
  REVOKED_BY_APP: 'Revoked by the app',
  SUPERSEDED: 'Replaced by a newer consent',
  EXPIRED: 'Past its expiry',
  AUTHORISATION_TIMEOUT: 'Not authorised within an hour',
};

/** Short scope names for chips and grid cells (OB_SCOPE_LABELS are the customer's sentences). */
export const SCOPE_SHORT: Record<ObScope, string> = {
  'accounts.read': 'Accounts',
  'balances.read': 'Balances',
  'transactions.read': 'Transactions',
  'payments.write': 'Payments',
};

export const CHECK_REASON_LABELS: Record<ConsentCheckReason, string> = {
  OK: 'Allowed',
  TOKEN_INVALID: 'Token not valid',
  TOKEN_REVOKED: 'Token revoked',
  APP_SUSPENDED: 'App suspended',
  APP_MISMATCH: 'Another app’s consent',
  CONSENT_NOT_AUTHORISED: 'Consent not authorised',
  CONSENT_EXPIRED: 'Consent expired',
  SCOPE_NOT_GRANTED: 'Scope not granted',
  ACCOUNT_NOT_IN_CONSENT: 'Account not in the consent',
  OUTSIDE_TRANSACTION_WINDOW: 'Outside the transaction window',
  FREQUENCY_LIMIT: 'Daily limit reached',
};

export const REVIEW_REASON_LABELS: Record<ConsentReviewReason, string> = {
  EXPIRING_SOON: 'Expiring soon',
  NEAR_FREQUENCY_LIMIT: 'Near its daily limit',
  APP_SUSPENDED: 'App suspended',
  REFUSED_CALLS: 'Refused calls today',
};

const REVIEW_TONES: Record<ConsentReviewReason, 'warning' | 'danger' | 'info'> = {
  EXPIRING_SOON: 'info',
  NEAR_FREQUENCY_LIMIT: 'warning',
  APP_SUSPENDED: 'danger',
  REFUSED_CALLS: 'danger',
};

export const DELIVERY_STATUS_LABELS: Record<WebhookDeliveryStatus, string> = {
  PENDING: 'Pending',
  DELIVERED: 'Delivered',
  FAILED: 'Retrying',
  DEAD: 'Dead',
};

export function ConsentStatusChip({ status, reason, testId }: { status: ConsentStatus; reason?: ConsentStatusReason | null; testId?: string }) {
  return (
    <StatusChip
      label={CONSENT_STATUS_LABELS[status] ?? status}
      tone={STATUS_TONES[status] ?? 'neutral'}
      title={reason ? STATUS_REASON_LABELS[reason] : undefined}
      testId={testId}
    />
  );
}

export function ReviewReasonChip({ reason, detail }: { reason: ConsentReviewReason; detail: string }) {
  return (
    <StatusChip label={REVIEW_REASON_LABELS[reason] ?? reason} tone={REVIEW_TONES[reason] ?? 'warning'} title={detail} testId={`review-reason-${reason}`} />
  );
}

export function DeliveryStatusChip({ status }: { status: WebhookDeliveryStatus }) {
  const tone = status === 'DELIVERED' ? 'success' : status === 'DEAD' ? 'danger' : status === 'FAILED' ? 'warning' : 'info';
  return <StatusChip label={DELIVERY_STATUS_LABELS[status] ?? status} tone={tone} testId={`delivery-status-${status}`} />;
}

export function ScopeChips({ scopes }: { scopes: readonly ObScope[] }) {
  const theme = useTheme();
  return (
    <>
      {scopes.map((scope) => (
        <Tooltip key={scope} title={scope}>
          <Chip
            size="small"
            label={SCOPE_SHORT[scope] ?? scope}
            sx={[softChipSx(theme.palette.status.info, theme), { height: 20, fontSize: 11.5, fontWeight: 600, mr: 0.5 }]}
          />
        </Tooltip>
      ))}
    </>
  );
}
