// The decision engine screen (seed 003 "FraudRiskConfiguration"): configurations, the live
// assessment monitor and statistics as tabs, each at its own URL so Back and links work:
// /decision-engine/configurations[/new|/:id], /decision-engine/assessments, /decision-engine/statistics.
import { Link as RouterLink, Navigate, useParams } from 'react-router';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useCan } from '../api/session.ts';
import { NotFoundPage } from '../app/guards.tsx';
import { ConfigurationPage } from './configurations/ConfigurationPage.tsx';
import { ConfigurationsTab } from './configurations/ConfigurationsTab.tsx';
import { AssessmentMonitor } from './monitor/AssessmentMonitor.tsx';
import { StatisticsTab } from './statistics/StatisticsTab.tsx';

const TABS = [
  { id: 'configurations', label: 'Configurations' },
  { id: 'assessments', label: 'Assessments' },
  { id: 'statistics', label: 'Statistics' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const BASE = '/decision-engine';

function parse(rest: string): { tab: TabId; configurationId: string | null } | null {
  const [first = '', second, ...more] = rest.split('/').filter(Boolean);
  if (more.length > 0) return null;
  if (first === 'configurations') return { tab: 'configurations', configurationId: second ?? null };
  if ((first === 'assessments' || first === 'statistics') && !second) return { tab: first, configurationId: null };
  return null;
}

export function DecisionEnginePage() {
  const rest = useParams()['*'] ?? '';
  const canReadAssessments = useCan('assessment:read');
  if (rest.replace(/\/+$/, '') === '') return <Navigate to={`${BASE}/configurations`} replace />;
  const route = parse(rest);
  if (!route || (route.tab === 'assessments' && !canReadAssessments)) return <NotFoundPage />;
  const tabs = TABS.filter((t) => t.id !== 'assessments' || canReadAssessments);
  const fills = route.tab !== 'statistics' && !route.configurationId;

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', minHeight: '100%', height: fills ? '100%' : undefined }} data-testid="decision-engine">
      <Box sx={{ px: { xs: 2, md: 2.5 }, pt: 2.25, borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper' }}>
        <Typography variant="h3" component="h1">
          Decision engine
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25 }}>
          Rules, thresholds and the bank’s fraud engine per tenant and payment type; every assessment they produce; how they perform.
        </Typography>
        <Tabs
          value={route.tab}
          sx={{ mt: 1, minHeight: 40, '& .MuiTab-root': { minHeight: 40, px: 1.5, minWidth: 0, fontSize: 13.5 } }}
          aria-label="Decision engine"
        >
          {tabs.map((t) => (
            <Tab key={t.id} value={t.id} label={t.label} component={RouterLink} to={`${BASE}/${t.id}`} data-testid={`tab-${t.id}`} />
          ))}
        </Tabs>
      </Box>
      {route.configurationId ? (
        <ConfigurationPage key={route.configurationId} id={route.configurationId} />
      ) : (
        <Box sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', px: { xs: 2, md: 2.5 }, pt: 2, pb: 2 }}>
          {route.tab === 'configurations' && <ConfigurationsTab />}
          {route.tab === 'assessments' && <AssessmentMonitor />}
          {route.tab === 'statistics' && <StatisticsTab />}
        </Box>
      )}
    </Box>
  );
}
