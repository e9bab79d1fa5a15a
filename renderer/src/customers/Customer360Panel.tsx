// Customer 360 (seed 004): everything we know about one person across core-banking records,
// phones, e-mails and devices, in a side panel next to the case being worked.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonBase from '@mui/material/ButtonBase';
import Chip from '@mui/material/Chip';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Pagination from '@mui/material/Pagination';
import Skeleton from '@mui/material/Skeleton';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import AlternateEmailOutlined from '@mui/icons-material/AlternateEmailOutlined';
import BadgeOutlined from '@mui/icons-material/BadgeOutlined';
import ChevronRight from '@mui/icons-material/ChevronRight';
import CloseIcon from '@mui/icons-material/Close';
import ContentCopy from '@mui/icons-material/ContentCopy';
import DevicesOutlined from '@mui/icons-material/DevicesOutlined';
import ExpandLess from '@mui/icons-material/ExpandLess';
import ExpandMore from '@mui/icons-material/ExpandMore';
import FingerprintOutlined from '@mui/icons-material/FingerprintOutlined';
import MergeTypeOutlined from '@mui/icons-material/MergeTypeOutlined';
import PhoneIphoneOutlined from '@mui/icons-material/PhoneIphoneOutlined';
import {
  IdentifierKind,
  type Customer360,
  type Customer360Account,
  type Customer360Risk,
  type Customer360Transaction,
  type CustomerIdentifier,
} from '../../../shared/src/customer360.ts';
import type { ApiError } from '../api/client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { CustomerRiskChip } from '../cases/CustomerRiskChip.tsx';
import { formatCount, formatDate, formatEat, formatEatShort, formatMoney, formatMoneyCompact, humanise, normaliseScore } from '../lib/format.ts';
import { EChart } from '../overview/EChart.tsx';
import { CaseStateChip, DecisionChip, OutcomeChip, RiskChip, softChipSx, TagChip } from '../ui/chips.tsx';
import { Mono, PersonAvatar } from '../ui/values.tsx';
import { reasonLabel } from '../cases/caseDetailModel.ts';
import { riskTrendOption } from './customer360Chart.ts';
import { fetchCustomer360, fetchCustomerAccounts, fetchCustomerRisk, fetchCustomerTransactions } from './customersApi.ts';

export const CUSTOMER_360_WIDTH = 560;
const PAGE_SIZE = 8;

const KIND_COPY: Record<IdentifierKind, { label: string; icon: ReactNode }> = {
  NATIONAL_ID: { label: 'National ID', icon: <BadgeOutlined /> },
  PHONE: { label: 'Phone', icon: <PhoneIphoneOutlined /> },
  EMAIL: { label: 'E-mail', icon: <AlternateEmailOutlined /> },
  CUSTOMER_REF: { label: 'Customer ref (CIF)', icon: <FingerprintOutlined /> },
  DEVICE: { label: 'Device', icon: <DevicesOutlined /> },
};

function Section({ title, action, children, testId }: { title: string; action?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Box component="section" data-testid={testId} sx={{ px: 2.5, py: 2, borderTop: 1, borderColor: 'divider' }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1.25, minHeight: 28 }}>
        <Typography variant="overline" component="h3" sx={{ color: 'text.secondary', flex: 1, lineHeight: 1.4 }}>
          {title}
        </Typography>
        {action}
      </Box>
      {children}
    </Box>
  );
}

function SectionError({ error }: { error: ApiError }) {
  return (
    <Alert severity="error" variant="outlined">
      {error.message}
    </Alert>
  );
}

function Lines({ n }: { n: number }) {
  return (
    <Box>
      {Array.from({ length: n }, (_, i) => (
        <Skeleton key={i} width={`${90 - i * 12}%`} height={20} />
      ))}
    </Box>
  );
}

function Kpi({ label, value, exact, tone }: { label: string; value: string; exact?: string; tone?: string }) {
  return (
    <Box sx={{ px: 1.5, py: 1.1, borderRadius: 2, bgcolor: 'action.hover', minWidth: 0 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }} noWrap>
        {label}
      </Typography>
      <Tooltip title={exact ?? ''}>
        <Mono component="div" sx={{ fontSize: 17, fontWeight: 650, color: tone ?? 'text.primary', lineHeight: 1.35 }}>
          {value}
        </Mono>
      </Tooltip>
    </Box>
  );
}

