// The risk events a KRI opened (breaches) or that name it, newest first, each linking to its page.
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { RiskEvent } from '../../../shared/src/risk-events.ts';
import type { ApiError } from '../api/client.ts';
import { FONT_MONO } from '../app/theme.ts';
import { formatCount, formatEatShort } from '../lib/format.ts';
import { SectionCard } from '../ui/layout.tsx';
import { EventStatusChip, SeverityChip } from './kriChips.tsx';

export function KriEventList({ events, total, error, kriId }: { events: readonly RiskEvent[]; total: number; error: ApiError | null; kriId: string }) {
  return (
    <SectionCard
      title="Risk events"
      subtitle={total > events.length ? `${formatCount(events.length)} newest of ${formatCount(total)}` : undefined}
      testId="kri-events"
      action={
        total > 0 ? (
          <Link component={RouterLink} to={`/risk-events?kriId=${kriId}`} variant="body2" underline="hover">
            All
          </Link>
        ) : undefined
      }
    >
      {error && (
        <Typography variant="body2" sx={{ color: 'error.main' }}>
          Could not load the events — {error.message}
        </Typography>
      )}
      {!error && events.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No events. A measurement beyond a threshold opens one.
        </Typography>
      )}
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
        {events.map((event) => (
          <Box key={event.id} sx={{ display: 'flex', gap: 1, alignItems: 'center', minWidth: 0 }} data-testid={`kri-event-${event.reference}`}>
            <SeverityChip severity={event.severity} />
            <Box sx={{ minWidth: 0, flex: 1 }}>
              <Link
                component={RouterLink}
                to={`/risk-events/${event.id}`}
                underline="hover"
                variant="body2"
                noWrap
                sx={{ display: 'block' }}
                title={event.title}
              >
                <Box component="span" sx={{ fontFamily: FONT_MONO, mr: 0.75 }}>
                  {event.reference}
                </Box>
                {event.title}
              </Link>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {formatEatShort(event.occurredAt)} EAT
              </Typography>
            </Box>
            <EventStatusChip status={event.status} />
          </Box>
        ))}
      </Box>
    </SectionCard>
  );
}
