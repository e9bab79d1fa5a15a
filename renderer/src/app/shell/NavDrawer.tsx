import { Fragment, type ReactNode } from 'react';
import { Link as RouterLink, useLocation, type Location } from 'react-router';
import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import AccountTreeOutlined from '@mui/icons-material/AccountTreeOutlined';
import CalculateOutlined from '@mui/icons-material/CalculateOutlined';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import InboxOutlined from '@mui/icons-material/InboxOutlined';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import SpaceDashboardOutlined from '@mui/icons-material/SpaceDashboardOutlined';
import ToggleOnOutlined from '@mui/icons-material/ToggleOnOutlined';
import ManageAccountsOutlined from '@mui/icons-material/ManageAccountsOutlined';
import VpnKeyOutlined from '@mui/icons-material/VpnKeyOutlined';
import TuneOutlined from '@mui/icons-material/TuneOutlined';
import CurrencyExchangeOutlined from '@mui/icons-material/CurrencyExchangeOutlined';
import SyncProblemOutlined from '@mui/icons-material/SyncProblemOutlined';
import GppMaybeOutlined from '@mui/icons-material/GppMaybeOutlined';
import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import GridOnOutlined from '@mui/icons-material/GridOnOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import ReportProblemOutlined from '@mui/icons-material/ReportProblemOutlined';
import HandshakeOutlined from '@mui/icons-material/HandshakeOutlined';
import AppsOutlined from '@mui/icons-material/AppsOutlined';
import NotificationsActiveOutlined from '@mui/icons-material/NotificationsActiveOutlined';
import CampaignOutlined from '@mui/icons-material/CampaignOutlined';
import AltRouteOutlined from '@mui/icons-material/AltRouteOutlined';
import SsidChartOutlined from '@mui/icons-material/SsidChartOutlined';
import QueryStatsOutlined from '@mui/icons-material/QueryStatsOutlined';
import type { UserPublic } from '../../../../shared/src/auth.ts';
import type { QueueCounts } from '../../../../shared/src/cases.ts';
import { formatCount } from '../../lib/format.ts';
import { ConflictCountBadge } from '../../sync/ConflictCountBadge.tsx';
import { NavCountPill } from '../../ui/NavCountPill.tsx';
import { useSyncStatus } from '../../sync/syncStatus.ts';
import { allowedScreens, type ScreenId } from '../screens.ts';

export const NAV_WIDTH = 212;

const ICONS: Record<ScreenId, ReactNode> = {
  overview: <SpaceDashboardOutlined fontSize="small" />,
  analytics: <QueryStatsOutlined fontSize="small" />,
  cases: <InboxOutlined fontSize="small" />,
  queues: <AccountTreeOutlined fontSize="small" />,
  assessments: <FactCheckOutlined fontSize="small" />,
  'decision-engine': <TuneOutlined fontSize="small" />,
  'fraud-api-toggles': <ToggleOnOutlined fontSize="small" />,
  'fx-rates': <CurrencyExchangeOutlined fontSize="small" />,
  risks: <GppMaybeOutlined fontSize="small" />,
  controls: <VerifiedUserOutlined fontSize="small" />,
  'risk-matrix': <GridOnOutlined fontSize="small" />,
  kris: <MonitorHeartOutlined fontSize="small" />,
  'risk-events': <ReportProblemOutlined fontSize="small" />,
  'risk-models': <CalculateOutlined fontSize="small" />,
  consents: <HandshakeOutlined fontSize="small" />,
  'open-banking-apps': <AppsOutlined fontSize="small" />,
  alerts: <NotificationsActiveOutlined fontSize="small" />,
  'alert-channels': <CampaignOutlined fontSize="small" />,
  'alert-rules': <AltRouteOutlined fontSize="small" />,
  'alert-thresholds': <SsidChartOutlined fontSize="small" />,
  audit: <ReceiptLongOutlined fontSize="small" />,
  'sync-conflicts': <SyncProblemOutlined fontSize="small" />,
  users: <ManageAccountsOutlined fontSize="small" />,
  'api-clients': <VpnKeyOutlined fontSize="small" />,
};