function CopyGcid({ gcid }: { gcid: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Tooltip title={copied ? 'Copied' : `Global customer id ${gcid} — click to copy`}>
      <ButtonBase
        onClick={() => {
          void navigator.clipboard?.writeText(gcid).then(() => setCopied(true));
          window.setTimeout(() => setCopied(false), 1500);
        }}
        sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, borderRadius: 1, px: 0.5, ml: -0.5, color: 'text.secondary' }}
        data-testid="c360-gcid"
      >
        <Mono sx={{ fontSize: 12, color: 'inherit' }}>GCID {gcid.slice(0, 8)}</Mono>
        <ContentCopy sx={{ fontSize: 12 }} />
      </ButtonBase>
    </Tooltip>
  );
}

function Header({ customer, risk, onClose }: { customer: Customer360 | undefined; risk: Customer360Risk | undefined; onClose: () => void }) {
  const theme = useTheme();
  const kycColour =
    customer?.kycStatus === 'VERIFIED'
      ? theme.palette.status.success
      : customer?.kycStatus === 'PENDING'
        ? theme.palette.status.warning
        : theme.palette.status.danger;
  return (
    <Box sx={{ px: 2.5, pt: 2, pb: 1.75, position: 'sticky', top: 0, zIndex: 2, bgcolor: 'background.paper', borderBottom: 1, borderColor: 'divider' }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1.5 }}>
        {customer ? <PersonAvatar name={customer.displayName} size={44} /> : <Skeleton variant="circular" width={44} height={44} />}
        <Box sx={{ minWidth: 0, flex: 1 }}>
          <Typography variant="overline" sx={{ color: 'primary.main', lineHeight: 1.2 }}>
            Customer 360
          </Typography>
          {customer ? (
            <Typography variant="h4" component="h2" noWrap data-testid="c360-name" title={customer.displayName}>
              {customer.displayName}
            </Typography>
          ) : (
            <Skeleton width={220} height={28} />
          )}
          {customer && (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, flexWrap: 'wrap' }}>
              <CopyGcid gcid={customer.gcid} />
              {customer.customerSince && (
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  · customer since {formatDate(customer.customerSince)}
                </Typography>
              )}
            </Box>
          )}
        </Box>
        <IconButton onClick={onClose} aria-label="Close customer 360" data-testid="c360-close" size="small" sx={{ mt: -0.5, mr: -1 }}>
          <CloseIcon fontSize="small" />
        </IconButton>
      </Box>
      {customer && (
        <Box sx={{ display: 'flex', gap: 0.75, flexWrap: 'wrap', mt: 1.25, alignItems: 'center' }}>
          {risk && (
            <Box sx={{ mr: 0.5 }}>
              <CustomerRiskChip risk={risk.overall} label="Overall risk" testId="c360-overall-risk" />
            </Box>
          )}
          {customer.segment && <TagChip label={humanise(customer.segment)} />}
          {customer.kycStatus && <Chip label={`KYC ${humanise(customer.kycStatus).toLowerCase()}`} sx={softChipSx(kycColour, theme)} />}
        </Box>
      )}
    </Box>
  );
}

function IdentifierValue({ identifier }: { identifier: CustomerIdentifier }) {
  return (
    <Tooltip
      title={
        <>
          From {identifier.source}
          <br />
          First seen {formatEat(identifier.firstSeenAt)}
          <br />
          Last seen {formatEat(identifier.lastSeenAt)}
        </>
      }
    >
      <Box
        component="span"
        sx={{
          px: 0.875,
          py: 0.25,
          borderRadius: 1,
          bgcolor: 'action.hover',
          border: 1,
          borderColor: 'divider',
          cursor: 'default',
          maxWidth: '100%',
          display: 'inline-flex',
        }}
      >
        <Mono sx={{ fontSize: 12 }} noWrap>
          {identifier.value}
        </Mono>
      </Box>
    </Tooltip>
  );
}

