// The fraud API toggles screen (seed 003 "FraudApiToggleConfiguration"): configurations, a status
// check and statistics as tabs, each at its own URL so Back and links work:
// /fraud-api-toggles/configurations, /fraud-api-toggles/status, /fraud-api-toggles/statistics.
import { Link as RouterLink, Navigate, useParams } from 'react-router';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { NotFoundPage } from '../app/guards.tsx';
import { StatusCheckTab } from './StatusCheckTab.tsx';
import { TogglesConfigurationsTab } from './TogglesConfigurationsTab.tsx';
import { TogglesStatisticsTab } from './TogglesStatisticsTab.tsx';

const TABS = [
  { id: 'configurations', label: 'Configurations' },
  { id: 'status', label: 'Status check' },
  { id: 'statistics', label: 'Statistics' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const BASE = '/fraud-api-toggles';

export function FraudApiTogglesPage() {
  const rest = (useParams()['*'] ?? '').replace(/\/+$/, '');
  if (rest === '') return <Navigate to={`${BASE}/configurations`} replace />;
  const tab = TABS.find((t) => t.id === rest)?.id as TabId | undefined;
  if (!tab) return <NotFoundPage />;

  return (
    <Box
      sx={{ display: 'flex', flexDirection: 'column', minHeight: '100%', height: tab === 'configurations' ? '100%' : undefined }}
      data-testid="fraud-api-toggles"
    >
      <Box sx={{ px: { xs: 2, md: 2.5 }, pt: 2.25, borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper' }}>
        <Typography variant="h3" component="h1">
          Fraud API toggles
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25 }}>
          Whether the bank’s fraud engine is called, per tenant, payment type, local instrument and clearing system — now and in scheduled windows.
        </Typography>
        <Tabs
          value={tab}
          sx={{ mt: 1, minHeight: 40, '& .MuiTab-root': { minHeight: 40, px: 1.5, minWidth: 0, fontSize: 13.5 } }}
          aria-label="Fraud API toggles"
        >
          {TABS.map((t) => (
            <Tab key={t.id} value={t.id} label={t.label} component={RouterLink} to={`${BASE}/${t.id}`} data-testid={`toggles-tab-${t.id}`} />
          ))}
        </Tabs>
      </Box>
      <Box sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', px: { xs: 2, md: 2.5 }, pt: 2, pb: 2 }}>
        {tab === 'configurations' && <TogglesConfigurationsTab />}
        {tab === 'status' && <StatusCheckTab />}
        {tab === 'statistics' && <TogglesStatisticsTab />}
      </Box>
    </Box>
  );
}