function QueueBadge({ counts }: { counts: QueueCounts }) {
  const theme = useTheme();
  const urgent = counts.overdue > 0;
  return (
    <NavCountPill
      colour={urgent ? theme.palette.status.danger : theme.palette.primary.main}
      title={`${formatCount(counts.open)} open · ${formatCount(counts.unassigned)} unassigned · ${formatCount(counts.mine)} mine · ${formatCount(counts.overdue)} overdue`}
      testId="queue-count"
    >
      {formatCount(counts.open)}
    </NavCountPill>
  );
}

/** A queue's count in the navigation: open cases, turning red (with a dot) while any is overdue. */
function SubCount({ value, overdue = 0, testId }: { value: number; overdue?: number; testId?: string }) {
  const theme = useTheme();
  const urgent = overdue > 0;
  const colour = theme.palette.status.danger;
  const count = (
    <Box
      component="span"
      data-testid={testId}
      data-overdue={overdue}
      sx={{
        ml: 1,
        minWidth: 20,
        height: 18,
        px: 0.625,
        borderRadius: 9,
        fontSize: 11,
        fontWeight: urgent ? 700 : 600,
        display: 'inline-flex',
        alignItems: 'center',
        justifyContent: 'center',
        gap: 0.5,
        flexShrink: 0,
        fontVariantNumeric: 'tabular-nums',
        color: urgent ? colour : value > 0 ? 'text.secondary' : 'text.disabled',
        bgcolor: urgent ? alpha(colour, theme.palette.mode === 'dark' ? 0.2 : 0.1) : 'transparent',
      }}
    >
      {urgent && <Box component="span" sx={{ width: 6, height: 6, borderRadius: '50%', bgcolor: colour }} />}
      {formatCount(value)}
    </Box>
  );
  return urgent ? (
    <Tooltip placement="right" title={`${formatCount(value)} open · ${formatCount(overdue)} overdue`}>
      {count}
    </Tooltip>
  ) : (
    count
  );
}

interface SubLink {
  key: string;
  label: string;
  to: string;
  count: number;
  overdue?: number;
  testId: string;
  countTestId?: string;
  /** Does the current URL show exactly this list? */
  matches: (params: URLSearchParams) => boolean;
}

function caseSubLinks(counts: QueueCounts, user: UserPublic): SubLink[] {
  const links: SubLink[] = [];
  if (user.permissions.includes('case:work')) {
    links.push({
      key: 'mine',
      label: 'My cases',
      to: '/cases?assignee=me',
      count: counts.mine,
      testId: 'nav-my-cases',
      matches: (p) => p.get('assignee') === 'me' && !p.get('queueId'),
    });
  }
  for (const q of counts.queues) {
    links.push({
      key: q.queueId,
      label: q.name,
      to: `/cases?queueId=${encodeURIComponent(q.queueId)}`,
      count: q.open,
      overdue: q.overdue,
      testId: `nav-queue-${q.queueId}`,
      countTestId: `nav-queue-count-${q.queueId}`,
      matches: (p) => p.get('queueId') === q.queueId,
    });
  }
  if (user.permissions.includes('case:approve')) {
    links.push({
      key: 'approval',
      label: 'Awaiting approval',
      to: '/cases?state=AWAITING_APPROVAL',
      count: counts.awaitingApproval,
      testId: 'nav-awaiting-approval',
      matches: (p) => p.get('state') === 'AWAITING_APPROVAL' && !p.get('queueId'),
    });
  }
  return links;
}