function IdentitySection({ customer }: { customer: Customer360 }) {
  const grouped = IdentifierKind.options
    .map((kind) => ({ kind, values: customer.identifiers.filter((i) => i.kind === kind) }))
    .filter((g) => g.values.length > 0);
  const merged = customer.mergedFrom.length;
  return (
    <Section
      title="Identity"
      testId="c360-identifiers"
      action={
        <Tooltip
          title={
            merged > 0
              ? `Merged GCIDs (they now redirect here): ${customer.mergedFrom.map((g) => g.slice(0, 8)).join(', ')}`
              : 'No other customer record has been merged into this one'
          }
        >
          <Box
            sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, color: merged > 0 ? 'primary.main' : 'text.secondary' }}
            data-testid="c360-merged"
            data-merged={merged}
          >
            <MergeTypeOutlined sx={{ fontSize: 16 }} />
            <Typography variant="caption" sx={{ fontWeight: merged > 0 ? 600 : 400 }}>
              {merged > 0 ? `merged from ${merged} ${merged === 1 ? 'record' : 'records'}` : 'no merged records'}
            </Typography>
          </Box>
        </Tooltip>
      }
    >
      {grouped.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No identifiers recorded.
        </Typography>
      )}
      <Box sx={{ display: 'grid', gap: 1 }}>
        {grouped.map(({ kind, values }) => (
          <Box
            key={kind}
            sx={{ display: 'grid', gridTemplateColumns: '150px minmax(0, 1fr)', gap: 1, alignItems: 'start' }}
            data-testid={`c360-identifier-${kind}`}
          >
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, color: 'text.secondary', '& svg': { fontSize: 16 }, pt: 0.25 }}>
              {KIND_COPY[kind].icon}
              <Typography variant="caption" sx={{ fontWeight: 600 }}>
                {KIND_COPY[kind].label}
                {values.length > 1 ? ` · ${values.length}` : ''}
              </Typography>
            </Box>
            <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', minWidth: 0 }}>
              {values.map((identifier) => (
                <IdentifierValue key={`${identifier.kind}:${identifier.value}`} identifier={identifier} />
              ))}
            </Box>
          </Box>
        ))}
      </Box>
      {customer.profiles.length > 0 && (
        <Box sx={{ mt: 1.75 }}>
          <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
            Core-banking records ({customer.profiles.length})
          </Typography>
          <Box sx={{ display: 'grid', gap: 0.5, mt: 0.5 }}>
            {customer.profiles.map((p) => (
              <Box key={p.id} sx={{ display: 'flex', alignItems: 'center', gap: 1, fontSize: 13 }} data-testid="c360-profile">
                <Mono sx={{ fontSize: 12, fontWeight: 600, minWidth: 110 }}>{p.customerRef}</Mono>
                <Typography variant="body2" noWrap sx={{ flex: 1, minWidth: 0 }}>
                  {p.fullName}
                </Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {p.county} · {humanise(p.segment)}
                </Typography>
              </Box>
            ))}
          </Box>
        </Box>
      )}
    </Section>
  );
}

