import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import type { Assessment } from '../../../../shared/src/assessments.ts';
import { formatEatShort, formatMoney, scorePoints } from '../../lib/format.ts';
import { DecisionChip, RiskChip, TagChip } from '../../ui/chips.tsx';
import { SectionCard } from '../../ui/layout.tsx';
import { Mono } from '../../ui/values.tsx';

/**
 * New hits for the same customer join an open case, so a case can hold several payments. Each is
 * listed here; the one picked drives the rule breakdown and payment details below.
 */
export function LinkedPaymentsCard({
  assessments,
  selectedId,
  openingReference,
  totalKes,
  onSelect,
}: {
  assessments: readonly Assessment[];
  selectedId: string;
  openingReference: string;
  totalKes: number;
  onSelect: (id: string) => void;
}) {
  const theme = useTheme();
  return (
    <SectionCard
      title="Payments on this case"
      subtitle={`${assessments.length} payments · ${formatMoney(totalKes)} in total · pick one to see why it was flagged`}
      testId="linked-payments"
      padded={false}
    >
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, borderTop: 1, borderColor: 'divider' }}>
        {assessments.map((a) => {
          const selected = a.id === selectedId;
          return (
            <Box component="li" key={a.id} sx={{ '& + &': { borderTop: 1, borderColor: 'divider' } }}>
              <ButtonBase
                onClick={() => onSelect(a.id)}
                aria-pressed={selected}
                data-testid="linked-payment"
                data-selected={String(selected)}
                data-reference={a.transactionReference}
                sx={{
                  width: '100%',
                  display: 'grid',
                  gridTemplateColumns: 'minmax(0, 1.4fr) 84px minmax(0, 1fr) 118px 118px',
                  alignItems: 'center',
                  gap: 1.5,
                  px: 2.25,
                  py: 1.1,
                  textAlign: 'left',
                  borderLeft: 3,
                  borderColor: selected ? 'primary.main' : 'transparent',
                  bgcolor: selected ? alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.12 : 0.05) : 'transparent',
                  '&:hover': { bgcolor: selected ? alpha(theme.palette.primary.main, 0.09) : 'action.hover' },
                }}
              >
                <Box sx={{ minWidth: 0 }}>
                  <Mono sx={{ fontWeight: 600, fontSize: 12.5, display: 'block' }} noWrap>
                    {a.transactionReference}
                  </Mono>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }} noWrap component="div">
                    {formatEatShort(a.payment.timestamp)} EAT
                    {a.transactionReference === openingReference && (
                      <Box component="span" sx={{ color: 'primary.main', fontWeight: 600 }}>
                        {' '}
                        · opened the case
                      </Box>
                    )}
                  </Typography>
                </Box>
                <Box>
                  <TagChip label={a.payment.channel} />
                </Box>
                <Mono sx={{ fontWeight: 600, textAlign: 'right' }}>{formatMoney(a.payment.amountKes)}</Mono>
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
                  {a.riskLevel && <RiskChip level={a.riskLevel} />}
                  {a.riskScore !== null && (
                    <Mono sx={{ fontSize: 12, color: 'text.secondary' }} aria-label="score">
                      {scorePoints(a.riskScore)}
                    </Mono>
                  )}
                </Box>
                <Box sx={{ display: 'flex', justifyContent: 'flex-end' }}>
                  {(a.manualDecision?.decision ?? a.engineDecision) && (
                    <DecisionChip decision={a.manualDecision?.decision ?? a.engineDecision ?? 'MANUAL_REVIEW'} />
                  )}
                </Box>
              </ButtonBase>
            </Box>
          );
        })}
      </Box>
    </SectionCard>
  );
}
