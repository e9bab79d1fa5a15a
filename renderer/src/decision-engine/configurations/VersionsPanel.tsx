// Every version of a configuration, newest first; a past version opens read-only.
import { useCallback } from 'react';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Skeleton from '@mui/material/Skeleton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { formatEat, formatEatShort } from '../../lib/format.ts';
import { ErrorState, SectionCard } from '../../ui/layout.tsx';
import { Mono } from '../../ui/values.tsx';
import { fetchVersions } from '../decisionEngineApi.ts';
import { VersionStatusChip } from '../engineChips.tsx';

export function VersionsPanel({
  configurationId,
  refreshKey,
  viewing,
  onView,
}: {
  configurationId: string;
  /** Changes whenever the configuration changes, so the list follows. */
  refreshKey: string;
  viewing: number | null;
  onView: (versionNumber: number | null) => void;
}) {
  const fetcher = useCallback((signal: AbortSignal) => fetchVersions(configurationId, signal), [configurationId]);
  const { data, error, loading, refetch } = useApiQuery(`versions:${configurationId}:${refreshKey}`, fetcher);
  const versions = [...(data ?? [])].sort((a, b) => b.versionNumber - a.versionNumber);

  return (
    <SectionCard title="Versions" subtitle="Every published change is kept; open one to read it" testId="versions-panel" padded={false}>
      {error && (
        <Box sx={{ px: 2, pb: 2 }}>
          <ErrorState error={error} onRetry={() => refetch()} title="Could not load versions" />
        </Box>
      )}
      {loading && !data && (
        <Box sx={{ px: 2.25, pb: 2 }}>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={44} />
          ))}
        </Box>
      )}
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0, maxHeight: 420, overflow: 'auto' }}>
        {versions.map((version) => {
          const editing = version.status === 'DRAFT' || version.status === 'PUBLISHED';
          const selected = viewing === version.versionNumber || (viewing === null && editing && version.status === 'DRAFT');
          return (
            <Box component="li" key={version.versionNumber}>
              <ButtonBase
                onClick={() => onView(editing ? null : version.versionNumber)}
                data-testid={`version-${version.versionNumber}`}
                data-status={version.status}
                sx={(theme) => ({
                  display: 'block',
                  width: '100%',
                  textAlign: 'left',
                  px: 2.25,
                  py: 1,
                  borderTop: 1,
                  borderColor: 'divider',
                  bgcolor: selected ? alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.12 : 0.06) : undefined,
                  '&:hover': { bgcolor: 'action.hover' },
                })}
              >
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                  <Mono sx={{ fontWeight: 650, fontSize: 13 }}>v{version.version}</Mono>
                  <VersionStatusChip status={version.status} />
                  <Box sx={{ flex: 1 }} />
                  <Tooltip title={formatEat(version.createdAt)}>
                    <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                      {formatEatShort(version.publishedAt ?? version.createdAt)}
                    </Typography>
                  </Tooltip>
                </Box>
                <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }} noWrap>
                  {version.publishedBy ? `Published by ${version.publishedBy}` : `By ${version.createdBy ?? 'system'}`}
                  {version.backtestId && (
                    <>
                      {' · backtest '}
                      <Mono sx={{ fontSize: 11 }}>{version.backtestId.slice(0, 12)}</Mono>
                    </>
                  )}
                </Typography>
                {version.changeNote && (
                  <Typography
                    variant="caption"
                    component="div"
                    sx={{ color: 'text.primary', mt: 0.25, display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}
                  >
                    “{version.changeNote}”
                  </Typography>
                )}
              </ButtonBase>
            </Box>
          );
        })}
      </Box>
    </SectionCard>
  );
}