function RiskSection({ risk }: { risk: Customer360Risk }) {
  const theme = useTheme();
  const option = useMemo(() => riskTrendOption(risk.trend, theme), [risk.trend, theme]);
  const p = risk.payments;
  const maxHits = Math.max(1, ...risk.topRules.map((r) => r.hits));
  return (
    <Section
      title="Risk profile"
      testId="c360-risk"
      action={
        risk.coreRiskRating && (
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            Core rating {humanise(risk.coreRiskRating).toLowerCase()}
          </Typography>
        )
      }
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 1 }}>
        <Kpi label="Payments (30 d)" value={formatCount(p.last30Days)} exact={`${formatCount(p.total)} in all`} />
        <Kpi label="Value (30 d)" value={formatMoneyCompact(p.totalKes30Days)} exact={formatMoney(p.totalKes30Days)} />
        <Kpi
          label="Avg / max score"
          value={`${p.averageScore === null ? '—' : normaliseScore(p.averageScore)} / ${p.maxScore === null ? '—' : normaliseScore(p.maxScore)}`}
        />
        <Kpi label="Open cases" value={formatCount(risk.cases.open)} tone={risk.cases.open > 0 ? theme.palette.status.warning : undefined} />
        <Kpi
          label="Blocked / approved"
          value={`${formatCount(risk.cases.blocked)} / ${formatCount(risk.cases.approved)}`}
          tone={risk.cases.blocked > 0 ? theme.palette.status.danger : undefined}
          exact={`${formatCount(risk.cases.closed)} closed cases`}
        />
        <Kpi label="Devices" value={formatCount(risk.devices)} tone={risk.devices > 3 ? theme.palette.status.warning : undefined} />
      </Box>
      <Box sx={{ mt: 1.75 }}>
        <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
          Last 30 days
        </Typography>
        {risk.trend.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', py: 2 }}>
            No payments in the last 30 days.
          </Typography>
        ) : (
          <EChart option={option} height={150} ariaLabel="Daily payments and average risk score over the last 30 days" testId="c360-trend" />
        )}
      </Box>
      {risk.topRules.length > 0 && (
        <Box sx={{ mt: 1.5 }}>
          <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
            Rules that fire most on this customer
          </Typography>
          <Box sx={{ display: 'grid', gap: 0.75, mt: 0.75 }} data-testid="c360-top-rules">
            {risk.topRules.slice(0, 5).map((rule) => (
              <Box key={rule.ruleId} sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 120px 36px', gap: 1, alignItems: 'center' }}>
                <Typography variant="body2" noWrap title={rule.name}>
                  {rule.name}
                </Typography>
                <Box sx={{ height: 6, borderRadius: 3, bgcolor: alpha(theme.palette.risk.HIGH, 0.12), overflow: 'hidden' }}>
                  <Box sx={{ width: `${(rule.hits / maxHits) * 100}%`, height: '100%', bgcolor: theme.palette.risk.HIGH, borderRadius: 3 }} />
                </Box>
                <Mono sx={{ fontSize: 12, textAlign: 'right', fontWeight: 600 }}>{rule.hits}</Mono>
              </Box>
            ))}
          </Box>
        </Box>
      )}
    </Section>
  );
}

function ShowAll({ hidden, expanded, onToggle, testId }: { hidden: number; expanded: boolean; onToggle: () => void; testId: string }) {
  if (hidden <= 0 && !expanded) return null;
  return (
    <Button
      size="small"
      onClick={onToggle}
      data-testid={testId}
      sx={{ mt: 0.5, ml: -0.75 }}
      endIcon={expanded ? <ExpandLess fontSize="small" /> : <ExpandMore fontSize="small" />}
    >
      {expanded ? 'Show fewer' : `Show ${hidden} more`}
    </Button>
  );
}

const ACCOUNTS_SHOWN = 5;
const CASES_SHOWN = 6;

function AccountsSection({ accounts: all, error, loading }: { accounts: Customer360Account[] | undefined; error: ApiError | null; loading: boolean }) {
  const [expanded, setExpanded] = useState(false);
  // Core accounts first, then the busiest: the ones an analyst checks.
  const sorted = all ? [...all].sort((a, b) => (a.source === b.source ? b.paymentCount - a.paymentCount : a.source === 'CORE' ? -1 : 1)) : undefined;
  const accounts = sorted && !expanded ? sorted.slice(0, ACCOUNTS_SHOWN) : sorted;
  return (
    <Section title={`Accounts${all ? ` (${all.length})` : ''}`} testId="c360-accounts">
      {error && <SectionError error={error} />}
      {loading && !accounts && <Lines n={3} />}
      {accounts && accounts.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No accounts known.
        </Typography>
      )}
      {accounts && accounts.length > 0 && (
        <Box
          component="table"
          sx={{
            width: '100%',
            borderCollapse: 'collapse',
            '& th, & td': { py: 0.875, px: 0.75, fontSize: 12.5, textAlign: 'left', borderBottom: 1, borderColor: 'divider', verticalAlign: 'top' },
            '& th': { color: 'text.secondary', fontWeight: 600, fontSize: 11.5 },
            '& tr:last-of-type td': { borderBottom: 0 },
            '& th:first-of-type, & td:first-of-type': { pl: 0 },
            '& th:last-of-type, & td:last-of-type': { pr: 0, textAlign: 'right' },
          }}
        >
          <thead>
            <tr>
              <th>Account</th>
              <th>Type · status</th>
              <th style={{ textAlign: 'right' }}>Payments</th>
              <th>Out (KES)</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.accountNumber} data-testid="c360-account">
                <td>
                  <Mono sx={{ fontSize: 12.5, fontWeight: 600, display: 'block' }}>{a.accountNumber}</Mono>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    {a.source === 'CORE' ? `Core${a.openedOn ? ` · since ${formatDate(a.openedOn)}` : ''}` : 'Seen on payments only'}
                  </Typography>
                </td>
                <td>
                  {a.type ? humanise(a.type) : '—'}
                  {a.status && (
                    <Typography
                      variant="caption"
                      component="div"
                      sx={{ color: a.status === 'ACTIVE' ? 'text.secondary' : 'warning.main', fontWeight: a.status === 'ACTIVE' ? 400 : 600 }}
                    >
                      {humanise(a.status)}
                    </Typography>
                  )}
                </td>
                <td style={{ textAlign: 'right' }}>
                  <Mono sx={{ fontSize: 12.5 }}>{formatCount(a.paymentCount)}</Mono>
                  {a.lastPaymentAt && (
                    <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                      last {formatEatShort(a.lastPaymentAt)}
                    </Typography>
                  )}
                </td>
                <td>
                  <Tooltip title={formatMoney(a.totalOutKes)}>
                    <Mono sx={{ fontSize: 12.5, fontWeight: 600 }}>{formatMoneyCompact(a.totalOutKes).replace(/^KES /, '')}</Mono>
                  </Tooltip>
                </td>
              </tr>
            ))}
          </tbody>
        </Box>
      )}
      {sorted && <ShowAll hidden={sorted.length - ACCOUNTS_SHOWN} expanded={expanded} onToggle={() => setExpanded((v) => !v)} testId="c360-accounts-more" />}
    </Section>
  );
}

