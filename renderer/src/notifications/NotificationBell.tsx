// The bell in the top bar (issue 13: "notifies the risk's owner, in-app and OS notification"):
// my unread count, a list to open (mark read, mark all read, click goes to the link), live through
// the socket event `notification.created`. A new one raises an OS notification in the desktop app
// (a click opens the item: issue 15) and a toast in a browser tab, plus the browser's own
// notification when the user allowed them. On a workstation the bell also lists the user's
// unresolved sync conflicts (workstationConflicts.ts). Every open goes through openInApp.
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import Popover from '@mui/material/Popover';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import NotificationsNoneOutlined from '@mui/icons-material/NotificationsNoneOutlined';
import DoneAllOutlined from '@mui/icons-material/DoneAllOutlined';
import type { Notification } from '../../../shared/src/notifications.ts';
import { toApiError } from '../api/client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveEvent } from '../api/socket.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { desktop, desktopNotify } from '../desktop.ts';
import { useSession } from '../api/session.ts';
import { formatCount } from '../lib/format.ts';
import { LiveToast } from '../ui/LiveToast.tsx';
import { TimeAgo } from '../ui/values.tsx';
import { fetchNotifications, markAllNotificationsRead, markNotificationRead } from './notificationsApi.ts';
import { askForBrowserNotifications, browserNotificationState, openInApp, safeAppPath, showBrowserNotification, useDesktopNavigation } from './openLink.ts';
import { useWorkstationConflicts } from './workstationConflicts.ts';

function NotificationRow({ item, onOpen }: { item: Notification; onOpen: (item: Notification) => void }) {
  const unread = !item.readAt;
  return (
    <ListItemButton
      onClick={() => onOpen(item)}
      data-testid={`notification-${item.id}`}
      data-unread={String(unread)}
      sx={{ alignItems: 'flex-start', gap: 1.25, py: 1, px: 2, borderLeft: 3, borderColor: unread ? 'primary.main' : 'transparent' }}
    >
      <Box sx={{ minWidth: 0, flex: 1 }}>
        <Typography variant="body2" sx={{ fontWeight: unread ? 650 : 500 }}>
          {item.title}
        </Typography>
        {item.body && (
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
            {item.body}
          </Typography>
        )}
        <TimeAgo value={item.createdAt} variant="caption" color="text.disabled" />
      </Box>
    </ListItemButton>
  );
}

const desktopBridgePresent = () => desktop() !== undefined;

export function NotificationBell() {
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [toast, setToast] = useState<Notification | null>(null);
  const closeToast = useCallback(() => setToast(null), []);
  const [problem, setProblem] = useState<string | null>(null);
  const [browserPermission, setBrowserPermission] = useState(browserNotificationState);
  const userId = useSession()?.user.id ?? null;
  useDesktopNavigation();
  /** A new notification on screen: the desktop shell's OS notification, else the toast (and the browser's own when allowed). */
  const raise = useCallback(
    (item: Notification) => {
      const shown = { title: item.title.slice(0, 120), body: (item.body ?? '').slice(0, 500), link: safeAppPath(item.link) };
      if (desktopNotify(shown)) return;
      setToast(item);
      // Clicking the OS notification answers the toast too.
      showBrowserNotification({ id: item.id, ...shown }, (path) => {
        setToast(null);
        navigate(path);
      });
    },
    [navigate],
  );
  const conflicts = useWorkstationConflicts(userId, raise);
  const fetcher = useCallback((signal: AbortSignal) => fetchNotifications(signal), []);
  const query = useApiQuery('notifications', fetcher);
  const refresh = query.refetch;
  useLiveRefresh([], () => refresh({ silent: true }));
  useLiveEvent('notification.created', (created) => {
    refresh({ silent: true });
    raise(created);
  });

  const serverItems = query.data?.notifications ?? [];
  const items = [...conflicts, ...serverItems];
  const localIds = new Set(conflicts.map((c) => c.id));
  const unread = conflicts.length + (query.data?.unread ?? serverItems.filter((n) => !n.readAt).length);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (caught) {
      setProblem(toApiError(caught).message);
    }
    refresh({ silent: true });
  };
  const open = (item: Notification) => {
    // A workstation conflict stays unread until it is resolved in the Conflicts inbox.
    if (!item.readAt && !localIds.has(item.id)) void act(() => markNotificationRead(item.id));
    setAnchor(null);
    setToast(null);
    openInApp(item.link, navigate);
  };

  return (
    <>
      <Tooltip title={unread ? `${formatCount(unread)} unread notifications` : 'Notifications'}>
        <IconButton onClick={(e) => setAnchor(e.currentTarget)} aria-label="Notifications" data-testid="notification-bell" size="small">
          <Badge badgeContent={unread} color="error" max={99} data-testid="notification-unread" data-count={unread}>
            <NotificationsNoneOutlined fontSize="small" />
          </Badge>
        </IconButton>
      </Tooltip>
      <Popover
        open={!!anchor}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { width: 380, maxHeight: 520, display: 'flex', flexDirection: 'column' }, 'data-testid': 'notification-list' } as object }}
      >
        <Box sx={{ display: 'flex', alignItems: 'center', px: 2, py: 1.25 }}>
          <Typography variant="subtitle2" sx={{ flex: 1 }}>
            Notifications
          </Typography>
          {browserPermission === 'default' && !desktopBridgePresent() && (
            <Button size="small" onClick={() => void askForBrowserNotifications().then(setBrowserPermission)} data-testid="notification-enable-desktop">
              Desktop alerts
            </Button>
          )}
          <Button
            size="small"
            startIcon={<DoneAllOutlined fontSize="small" />}
            disabled={(query.data?.unread ?? 0) === 0}
            onClick={() => void act(() => markAllNotificationsRead())}
            data-testid="notification-read-all"
          >
            Mark all read
          </Button>
        </Box>
        <Divider />
        {query.error && (
          <Typography variant="body2" sx={{ p: 2, color: 'error.main' }}>
            Could not load notifications — {query.error.message}
          </Typography>
        )}
        {!query.error && items.length === 0 && (
          <Typography variant="body2" sx={{ p: 3, textAlign: 'center', color: 'text.secondary' }}>
            {query.loading ? 'Loading…' : 'Nothing yet. SLA warnings, approvals waiting for you, KRI breaches on your risks and sync conflicts appear here.'}
          </Typography>
        )}
        {items.length > 0 && (
          <List dense disablePadding sx={{ overflowY: 'auto' }}>
            {items.map((item) => (
              <NotificationRow key={item.id} item={item} onOpen={open} />
            ))}
          </List>
        )}
        {problem && (
          <Typography variant="caption" sx={{ px: 2, py: 1, color: 'error.main' }}>
            {problem}
          </Typography>
        )}
      </Popover>
      <LiveToast
        open={!!toast}
        testId="notification-toast"
        title={toast?.title ?? ''}
        body={toast?.body}
        link={toast ? safeAppPath(toast.link) : null}
        onOpen={() => toast && open(toast)}
        onClose={closeToast}
      />
    </>
  );
}
