// "Where would this case go?": runs the shared `routeCase` (the function the service uses when it
// opens a case) on the loaded queues, and shows the winner and each queue routing tried, in order.
import { useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import ArrowForwardIcon from '@mui/icons-material/ArrowForward';
import CheckCircleOutline from '@mui/icons-material/CheckCircleOutlined';
import HighlightOff from '@mui/icons-material/HighlightOff';
import RadioButtonUnchecked from '@mui/icons-material/RadioButtonUnchecked';
import type { RiskLevel } from '../../../shared/src/assessments.ts';
import type { Channel } from '../../../shared/src/payments.ts';
import { routeCase, routingMatches, type CaseQueue, type RoutableCase } from '../../../shared/src/queues.ts';
import { FieldGrid, FormProvider, NumberInput, SelectInput, TextInput } from '../decision-engine/configurations/fields.tsx';
import { NO_ERRORS } from '../decision-engine/configurations/formModel.ts';
import { SectionCard } from '../ui/layout.tsx';
import { DefaultBadge } from './queueChips.tsx';
import { CHANNEL_LABELS, CHANNELS, formatSlaMinutes, RISK_LABELS, RISK_LEVELS, routingMismatch, routingReasons } from './queueModel.ts';

const RISK_OPTIONS = RISK_LEVELS.map((value) => ({ value, label: RISK_LABELS[value] }));
const CHANNEL_OPTIONS = CHANNELS.map((value) => ({ value, label: CHANNEL_LABELS[value] }));

type Step = { queue: CaseQueue; state: 'match' | 'miss' | 'not-reached'; text: string; reasons: string[] };

export function RoutingPreview({ queues }: { queues: readonly CaseQueue[] }) {
  const theme = useTheme();
  const [riskLevel, setRiskLevel] = useState<RiskLevel>('HIGH');
  const [tenant, setTenant] = useState('WEKEZA-KE');
  const [paymentType, setPaymentType] = useState('SWIFT');
  const [channel, setChannel] = useState<Channel>('WEB');
  const [amount, setAmount] = useState<number>(2_500_000);

  const amountOk = Number.isFinite(amount) && amount >= 0;
  const routable: RoutableCase = {
    riskLevel,
    tenantId: tenant.trim() || null,
    paymentType: paymentType.trim() || null,
    channel,
    amountKes: amountOk ? amount : 0,
  };
  const key = JSON.stringify(routable);

  const { winner, steps, skipped } = useMemo(() => {
    const c = JSON.parse(key) as RoutableCase;
    const won = routeCase(queues, c);
    // The same candidates, in the same order, as routeCase tries them.
    const tried = queues
      .filter((q) => q.active && q.kind === 'STANDARD' && !q.isDefault)
      .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
    let decided = false;
    const list: Step[] = tried.map((q) => {
      if (decided) return { queue: q, state: 'not-reached', text: 'not reached: an earlier queue took the case', reasons: [] };
      if (routingMatches(q.routing, c)) {
        decided = true;
        const reasons = routingReasons(q.routing, c);
        return { queue: q, state: 'match', text: reasons.length ? `matches: ${reasons.join(', ')}` : 'matches: accepts any case', reasons };
      }
      return { queue: q, state: 'miss', text: routingMismatch(q.routing, c) ?? 'does not match', reasons: [] };
    });
    const inactive = queues.filter((q) => !q.active && q.kind === 'STANDARD').length;
    return { winner: won, steps: list, skipped: inactive };
  }, [queues, key]);

  const byDefault = !!winner?.isDefault;
  const winningReasons = steps.find((s) => s.state === 'match')?.reasons ?? [];
  const success = theme.palette.status.success;

  return (
    <SectionCard testId="route-preview" title="Where would this case go?" subtitle="Routing preview — the same rule the service applies when it opens a case">
      <FormProvider value={{ errors: amountOk ? NO_ERRORS : new Map([['amount', 'Enter an amount in KES']]), readOnly: false }}>
        <FieldGrid columns={5} sx={{ gridTemplateColumns: { xs: '1fr', md: '1fr 1.2fr 1.2fr 1fr 1.4fr' } }}>
          <SelectInput path="riskLevel" label="Risk level" value={riskLevel} options={RISK_OPTIONS} onChange={setRiskLevel} testId="route-preview-risk" />
          <TextInput path="tenant" label="Tenant" mono value={tenant} onChange={setTenant} testId="route-preview-tenant" maxLength={50} placeholder="none" />
          <TextInput
            path="paymentType"
            label="Payment type"
            mono
            value={paymentType}
            onChange={setPaymentType}
            testId="route-preview-payment-type"
            maxLength={50}
            placeholder="none"
          />
          <SelectInput path="channel" label="Channel" value={channel} options={CHANNEL_OPTIONS} onChange={setChannel} testId="route-preview-channel" />
          <NumberInput path="amount" label="Amount" kes value={amount} onChange={setAmount} min={0} step={1000} testId="route-preview-amount" />
        </FieldGrid>
      </FormProvider>

      <Box
        data-testid="route-preview-result"
        data-queue-name={winner?.name ?? ''}
        data-by-default={String(byDefault)}
        aria-live="polite"
        sx={{
          mt: 2,
          p: 1.5,
          borderRadius: 2,
          border: 1,
          borderColor: winner ? alpha(success, 0.35) : 'divider',
          bgcolor: winner ? alpha(success, theme.palette.mode === 'dark' ? 0.1 : 0.05) : 'action.hover',
          display: 'flex',
          alignItems: 'flex-start',
          gap: 1.5,
        }}
      >
        <ArrowForwardIcon sx={{ color: winner ? success : 'text.disabled', mt: 0.25 }} />
        <Box sx={{ minWidth: 0, flex: 1 }}>
          {winner ? (
            <>
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
                <Typography variant="subtitle1" component="div" sx={{ fontWeight: 700 }} data-testid="route-preview-queue">
                  {winner.name}
                </Typography>
                {winner.isDefault && <DefaultBadge />}
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  SLA for {RISK_LABELS[riskLevel].toLowerCase()} risk: <strong>{formatSlaMinutes(winner.sla[riskLevel])}</strong>
                </Typography>
              </Box>
              <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25 }} data-testid="route-preview-why">
                {byDefault
                  ? steps.length
                    ? 'No active queue’s rule fits this case, so the default queue takes it.'
                    : 'There is no other active standard queue, so the default queue takes it.'
                  : winningReasons.length
                    ? `The first active queue by priority whose rule fits: ${winningReasons.join(', ')}.`
                    : 'The first active queue by priority, and its rule accepts any case.'}
              </Typography>
            </>
          ) : (
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              No queue would take this case: there is no matching queue and no default queue.
            </Typography>
          )}
        </Box>
      </Box>

      {steps.length > 0 && (
        <Box component="ol" sx={{ listStyle: 'none', p: 0, m: 0, mt: 1.5 }} aria-label="Queues routing tried, in order" data-testid="route-preview-steps">
          {steps.map((step, i) => (
            <Box
              component="li"
              key={step.queue.id}
              data-queue-name={step.queue.name}
              data-state={step.state}
              sx={{
                display: 'grid',
                gridTemplateColumns: '22px 26px minmax(120px, 0.8fr) 2fr',
                alignItems: 'center',
                gap: 1,
                py: 0.5,
                borderTop: i ? 1 : 0,
                borderColor: 'divider',
              }}
            >
              {step.state === 'match' ? (
                <CheckCircleOutline sx={{ fontSize: 18, color: success }} />
              ) : step.state === 'miss' ? (
                <HighlightOff sx={{ fontSize: 18, color: 'text.disabled' }} />
              ) : (
                <RadioButtonUnchecked sx={{ fontSize: 18, color: 'text.disabled', opacity: 0.5 }} />
              )}
              <Typography variant="caption" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums', textAlign: 'right' }}>
                {step.queue.priority}
              </Typography>
              <Typography
                variant="body2"
                noWrap
                sx={{ fontWeight: step.state === 'match' ? 650 : 500, color: step.state === 'not-reached' ? 'text.secondary' : 'text.primary' }}
              >
                {step.queue.name}
              </Typography>
              <Typography variant="caption" noWrap title={step.text} sx={{ color: step.state === 'match' ? success : 'text.secondary' }}>
                {step.text}
              </Typography>
            </Box>
          ))}
        </Box>
      )}
      <Typography variant="caption" component="div" sx={{ color: 'text.disabled', mt: 1 }}>
        Active standard queues are tried by priority (lowest first), then the default queue.
        {skipped > 0 && ` ${skipped} inactive ${skipped === 1 ? 'queue is' : 'queues are'} skipped.`} Escalation queues only take escalated cases.
      </Typography>
    </SectionCard>
  );
}
