// Demo mode only (the service was started with --demo): who can sign in and with which password,
// so a newcomer is not left guessing. A click fills the form. Outside demo mode the service names
// nobody and this shows nothing.
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import type { DemoInfo } from '../../../shared/src/demo.ts';
import { roleLabel } from '../lib/roles.ts';

export function DemoUsersPanel({
  info,
  onPick,
  disabled,
}: {
  info: DemoInfo | null;
  onPick: (username: string, password: string) => void;
  disabled?: boolean;
}) {
  if (!info?.demo || !info.password || info.users.length === 0) return null;
  const password = info.password;
  return (
    <Box sx={{ mt: 3, border: 1, borderColor: 'divider', borderRadius: 1.5, overflow: 'hidden' }} data-testid="demo-users">
      <Box sx={{ px: 1.5, py: 1, bgcolor: 'action.hover' }}>
        <Typography variant="subtitle2">Demo users</Typography>
        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
          Every demo user’s password is{' '}
          <Box component="code" sx={{ fontFamily: '"Roboto Mono", monospace', color: 'text.primary' }} data-testid="demo-password">
            {password}
          </Box>
          . Click a user to fill the form.
        </Typography>
      </Box>
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, maxHeight: '40vh', overflowY: 'auto' }}>
        {info.users.map((user) => (
          <Box component="li" key={user.username} sx={{ borderTop: 1, borderColor: 'divider' }}>
            <ButtonBase
              onClick={() => onPick(user.username, password)}
              disabled={disabled}
              data-testid="demo-user"
              data-username={user.username}
              sx={{ width: '100%', justifyContent: 'space-between', px: 1.5, py: 0.75, textAlign: 'left', '&:hover': { bgcolor: 'action.hover' } }}
            >
              <Box sx={{ minWidth: 0 }}>
                <Typography variant="body2" sx={{ fontWeight: 500 }}>
                  {user.displayName}
                </Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary', fontFamily: '"Roboto Mono", monospace' }}>
                  {user.username}
                </Typography>
              </Box>
              <Typography variant="caption" sx={{ color: 'text.secondary', ml: 1, whiteSpace: 'nowrap' }}>
                {roleLabel(user.role)}
              </Typography>
            </ButtonBase>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