function PaymentRow({ t, currentCaseId, onOpenCase }: { t: Customer360Transaction; currentCaseId: string | null; onOpenCase: (id: string) => void }) {
  const theme = useTheme();
  const linked = !!t.caseId;
  const here = t.caseId !== null && t.caseId === currentCaseId;
  const content = (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', gap: 1, width: '100%', alignItems: 'center' }}>
      <Box sx={{ minWidth: 0 }}>
        <Mono sx={{ fontSize: 12.5, fontWeight: 600, display: 'block' }} noWrap>
          {t.transactionReference}
        </Mono>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }} noWrap>
          {here && (
            <Box component="span" sx={{ color: 'primary.main', fontWeight: 600 }}>
              This case ·{' '}
            </Box>
          )}
          {formatEatShort(t.occurredAt)} · {t.channel} · {humanise(t.paymentType)}
          {t.country !== 'KE' ? ` · ${t.country}` : ''}
        </Typography>
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
        <Box sx={{ textAlign: 'right' }}>
          <Mono sx={{ fontSize: 12.5, fontWeight: 600, display: 'block' }}>{formatMoney(t.amountKes)}</Mono>
          {t.currency !== 'KES' && <Mono sx={{ fontSize: 11, color: 'text.secondary' }}>{formatMoney(t.amount, t.currency)}</Mono>}
        </Box>
        <Box sx={{ width: 76, display: 'flex', justifyContent: 'flex-end' }}>
          {t.riskLevel ? (
            <RiskChip level={t.riskLevel} />
          ) : (
            <Typography variant="caption" sx={{ color: 'text.disabled' }}>
              not scored
            </Typography>
          )}
        </Box>
        <Box sx={{ width: 104, display: 'flex', justifyContent: 'flex-end' }}>{t.decision && <DecisionChip decision={t.decision} />}</Box>
        <ChevronRight sx={{ fontSize: 18, color: linked && !here ? 'text.secondary' : 'transparent' }} />
      </Box>
    </Box>
  );
  const sx = { display: 'flex', width: '100%', px: 2.5, py: 0.875, textAlign: 'left', borderTop: 1, borderColor: 'divider' } as const;
  if (!linked || here) {
    return (
      <Box sx={sx} data-testid="c360-payment" data-reference={t.transactionReference}>
        {content}
      </Box>
    );
  }
  return (
    <Tooltip title="Open the case for this payment" placement="left" enterDelay={500}>
      <ButtonBase
        onClick={() => t.caseId && onOpenCase(t.caseId)}
        data-testid="c360-payment"
        data-reference={t.transactionReference}
        data-case-id={t.caseId ?? undefined}
        sx={{ ...sx, '&:hover': { bgcolor: alpha(theme.palette.primary.main, 0.05) } }}
      >
        {content}
      </ButtonBase>
    </Tooltip>
  );
}

