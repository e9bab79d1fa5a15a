// The lists of the enterprise risk view: top risks by residual score, KRIs in breach now, and the
// period's notable events (largest losses, critical and high severity). Each row opens its page.
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { KriDirection } from '../../../shared/src/kris.ts';
import type { RiskOverview } from '../../../shared/src/risk-reports.ts';
import { FONT_MONO } from '../app/theme.ts';
import { formatEatShort, formatMoney, humanise } from '../lib/format.ts';
import { EVENT_TYPE_LABELS, KriStatusChip, SeverityChip } from '../kris/kriChips.tsx';
import { formatKriValue } from '../kris/kriInput.ts';
import { breachText } from '../kris/kriThresholds.ts';
import { softChipSx } from '../ui/chips.tsx';
import { SectionCard } from '../ui/layout.tsx';

function LevelBadge({ overview, levelKey, score }: { overview: RiskOverview; levelKey: string | null; score: number | null }) {
  const theme = useTheme();
  if (!levelKey)
    return (
      <Typography variant="caption" sx={{ color: 'text.disabled' }}>
        Not assessed
      </Typography>
    );
  const level = overview.matrix?.levels.find((l) => l.key === levelKey);
  const colour = level?.colour ?? theme.palette.status.neutral;
  return (
    <Box
      component="span"
      sx={[
        softChipSx(theme.palette.text.primary, theme),
        {
          borderColor: colour,
          borderRadius: 4,
          px: 0.75,
          py: 0.125,
          fontSize: 12,
          fontWeight: 600,
          display: 'inline-flex',
          alignItems: 'center',
          gap: 0.5,
          whiteSpace: 'nowrap',
        },
      ]}
    >
      <Box component="span" sx={{ width: 8, height: 8, borderRadius: '2px', bgcolor: colour }} />
      {level?.name ?? levelKey}
      {score !== null ? ` · ${score}` : ''}
    </Box>
  );
}

const cellSx = { py: 0.75, px: 1, fontSize: 13 } as const;

