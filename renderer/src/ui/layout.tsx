import type { ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import IconButton from '@mui/material/IconButton';
import Skeleton from '@mui/material/Skeleton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { SxProps, Theme } from '@mui/material/styles';
import RefreshIcon from '@mui/icons-material/Refresh';
import { type ApiError, isHubUnavailable } from '../api/client.ts';
import { HubNeededAlert } from '../sync/HubNeededAlert.tsx';

export function PageHeader({ title, subtitle, actions, children }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, mb: 2, flexWrap: 'wrap' }}>
      <Box sx={{ flex: 1, minWidth: 240 }}>
        <Typography variant="h3" component="h1">
          {title}
        </Typography>
        {subtitle && (
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25 }}>
            {subtitle}
          </Typography>
        )}
        {children}
      </Box>
      {actions && <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>{actions}</Box>}
    </Box>
  );
}

/** The page body: a scrolling column with consistent padding and a readable max width. */
export function Page({ children, maxWidth = 1560 }: { children: ReactNode; maxWidth?: number }) {
  return <Box sx={{ px: { xs: 2, md: 2.5 }, py: 2.5, maxWidth, mx: 'auto', width: '100%' }}>{children}</Box>;
}

export function ErrorState({ error, onRetry, title }: { error: ApiError | Error; onRetry?: () => void; title?: string }) {
  // A workstation offline asked for something only the hub does: say so calmly (issue 12).
  if (isHubUnavailable(error)) return <HubNeededAlert onRetry={onRetry} />;
  return (
    <Alert
      severity="error"
      variant="outlined"
      action={
        onRetry && (
          <Button color="inherit" size="small" startIcon={<RefreshIcon fontSize="small" />} onClick={onRetry}>
            Retry
          </Button>
        )
      }
      sx={{ alignItems: 'center' }}
    >
      <strong>{title ?? 'Could not load this'}</strong> — {error.message}
    </Alert>
  );
}

export function EmptyState({ icon, title, body, action }: { icon?: ReactNode; title: string; body?: ReactNode; action?: ReactNode }) {
  return (
    <Box
      sx={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        textAlign: 'center',
        gap: 1,
        py: 6,
        px: 2,
        height: '100%',
      }}
    >
      {icon && <Box sx={{ color: 'text.disabled', '& svg': { fontSize: 40 } }}>{icon}</Box>}
      <Typography variant="subtitle1">{title}</Typography>
      {body && (
        <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 420 }}>
          {body}
        </Typography>
      )}
      {action}
    </Box>
  );
}

export function SectionCard({
  title,
  subtitle,
  action,
  children,
  testId,
  padded = true,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  testId?: string;
  padded?: boolean;
}) {
  return (
    <Card data-testid={testId} component="section">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2.25, pt: 1.75, pb: 1.25 }}>
        <CardHeading title={title} subtitle={subtitle} sx={{ flex: 1, minWidth: 0 }} />
        {action}
      </Box>
      <Box sx={padded ? { px: 2.25, pb: 2 } : undefined}>{children}</Box>
    </Card>
  );
}

/** A card's title with an optional one-line caption under it. */
export function CardHeading({ title, subtitle, sx }: { title: ReactNode; subtitle?: ReactNode; sx?: SxProps<Theme> }) {
  return (
    <Box sx={sx}>
      <Typography variant="h6" component="h2">
        {title}
      </Typography>
      {subtitle && (
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {subtitle}
        </Typography>
      )}
    </Box>
  );
}

export function CardSkeleton({ lines = 4, height }: { lines?: number; height?: number }) {
  return (
    <Card sx={{ p: 2.25 }}>
      <Skeleton width="30%" height={22} />
      {height ? (
        <Skeleton variant="rounded" height={height} sx={{ mt: 1.5 }} />
      ) : (
        Array.from({ length: lines }, (_, i) => <Skeleton key={i} width={`${85 - i * 9}%`} height={18} sx={{ mt: 1 }} />)
      )}
    </Card>
  );
}

/** A small "refresh now" icon button for page headers and toolbars. */
export function RefreshButton({ onClick, disabled, label }: { onClick: () => void; disabled?: boolean; label: string }) {
  return (
    <Tooltip title="Refresh">
      <span>
        <IconButton onClick={onClick} disabled={disabled} aria-label={label} size="small">
          <RefreshIcon fontSize="small" />
        </IconButton>
      </span>
    </Tooltip>
  );
}