function PaymentsSection({ gcid, currentCaseId, onOpenCase }: { gcid: string; currentCaseId: string | null; onOpenCase: (id: string) => void }) {
  const [days, setDays] = useState(90);
  const [page, setPage] = useState(0);
  const fetcher = useCallback((signal: AbortSignal) => fetchCustomerTransactions(gcid, { page, pageSize: PAGE_SIZE, days }, signal), [gcid, page, days]);
  const { data, error, loading } = useApiQuery(`c360-tx:${gcid}:${days}:${page}`, fetcher);
  const pages = data ? Math.ceil(data.total / PAGE_SIZE) : 0;
  return (
    <Box component="section" data-testid="c360-payments" sx={{ borderTop: 1, borderColor: 'divider', pt: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2.5, mb: 1.25 }}>
        <Typography variant="overline" component="h3" sx={{ color: 'text.secondary', flex: 1, lineHeight: 1.4 }}>
          Recent payments{data ? ` (${formatCount(data.total)})` : ''}
        </Typography>
        <TextField
          select
          size="small"
          value={days}
          onChange={(e) => {
            setDays(Number(e.target.value));
            setPage(0);
          }}
          slotProps={{ select: { 'aria-label': 'Period' } as Record<string, unknown>, htmlInput: { 'data-testid': 'c360-days' } as Record<string, unknown> }}
          sx={{ width: 132, '& .MuiInputBase-input': { py: 0.5, fontSize: 12.5 } }}
        >
          {[7, 30, 90, 365].map((d) => (
            <MenuItem key={d} value={d}>
              Last {d} days
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {error && (
        <Box sx={{ px: 2.5, pb: 1.5 }}>
          <SectionError error={error} />
        </Box>
      )}
      {loading && !data && (
        <Box sx={{ px: 2.5, pb: 2 }}>
          <Lines n={4} />
        </Box>
      )}
      {data && data.items.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, pb: 2 }}>
          No payments in the last {days} days.
        </Typography>
      )}
      {data && data.items.length > 0 && (
        <Box sx={{ opacity: loading ? 0.55 : 1, transition: 'opacity 120ms' }}>
          {data.items.map((t) => (
            <PaymentRow key={t.paymentId} t={t} currentCaseId={currentCaseId} onOpenCase={onOpenCase} />
          ))}
        </Box>
      )}
      {pages > 1 && (
        <Box sx={{ display: 'flex', justifyContent: 'center', py: 1, borderTop: 1, borderColor: 'divider' }}>
          <Pagination size="small" count={pages} page={page + 1} onChange={(_e, p) => setPage(p - 1)} siblingCount={0} data-testid="c360-payments-pages" />
        </Box>
      )}
    </Box>
  );
}

function PastCasesSection({ risk, currentCaseId, onOpenCase }: { risk: Customer360Risk; currentCaseId: string | null; onOpenCase: (id: string) => void }) {
  const theme = useTheme();
  const [expanded, setExpanded] = useState(false);
  const all = [...risk.pastCases].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const cases = expanded ? all : all.slice(0, CASES_SHOWN);
  return (
    <Box component="section" data-testid="c360-cases" sx={{ borderTop: 1, borderColor: 'divider', pt: 2, pb: 1 }}>
      <Typography variant="overline" component="h3" sx={{ color: 'text.secondary', px: 2.5, display: 'block', mb: 1 }}>
        Cases ({all.length})
      </Typography>
      {cases.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, pb: 1.5 }}>
          No earlier cases for this customer.
        </Typography>
      )}
      {cases.map((c) => {
        const here = c.id === currentCaseId;
        return (
          <ButtonBase
            key={c.id}
            onClick={() => onOpenCase(c.id)}
            disabled={here}
            data-testid="c360-case"
            data-case-id={c.id}
            sx={{
              display: 'grid',
              gridTemplateColumns: 'minmax(0, 1fr) auto',
              gap: 1,
              alignItems: 'center',
              width: '100%',
              px: 2.5,
              py: 1,
              textAlign: 'left',
              borderTop: 1,
              borderColor: 'divider',
              '&:hover': { bgcolor: alpha(theme.palette.primary.main, 0.05) },
            }}
          >
            <Box sx={{ minWidth: 0 }}>
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
                <Mono sx={{ fontSize: 12.5, fontWeight: 600 }}>{c.reference}</Mono>
                <RiskChip level={c.riskLevel} />
                {here && (
                  <Typography variant="caption" sx={{ color: 'primary.main', fontWeight: 600 }}>
                    this case
                  </Typography>
                )}
              </Box>
              <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }} noWrap>
                {formatDate(c.createdAt)}
                {c.closedAt ? ` → ${formatDate(c.closedAt)}` : ''} · {formatMoney(c.totalAmountKes)}
                {c.reasonCode ? ` · ${reasonLabel(c.reasonCode)}` : ''}
              </Typography>
            </Box>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
              {c.outcome ? <OutcomeChip outcome={c.outcome} /> : <CaseStateChip state={c.state} />}
              <ChevronRight sx={{ fontSize: 18, color: here ? 'transparent' : 'text.secondary' }} />
            </Box>
          </ButtonBase>
        );
      })}
      {all.length > CASES_SHOWN && (
        <Box sx={{ px: 2.5, borderTop: 1, borderColor: 'divider' }}>
          <ShowAll hidden={all.length - CASES_SHOWN} expanded={expanded} onToggle={() => setExpanded((v) => !v)} testId="c360-cases-more" />
        </Box>
      )}
    </Box>
  );
}