/** The queues under "Case queue": my cases, each queue with its live count, awaiting approval. */
function CaseSubNav({ links, location }: { links: SubLink[]; location: Location }) {
  const onCases = location.pathname === '/cases';
  const params = new URLSearchParams(location.search);
  if (links.length === 0) return null;
  return (
    <List
      dense
      disablePadding
      aria-label="Case queues"
      data-testid="nav-case-queues"
      sx={{
        position: 'relative',
        mb: 0.5,
        '&::before': { content: '""', position: 'absolute', left: 21, top: 2, bottom: 2, width: '1px', bgcolor: 'divider' },
      }}
    >
      {links.map((link) => {
        const selected = onCases && link.matches(params);
        return (
          <ListItemButton
            key={link.key}
            component={RouterLink}
            to={link.to}
            selected={selected}
            data-testid={link.testId}
            aria-current={selected ? 'page' : undefined}
            sx={{
              borderRadius: 1.5,
              py: 0.375,
              pl: 4,
              pr: 1,
              minHeight: 30,
              color: selected ? 'primary.main' : 'text.secondary',
              '&.Mui-selected': { bgcolor: 'action.selected' },
              '&:hover': { color: 'text.primary' },
            }}
          >
            <ListItemText
              primary={link.label}
              title={link.label}
              slotProps={{ primary: { noWrap: true, sx: { fontSize: 12.75, fontWeight: selected ? 650 : 500 } } }}
              sx={{ my: 0, minWidth: 0 }}
            />
            <SubCount value={link.count} overdue={link.overdue} testId={link.countTestId ?? `${link.testId}-count`} />
          </ListItemButton>
        );
      })}
    </List>
  );
}

export function NavDrawer({ user, counts, footer }: { user: UserPublic; counts: QueueCounts | null; footer?: ReactNode }) {
  const location = useLocation();
  const { status: sync } = useSyncStatus();
  const conflicts = sync?.conflicts ?? 0;
  // The Conflicts inbox is listed on a workstation, or anywhere while it holds something.
  const allowed = allowedScreens(user).filter((screen) => !screen.syncOnly || sync?.mode === 'workstation' || conflicts > 0);
  const screens = allowed.filter((screen) => (screen.section ?? 'workspace') === 'workspace');
  const adminScreens = allowed.filter((screen) => screen.section === 'administration');
  const subLinks = counts ? caseSubLinks(counts, user) : [];
  const search = new URLSearchParams(location.search);
  // On a queue, that queue is the highlighted item, not "Case queue" as well.
  const inSubList = location.pathname === '/cases' && subLinks.some((link) => link.matches(search));
  return (
    <Box
      component="nav"
      aria-label="Main"
      data-testid="main-nav"
      sx={{
        width: NAV_WIDTH,
        flexShrink: 0,
        borderRight: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
        display: 'flex',
        flexDirection: 'column',
      }}
    >
      <Typography variant="overline" sx={{ color: 'text.disabled', px: 2.5, pt: 2, pb: 0.5 }}>
        Workspace
      </Typography>
      <List dense sx={{ px: 1.25, py: 0, flex: 1, minHeight: 0, overflowY: 'auto' }}>
        {[...screens, ...adminScreens].map((screen) => {
          const here = location.pathname === screen.path || location.pathname.startsWith(`${screen.path}/`);
          const selected = here && !(screen.id === 'cases' && inSubList);
          return (
            <Fragment key={screen.id}>
              {screen === adminScreens[0] && (
                <Typography
                  component="li"
                  variant="overline"
                  data-testid="nav-administration"
                  sx={{ display: 'block', color: 'text.disabled', px: 1.25, pt: 1.5, pb: 0.5 }}
                >
                  Administration
                </Typography>
              )}
              <ListItemButton
                component={RouterLink}
                to={screen.path}
                selected={selected}
                data-testid={`nav-${screen.id}`}
                aria-current={selected ? 'page' : undefined}
                sx={{
                  borderRadius: 1.5,
                  mb: 0.25,
                  py: 0.75,
                  color: here ? 'primary.main' : 'text.secondary',
                  '& .MuiListItemIcon-root': { color: 'inherit', minWidth: 32 },
                  '&.Mui-selected': { bgcolor: 'action.selected' },
                  '&:hover': { color: 'text.primary' },
                }}
              >
                <ListItemIcon>{ICONS[screen.id]}</ListItemIcon>
                <ListItemText primary={screen.label} slotProps={{ primary: { sx: { fontWeight: here ? 650 : 550, fontSize: 13.5 } } }} />
                {screen.id === 'cases' && counts && <QueueBadge counts={counts} />}
                {screen.id === 'sync-conflicts' && conflicts > 0 && <ConflictCountBadge count={conflicts} />}
              </ListItemButton>
              {screen.id === 'cases' && <CaseSubNav links={subLinks} location={location} />}
            </Fragment>
          );
        })}
      </List>
      {footer}
    </Box>
  );
}
