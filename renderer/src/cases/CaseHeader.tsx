import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Link from '@mui/material/Link';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import Button from '@mui/material/Button';
import ChevronLeft from '@mui/icons-material/ChevronLeft';
import KeyboardArrowDown from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowUp from '@mui/icons-material/KeyboardArrowUp';
import KeyboardOutlined from '@mui/icons-material/KeyboardOutlined';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import type { CaseSummary } from '../../../shared/src/cases.ts';
import { formatCount, formatEat, formatMoney, normaliseScore } from '../lib/format.ts';
import type { QueueContext } from './detail/useQueueContext.ts';
import { KeyHint } from './DecisionPanel.tsx';
import { CaseStateChip, DecisionChip, OutcomeChip, RiskChip } from '../ui/chips.tsx';
import { Assignee, Mono, ScoreBar, TimeAgo } from '../ui/values.tsx';
import { CaseSlaChip } from './detail/CaseSlaChip.tsx';
import { TagsEditor } from './detail/TagsEditor.tsx';

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.25, minWidth: 0 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', minHeight: 24 }}>{children}</Box>
    </Box>
  );
}

export function CaseHeader({
  summary,
  queue,
  onShowShortcuts,
  tagsEditable = false,
  onSaveTags,
}: {
  summary: CaseSummary;
  queue: QueueContext;
  onShowShortcuts: () => void;
  tagsEditable?: boolean;
  onSaveTags?: (tags: string[]) => Promise<void>;
}) {
  const several = summary.paymentCount > 1;
  return (
    <Box sx={{ mb: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Link
          component={RouterLink}
          to={queue.queueHref}
          underline="hover"
          data-testid="case-back-to-queue"
          sx={{ display: 'inline-flex', alignItems: 'center', color: 'text.secondary', fontSize: 13, fontWeight: 500, ml: -0.5 }}
        >
          <ChevronLeft fontSize="small" /> Case queue
        </Link>
        {queue.position && (
          <Typography variant="caption" sx={{ color: 'text.secondary' }} data-testid="case-queue-position">
            · case {formatCount(queue.position.index)} of {formatCount(queue.position.total)}
          </Typography>
        )}
        <Box sx={{ flex: 1 }} />
        {queue.inQueue && (
          <>
            <Button
              size="small"
              color="inherit"
              component={RouterLink}
              to={queue.prev?.href ?? '#'}
              disabled={!queue.prev}
              startIcon={<KeyboardArrowUp fontSize="small" />}
              sx={{ color: 'text.secondary' }}
              data-testid="case-prev"
            >
              Previous
              <KeyHint>K</KeyHint>
            </Button>
            <Button
              size="small"
              color="inherit"
              component={RouterLink}
              to={queue.next?.href ?? '#'}
              disabled={!queue.next}
              startIcon={<KeyboardArrowDown fontSize="small" />}
              sx={{ color: 'text.secondary' }}
              data-testid="case-next"
            >
              Next
              <KeyHint>J</KeyHint>
            </Button>
          </>
        )}
        <Button
          size="small"
          color="inherit"
          onClick={onShowShortcuts}
          startIcon={<KeyboardOutlined fontSize="small" />}
          sx={{ color: 'text.secondary' }}
          data-testid="case-shortcuts-button"
        >
          Shortcuts
          <KeyHint>?</KeyHint>
        </Button>
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, flexWrap: 'wrap' }}>
        <Mono component="h1" sx={{ fontSize: 22, fontWeight: 600, letterSpacing: '-0.02em', m: 0 }} data-testid="case-reference">
          {summary.reference}
        </Mono>
        <CaseStateChip state={summary.state} data-testid="case-state" />
        <RiskChip level={summary.riskLevel} data-testid="case-risk" />
        {summary.outcome && <OutcomeChip outcome={summary.outcome} />}
        {several && (
          <Box
            data-testid="case-payment-count"
            sx={{
              display: 'inline-flex',
              alignItems: 'center',
              gap: 0.75,
              ml: 0.5,
              px: 1.25,
              py: 0.25,
              borderRadius: 4,
              bgcolor: 'action.hover',
              color: 'text.secondary',
            }}
          >
            <ReceiptLongOutlined sx={{ fontSize: 16 }} />
            <Typography variant="body2" sx={{ fontWeight: 550, color: 'text.primary' }}>
              {summary.paymentCount} payments
            </Typography>
            <Typography variant="body2">·</Typography>
            <Mono sx={{ fontWeight: 600, color: 'text.primary' }}>{formatMoney(summary.totalAmountKes)}</Mono>
          </Box>
        )}
      </Box>
      <Box
        sx={{
          display: 'flex',
          columnGap: 3,
          rowGap: 1.5,
          flexWrap: 'wrap',
          mt: 1.75,
          px: 2,
          py: 1.25,
          border: 1,
          borderColor: 'divider',
          borderRadius: 2.5,
          bgcolor: 'background.paper',
        }}
      >
        <Meta label={several ? `At stake · ${formatCount(summary.paymentCount)} payments` : 'At stake · 1 payment'}>
          <Mono sx={{ fontWeight: 700, fontSize: 14 }} data-testid="case-at-stake">
            {formatMoney(summary.totalAmountKes)}
          </Mono>
        </Meta>
        {several && (
          <Meta label="Opening payment">
            <Mono sx={{ fontWeight: 500, fontSize: 13, color: 'text.secondary' }}>{formatMoney(summary.amountKes)}</Mono>
          </Meta>
        )}
        <Meta label="Customer">
          <Typography variant="body2" sx={{ fontWeight: 550, maxWidth: 200 }} noWrap title={summary.customerName ?? summary.customerRef}>
            {summary.customerName ?? summary.customerRef}
          </Typography>
        </Meta>
        <Meta label="Risk score">
          <ScoreBar points={normaliseScore(summary.riskScore)} width={64} />
        </Meta>
        <Meta label="Engine decision">
          <DecisionChip decision={summary.openingDecision} />
        </Meta>
        <Meta label="SLA">
          <CaseSlaChip summary={summary} />
        </Meta>
        <Meta label="Opened">
          <TimeAgo value={summary.createdAt} />
        </Meta>
        <Meta label="Assignee">
          <Box data-testid="case-assignee">
            <Assignee name={summary.assigneeName} />
          </Box>
        </Meta>
        <Meta label="Queue">
          <Typography variant="body2" data-testid="case-queue">
            {summary.queue}
          </Typography>
        </Meta>
        <Divider orientation="vertical" flexItem />
        <Meta label="Version">
          <Tooltip title={`Last changed ${formatEat(summary.updatedAt)}`}>
            <Mono data-testid="case-version" sx={{ color: 'text.secondary' }}>
              v{summary.version}
            </Mono>
          </Tooltip>
        </Meta>
      </Box>
      <Box sx={{ mt: 1.25, px: 0.5 }}>
        <TagsEditor tags={summary.tags} editable={tagsEditable && !!onSaveTags} onSave={onSaveTags ?? (async () => undefined)} />
      </Box>
    </Box>
  );
}
