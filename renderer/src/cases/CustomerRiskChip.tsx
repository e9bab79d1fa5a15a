import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import type { CustomerRisk } from '../../../shared/src/customer-risk.ts';
import { RiskChip } from '../ui/chips.tsx';

/**
 * The customer's overall risk with how it is computed: the same figure, label and explanation on
 * the case page and in Customer 360 (shared/src/customer-risk.ts; issue 11).
 */
export function CustomerRiskChip({ risk, testId, label }: { risk: CustomerRisk; testId: string; label?: string }) {
  return (
    <Tooltip title={risk.explanation}>
      <Box
        sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75 }}
        data-testid={testId}
        data-risk-level={risk.level}
        aria-label={`Overall customer risk ${risk.explanation}`}
      >
        {label && (
          <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
            {label}
          </Typography>
        )}
        <RiskChip level={risk.level} />
        <InfoOutlined sx={{ fontSize: 15, color: 'text.secondary' }} />
      </Box>
    </Tooltip>
  );
}