function Content({ gcid, currentCaseId, onClose }: { gcid: string; currentCaseId: string | null; onClose: () => void }) {
  const navigate = useNavigate();
  const customerFetcher = useCallback((signal: AbortSignal) => fetchCustomer360(gcid, signal), [gcid]);
  const riskFetcher = useCallback((signal: AbortSignal) => fetchCustomerRisk(gcid, signal), [gcid]);
  const accountsFetcher = useCallback((signal: AbortSignal) => fetchCustomerAccounts(gcid, signal), [gcid]);
  const customer = useApiQuery(`c360:${gcid}`, customerFetcher);
  const risk = useApiQuery(`c360-risk:${gcid}`, riskFetcher);
  const accounts = useApiQuery(`c360-accounts:${gcid}`, accountsFetcher);

  const openCase = (id: string) => {
    onClose();
    if (id !== currentCaseId) void navigate(`/cases/${id}`);
  };

  if (customer.error && !customer.data) {
    return (
      <>
        <Header customer={undefined} risk={undefined} onClose={onClose} />
        <Box sx={{ p: 2.5 }}>
          <Alert severity="error" variant="outlined" data-testid="c360-error">
            {customer.error.status === 404 ? 'This customer is not in the customer register.' : `Could not load this customer — ${customer.error.message}`}
          </Alert>
        </Box>
      </>
    );
  }
  return (
    <>
      <Header customer={customer.data} risk={risk.data} onClose={onClose} />
      {risk.error && (
        <Box sx={{ px: 2.5, pt: 2 }}>
          <SectionError error={risk.error} />
        </Box>
      )}
      {risk.data ? (
        <RiskSection risk={risk.data} />
      ) : (
        !risk.error && (
          <Section title="Risk profile">
            <Skeleton variant="rounded" height={120} />
          </Section>
        )
      )}
      {customer.data ? (
        <IdentitySection customer={customer.data} />
      ) : (
        <Section title="Identity">
          <Lines n={4} />
        </Section>
      )}
      <AccountsSection accounts={accounts.data} error={accounts.error} loading={accounts.loading} />
      <PaymentsSection gcid={gcid} currentCaseId={currentCaseId} onOpenCase={openCase} />
      {risk.data && <PastCasesSection risk={risk.data} currentCaseId={currentCaseId} onOpenCase={openCase} />}
    </>
  );
}

/** A right-hand drawer; the content (and its requests) exists only while it is open. */
export function Customer360Panel({
  gcid,
  open,
  onClose,
  currentCaseId = null,
}: {
  gcid: string;
  open: boolean;
  onClose: () => void;
  currentCaseId?: string | null;
}) {
  return (
    <Drawer
      anchor="right"
      open={open}
      onClose={onClose}
      slotProps={{
        paper: {
          sx: { width: { xs: '100%', sm: CUSTOMER_360_WIDTH }, maxWidth: '100%' },
          'data-testid': 'customer-360',
          'aria-label': 'Customer 360',
        } as Record<string, unknown>,
      }}
    >
      <Content gcid={gcid} currentCaseId={currentCaseId} onClose={onClose} />
    </Drawer>
  );
}
