import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import ArrowForward from '@mui/icons-material/ArrowForward';
import type { Assessment } from '../../../shared/src/assessments.ts';
import { countryName, formatEat, formatMoney, humanise, withFlag } from '../lib/format.ts';
import { TagChip } from '../ui/chips.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { Field, Mono } from '../ui/values.tsx';

function Account({ label, number }: { label: string; number: string | undefined }) {
  return (
    <Box sx={{ flex: 1, minWidth: 0, px: 1.5, py: 1, borderRadius: 2, bgcolor: 'action.hover' }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
        {label}
      </Typography>
      {/* ISO 20022 accounts are optional: a payment may name none. */}
      {number === undefined ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Not given
        </Typography>
      ) : (
        <Mono sx={{ fontWeight: 600, wordBreak: 'break-all' }}>{number}</Mono>
      )}
    </Box>
  );
}

export function PaymentCard({ assessment }: { assessment: Assessment }) {
  const p = assessment.payment;
  const foreign = p.currency !== 'KES';
  return (
    <SectionCard title="Payment" subtitle={`${humanise(p.paymentType)} · ${p.channel}`} testId="payment-card">
      <Box sx={{ display: 'flex', alignItems: 'flex-end', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <Box>
          <Mono component="div" data-testid="payment-amount" sx={{ fontSize: 28, fontWeight: 600, letterSpacing: '-0.03em', lineHeight: 1.15 }}>
            {formatMoney(p.amount, p.currency)}
          </Mono>
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25 }}>
            {foreign ? (
              <>
                ≈ <Mono sx={{ color: 'text.primary' }}>{formatMoney(p.amountKes, 'KES')}</Mono> at the booking rate
              </>
            ) : (
              `${humanise(p.paymentSource)} payment`
            )}
          </Typography>
        </Box>
        <Box sx={{ flex: 1 }} />
        <Box sx={{ display: 'flex', gap: 0.75, flexWrap: 'wrap' }}>
          <TagChip label={p.channel} />
          <Tooltip title={countryName(p.country)}>
            <span>
              <TagChip label={withFlag(p.country, p.country)} data-testid="payment-country" />
            </span>
          </Tooltip>
        </Box>
      </Box>

      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 2.25 }}>
        <Account label="From (debtor)" number={p.debtorAccount} />
        <ArrowForward fontSize="small" sx={{ color: 'text.disabled', flexShrink: 0 }} aria-label="to" />
        <Account label="To (creditor)" number={p.creditorAccount} />
      </Box>

      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))', columnGap: 2.5, rowGap: 1.75 }}>
        <Field label="Payment time (EAT)">{formatEat(p.timestamp)}</Field>
        <Field label="Country">{withFlag(p.country, `${countryName(p.country)} (${p.country})`)}</Field>
        <Field label="Payment type">{humanise(p.paymentType)}</Field>
        <Field label="Instrument">{p.localInstrumentationCode}</Field>
        <Field label="Clearing system">{p.clearingSystemCode}</Field>
        <Field label="Transaction reference" mono>
          {p.transactionReference}
        </Field>
        <Field label="IP address" mono>
          {p.ipAddress}
        </Field>
        <Field label="Device" mono>
          {p.deviceId}
        </Field>
        <Field label="Tenant">{p.tenantId}</Field>
        <Field label="User agent" wide>
          {p.userAgent && (
            <Typography variant="body2" sx={{ color: 'text.secondary', fontSize: 12.5 }}>
              {p.userAgent}
            </Typography>
          )}
        </Field>
        <Field label="Description" wide>
          {p.description}
        </Field>
      </Box>
    </SectionCard>
  );
}