export function TopRisksCard({ overview }: { overview: RiskOverview }) {
  return (
    <SectionCard title="Top risks" subtitle="Open risks by residual score" testId="top-risks" padded={false}>
      {overview.topRisks.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.25, pb: 2 }}>
          No open risks.
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Top risks">
            <TableHead>
              <TableRow>
                <TableCell sx={{ ...cellSx, pl: 2.25 }}>Risk</TableCell>
                <TableCell sx={{ ...cellSx, display: { xs: 'none', xl: 'table-cell' } }}>Category</TableCell>
                <TableCell sx={cellSx}>Inherent</TableCell>
                <TableCell sx={cellSx}>Residual</TableCell>
                <TableCell sx={cellSx}>Owner</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {overview.topRisks.map((risk) => (
                <TableRow key={risk.id} hover data-testid={`top-risk-${risk.reference}`}>
                  <TableCell sx={{ ...cellSx, pl: 2.25, maxWidth: 300 }}>
                    <Link
                      component={RouterLink}
                      to={`/risks/${risk.id}`}
                      underline="hover"
                      sx={{ display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}
                      title={risk.title}
                    >
                      <Box component="span" sx={{ fontFamily: FONT_MONO, mr: 0.75 }}>
                        {risk.reference}
                      </Box>
                      {risk.title}
                    </Link>
                    {risk.reviewOverdue && (
                      <Typography variant="caption" sx={{ color: 'error.main', fontWeight: 600 }}>
                        Review overdue
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell sx={{ ...cellSx, display: { xs: 'none', xl: 'table-cell' } }}>{humanise(risk.category)}</TableCell>
                  <TableCell sx={cellSx}>
                    <LevelBadge overview={overview} levelKey={risk.inherentLevel} score={risk.inherentScore} />
                  </TableCell>
                  <TableCell sx={cellSx}>
                    <LevelBadge overview={overview} levelKey={risk.residualLevel} score={risk.residualScore} />
                  </TableCell>
                  <TableCell sx={{ ...cellSx, whiteSpace: 'nowrap' }}>{risk.ownerName ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </SectionCard>
  );
}

export function KrisInBreachCard({ overview }: { overview: RiskOverview }) {
  return (
    <SectionCard title="KRIs in breach" subtitle="Warning or critical at their last measurement" testId="kris-in-breach">
      {overview.krisInBreach.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Every KRI is within its thresholds.
        </Typography>
      ) : (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
          {overview.krisInBreach.map((kri) => {
            const direction = (kri.direction === 'HIGHER_IS_BETTER' ? 'HIGHER_IS_BETTER' : 'HIGHER_IS_WORSE') as KriDirection;
            const threshold = kri.status === 'CRITICAL' ? kri.thresholdCritical : kri.thresholdWarning;
            return (
              <Box key={kri.id} sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }} data-testid={`breach-kri-${kri.reference}`}>
                <KriStatusChip status={kri.status} />
                <Box sx={{ minWidth: 0, flex: 1 }}>
                  <Link component={RouterLink} to={`/kris/${kri.id}`} underline="hover" variant="body2" noWrap sx={{ display: 'block' }} title={kri.name}>
                    <Box component="span" sx={{ fontFamily: FONT_MONO, mr: 0.75 }}>
                      {kri.reference}
                    </Box>
                    {kri.name}
                  </Link>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }} noWrap component="div">
                    {kri.ownerName ?? 'No owner'}
                    {kri.lastMeasuredAt ? ` · ${formatEatShort(kri.lastMeasuredAt)}` : ''}
                  </Typography>
                </Box>
                <Box sx={{ textAlign: 'right', flexShrink: 0 }}>
                  <Typography sx={{ fontFamily: FONT_MONO, fontWeight: 650, fontSize: 14 }}>{formatKriValue(kri.lastValue, kri.unit)}</Typography>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    {kri.status === 'CRITICAL' ? 'critical' : 'warning'} {breachText(direction, formatKriValue(threshold, kri.unit))}
                  </Typography>
                </Box>
              </Box>
            );
          })}
        </Box>
      )}
    </SectionCard>
  );
}

export function NotableEventsCard({ overview }: { overview: RiskOverview }) {
  if (overview.notableEvents.length === 0) return null;
  return (
    <SectionCard title="Notable events" subtitle="Largest losses and high or critical severity in the period" testId="notable-events" padded={false}>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Notable risk events">
          <TableHead>
            <TableRow>
              <TableCell sx={{ ...cellSx, pl: 2.25 }}>Event</TableCell>
              <TableCell sx={cellSx}>Type</TableCell>
              <TableCell sx={cellSx}>Severity</TableCell>
              <TableCell sx={cellSx}>Occurred (EAT)</TableCell>
              <TableCell sx={cellSx}>Risk</TableCell>
              <TableCell sx={{ ...cellSx, pr: 2.25 }} align="right">
                Financial impact
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {overview.notableEvents.map((event) => (
              <TableRow key={event.id} hover>
                <TableCell sx={{ ...cellSx, pl: 2.25, maxWidth: 360 }}>
                  <Link
                    component={RouterLink}
                    to={`/risk-events/${event.id}`}
                    underline="hover"
                    sx={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                    title={event.title}
                  >
                    <Box component="span" sx={{ fontFamily: FONT_MONO, mr: 0.75 }}>
                      {event.reference}
                    </Box>
                    {event.title}
                  </Link>
                </TableCell>
                <TableCell sx={cellSx}>{EVENT_TYPE_LABELS[event.type] ?? event.type}</TableCell>
                <TableCell sx={cellSx}>
                  <SeverityChip severity={event.severity} />
                </TableCell>
                <TableCell sx={{ ...cellSx, whiteSpace: 'nowrap' }}>{formatEatShort(event.occurredAt)}</TableCell>
                <TableCell sx={{ ...cellSx, fontFamily: FONT_MONO }}>{event.riskReference ?? '—'}</TableCell>
                <TableCell sx={{ ...cellSx, pr: 2.25, fontFamily: FONT_MONO, whiteSpace: 'nowrap' }} align="right">
                  {event.financialImpact !== null ? formatMoney(event.financialImpact, event.currency ?? 'KES') : ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </SectionCard>
  );
}
