import { isRouteErrorResponse, useRouteError } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';

/** Last-resort screen when a page throws while rendering (a bug, not a failed request). */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : 'Unknown error';
  const chunkFailed = error instanceof Error && /dynamically imported module|Importing a module script failed/i.test(error.message);
  return (
    <Box sx={{ p: 6, maxWidth: 640, mx: 'auto', textAlign: 'center' }} data-testid="route-error">
      <Typography variant="h3" component="h1" sx={{ mb: 1 }}>
        {chunkFailed ? 'The workstation was updated' : 'Something went wrong on this screen'}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 3 }}>
        {chunkFailed ? 'Reload to get the new version.' : `The error has been logged. ${message}`}
      </Typography>
      <Button variant="contained" onClick={() => window.location.assign('/')}>
        Reload the workstation
      </Button>
    </Box>
  );
}
