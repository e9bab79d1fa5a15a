// What the detector saw (issue 15): its reasoning in order, its figures, the payments behind the
// alert (each opens its assessment's rule-by-rule log, or its case), the customers (Customer 360)
// and the scoring rules that fired on those payments.
import { lazy, Suspense, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { AlertEvidence } from '../../../shared/src/alerts.ts';
import type { Assessment, RiskLevel } from '../../../shared/src/assessments.ts';
import { toApiError } from '../api/client.ts';
import { useCan } from '../api/session.ts';
import { fetchAssessment } from '../decision-engine/decisionEngineApi.ts';
import { formatEat, formatMoney } from '../lib/format.ts';
import { RiskChip } from '../ui/chips.tsx';
import { SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { resolveCustomerRef } from './alertsApi.ts';
import { figureLabel } from './alertWords.tsx';

const AssessmentDrawer = lazy(() => import('../decision-engine/monitor/AssessmentDrawer.tsx').then((m) => ({ default: m.AssessmentDrawer })));
const Customer360Panel = lazy(() => import('../customers/Customer360Panel.tsx').then((m) => ({ default: m.Customer360Panel })));

const RISK_LEVELS = new Set(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);

function figureValue(value: string | number | boolean | null): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-KE') : value.toLocaleString('en-KE', { maximumFractionDigits: 3 });
  return value;
}

export function AlertEvidenceCard({ evidence }: { evidence: AlertEvidence }) {
  const canAssessments = useCan('assessment:read');
  const canCases = useCan('case:read');
  const canCustomers = useCan('customer:read');
  const [assessment, setAssessment] = useState<Assessment | null>(null);
  const [gcid, setGcid] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const openAssessment = async (id: string) => {
    setProblem(null);
    try {
      setAssessment(await fetchAssessment(id));
    } catch (caught) {
      setProblem(`Could not open the assessment: ${toApiError(caught).message}`);
    }
  };
  const openCustomer = async (customerRef: string) => {
    setProblem(null);
    try {
      const found = await resolveCustomerRef(customerRef);
      if (found.gcid) setGcid(found.gcid);
      else setProblem(`Customer 360 does not know ${customerRef} yet.`);
    } catch (caught) {
      setProblem(`Could not open Customer 360: ${toApiError(caught).message}`);
    }
  };
  const figures = Object.entries(evidence.figures);

  return (
    <SectionCard title="Evidence" subtitle="What the detector saw, in the order it reasoned" testId="alert-evidence">
      {problem && (
        <Alert severity="warning" sx={{ mb: 1.5 }} onClose={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
      {evidence.explanation.length > 0 && (
        <Box component="ol" sx={{ m: 0, mb: 2, pl: 2.5 }} data-testid="alert-explanation">
          {evidence.explanation.map((line, i) => (
            <Typography component="li" variant="body2" key={i} sx={{ mb: 0.5 }}>
              {line}
            </Typography>
          ))}
        </Box>
      )}
      {figures.length > 0 && (
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mb: 2 }} data-testid="alert-figures">
          {figures.map(([key, value]) => (
            <Box key={key} sx={{ border: 1, borderColor: 'divider', borderRadius: 1.5, px: 1.25, py: 0.75, minWidth: 120 }}>
              <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                {figureLabel(key)}
              </Typography>
              <Mono sx={{ fontWeight: 650 }}>{figureValue(value)}</Mono>
            </Box>
          ))}
        </Box>
      )}
      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
        Payments ({evidence.payments.length})
      </Typography>
      {evidence.payments.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
          No single payment: the detector measured an aggregate (see the figures).
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto', mb: 2 }}>
          <Table size="small" aria-label="Payments behind the alert" data-testid="alert-payments">
            <TableHead>
              <TableRow>
                <TableCell>Payment</TableCell>
                <TableCell>When (EAT)</TableCell>
                <TableCell>Customer</TableCell>
                <TableCell align="right">Amount</TableCell>
                <TableCell>Channel</TableCell>
                <TableCell>From → to account</TableCell>
                <TableCell>Risk</TableCell>
                <TableCell>Case</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {evidence.payments.map((p) => (
                <TableRow key={p.assessmentId} data-testid={`alert-payment-${p.transactionReference}`}>
                  <TableCell>
                    {canAssessments ? (
                      <Link component="button" variant="body2" onClick={() => openAssessment(p.assessmentId)} sx={{ fontFamily: 'inherit' }}>
                        <Mono variant="body2" component="span">
                          {p.transactionReference}
                        </Mono>
                      </Link>
                    ) : (
                      <Mono variant="body2">{p.transactionReference}</Mono>
                    )}
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatEat(p.occurredAt)}</TableCell>
                  <TableCell>
                    {canCustomers ? (
                      <Link component="button" variant="body2" onClick={() => openCustomer(p.customerRef)}>
                        {p.customerRef}
                      </Link>
                    ) : (
                      p.customerRef
                    )}
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    <Mono variant="body2">{formatMoney(p.amountKes)}</Mono>
                  </TableCell>
                  <TableCell>
                    {p.channel}
                    {p.country ? ` · ${p.country}` : ''}
                  </TableCell>
                  <TableCell>
                    <Mono variant="caption">
                      {p.debtorAccount ?? '—'} → {p.creditorAccount ?? '—'}
                    </Mono>
                  </TableCell>
                  <TableCell>
                    {p.riskLevel && RISK_LEVELS.has(p.riskLevel) ? <RiskChip level={p.riskLevel as RiskLevel} size="small" /> : (p.riskLevel ?? '—')}
                  </TableCell>
                  <TableCell>
                    {p.caseId && canCases ? (
                      <Link component={RouterLink} to={`/cases/${p.caseId}`} underline="hover">
                        Open case
                      </Link>
                    ) : p.caseId ? (
                      'Has a case'
                    ) : (
                      <Typography variant="body2" component="span" sx={{ color: 'text.disabled' }}>
                        None
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
        <Box>
          <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
            Customers ({evidence.customers.length})
          </Typography>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }} data-testid="alert-customers">
            {evidence.customers.length === 0 && (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                None
              </Typography>
            )}
            {evidence.customers.map((c) => (
              <Chip
                key={c}
                size="small"
                label={c}
                variant="outlined"
                onClick={canCustomers ? () => openCustomer(c) : undefined}
                title={canCustomers ? 'Open Customer 360' : undefined}
              />
            ))}
          </Box>
        </Box>
        <Box>
          <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
            Scoring rules that fired
          </Typography>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }} data-testid="alert-rules-fired">
            {evidence.rules.length === 0 && (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                None on these payments
              </Typography>
            )}
            {evidence.rules.map((r) => (
              <Chip key={r.ruleId} size="small" label={`${r.ruleId} × ${r.hits}`} title={`Fired on ${r.hits} of the payments`} />
            ))}
          </Box>
        </Box>
      </Box>
      {assessment && (
        <Suspense fallback={null}>
          <AssessmentDrawer key={assessment.id} initial={assessment} onClose={() => setAssessment(null)} onChanged={setAssessment} />
        </Suspense>
      )}
      {gcid && (
        <Suspense fallback={null}>
          <Customer360Panel gcid={gcid} open onClose={() => setGcid(null)} />
        </Suspense>
      )}
    </SectionCard>
  );
}
