import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import HubOutlined from '@mui/icons-material/HubOutlined';
import PersonOutlined from '@mui/icons-material/PersonOutlined';
import Chip from '@mui/material/Chip';
import type { Customer } from '../../../shared/src/customers.ts';
import type { CustomerRisk } from '../../../shared/src/customer-risk.ts';
import { CustomerRiskChip } from './CustomerRiskChip.tsx';
import { formatDate, humanise } from '../lib/format.ts';
import { RiskChip, softChipSx } from '../ui/chips.tsx';
import { EmptyState, SectionCard } from '../ui/layout.tsx';
import { Field, Mono, PersonAvatar } from '../ui/values.tsx';

function KycChip({ status }: { status: Customer['kycStatus'] }) {
  const theme = useTheme();
  const colour = status === 'VERIFIED' ? theme.palette.status.success : status === 'PENDING' ? theme.palette.status.warning : theme.palette.status.danger;
  return <Chip label={humanise(status)} sx={softChipSx(colour, theme)} />;
}

function Open360({ onOpen }: { onOpen?: () => void }) {
  if (!onOpen) return null;
  return (
    <Button size="small" variant="outlined" startIcon={<HubOutlined fontSize="small" />} onClick={onOpen} data-testid="open-customer-360">
      Customer 360
    </Button>
  );
}

/** The core-banking record behind the case; `onOpen360` (set when the case has a global customer id) opens the 360 view. */
export function CustomerCard({
  customer,
  customerRef,
  risk,
  onOpen360,
}: {
  customer: Customer | null;
  customerRef: string;
  /** The overall risk Customer 360 shows too; without a global customer id, the core rating alone. */
  risk: CustomerRisk | null;
  onOpen360?: () => void;
}) {
  if (!customer) {
    return (
      <SectionCard title="Customer" testId="customer-card" action={<Open360 onOpen={onOpen360} />}>
        <EmptyState
          icon={<PersonOutlined />}
          title="Customer not on file"
          body={
            <>
              No customer record matches <Mono>{customerRef}</Mono>. Verify the payer through the core banking system before deciding.
            </>
          }
        />
      </SectionCard>
    );
  }
  return (
    <SectionCard title="Customer" testId="customer-card" padded={false} action={<Open360 onOpen={onOpen360} />}>
      <Box sx={{ px: 2.25, pb: 2 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 2 }}>
          <PersonAvatar name={customer.fullName} size={40} />
          <Box sx={{ minWidth: 0, flex: 1 }}>
            <Typography variant="subtitle1" data-testid="customer-name" noWrap>
              {customer.fullName}
            </Typography>
            <Mono variant="caption" sx={{ color: 'text.secondary' }}>
              {customer.customerRef}
            </Mono>
          </Box>
        </Box>
        <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: 2, rowGap: 1.5 }}>
          <Field label="Overall risk">
            {risk ? (
              <CustomerRiskChip risk={risk} testId="customer-overall-risk" />
            ) : (
              <RiskChip level={customer.riskRating} data-testid="customer-overall-risk" />
            )}
          </Field>
          <Field label="Core-banking rating">
            <RiskChip level={customer.riskRating} data-testid="customer-core-rating" />
          </Field>
          <Field label="KYC">
            <KycChip status={customer.kycStatus} />
          </Field>
          <Field label="National ID" mono>
            {customer.nationalId}
          </Field>
          <Field label="Phone" mono>
            {customer.phone}
          </Field>
          <Field label="Email" wide>
            {customer.email}
          </Field>
          <Field label="County">{customer.county}</Field>
          <Field label="Segment">{humanise(customer.segment)}</Field>
          <Field label="Customer since">{formatDate(customer.customerSince)}</Field>
        </Box>
      </Box>
      {customer.accounts.length > 0 && (
        <Table
          size="small"
          aria-label="Customer accounts"
          sx={{
            '& td, & th': { px: 1, fontSize: 12.5 },
            '& td:first-of-type, & th:first-of-type': { pl: 2.25 },
            '& td:last-of-type, & th:last-of-type': { pr: 2.25 },
            borderTop: 1,
            borderColor: 'divider',
          }}
        >
          <TableHead>
            <TableRow>
              <TableCell sx={{ color: 'text.secondary', fontWeight: 600 }}>Account</TableCell>
              <TableCell sx={{ color: 'text.secondary', fontWeight: 600 }}>Type</TableCell>
              <TableCell sx={{ color: 'text.secondary', fontWeight: 600 }} align="right">
                Status
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {customer.accounts.map((account) => (
              <TableRow key={account.accountNumber} sx={{ '&:last-child td': { borderBottom: 0 } }}>
                <TableCell>
                  <Mono sx={{ fontSize: 12.5, display: 'block' }}>{account.accountNumber}</Mono>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    since {formatDate(account.openedOn)}
                  </Typography>
                </TableCell>
                <TableCell>{humanise(account.type)}</TableCell>
                <TableCell
                  align="right"
                  sx={{ color: account.status === 'ACTIVE' ? 'text.primary' : 'warning.main', fontWeight: account.status === 'ACTIVE' ? 400 : 600 }}
                >
                  {humanise(account.status)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </SectionCard>
  );
}
