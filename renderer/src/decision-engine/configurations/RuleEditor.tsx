// The rule editor: rules grouped by family, each a dense row (on/off, name, cost class, weight)
// that opens to its parameters, description and scope. "Add rule" starts from the shipped default
// of the chosen kind (newRuleOfKind), so client and service agree on sensible values.
import { useEffect, useRef, useState } from 'react';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import ListSubheader from '@mui/material/ListSubheader';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import ExpandMore from '@mui/icons-material/ExpandMore';
import { RuleFamily, type Decision } from '../../../../shared/src/assessments.ts';
import { RULE_COST, RULE_KIND_FAMILY, RULE_KINDS, type RuleDefinition, type RuleKind } from '../../../../shared/src/decision-engine.ts';
import { newRuleOfKind } from '../../../../shared/src/decision-engine-defaults.ts';
import { humanise } from '../../lib/format.ts';
import { DecisionChip } from '../../ui/chips.tsx';
import { Mono } from '../../ui/values.tsx';
import { CostChip } from '../engineChips.tsx';
import { FieldGrid, SubHeading, TextInput, useForm, WeightInput } from './fields.tsx';
import { RuleParamsEditor, RuleScopeEditor } from './ruleParams.tsx';

export const RULE_KIND_LABELS: Record<RuleKind, { label: string; hint: string }> = {
  'high-amount': { label: 'High amount', hint: 'Amount above a review and a severe threshold' },
  'round-amount': { label: 'Round amount', hint: 'Large amounts that are exact multiples' },
  velocity: { label: 'Velocity', hint: 'Too many payments or too much value in a day or week' },
  'credit-velocity': { label: 'Large-transaction frequency', hint: 'Repeated large payments (credit-risk model)' },
  'high-risk-country': { label: 'High-risk country', hint: 'Destination on the high-risk or elevated list' },
  'suspicious-ip': { label: 'Suspicious IP range', hint: 'IP address in listed CIDR ranges' },
  'off-hours': { label: 'Off-hours', hint: 'Payment at night in the bank’s time zone' },
  weekend: { label: 'Weekend', hint: 'Payment on chosen weekdays' },
  'new-account': { label: 'New account', hint: 'Debtor account opened recently' },
  'cross-border': { label: 'Cross-border', hint: 'Destination outside the home country' },
  'new-device': { label: 'New device', hint: 'First payment from this device' },
  'suspicious-user-agent': { label: 'Suspicious user agent', hint: 'Automation tools and scripted clients' },
  'suspicious-text': { label: 'Suspicious text', hint: 'Patterns in the reference or description' },
  'merchant-block-list': { label: 'Blocked merchant', hint: 'Creditor on the bank’s block list' },
  'channel-risk': { label: 'Channel risk', hint: 'A factor per channel (web, mobile, ATM…)' },
  anomaly: { label: 'Anomaly model', hint: 'Isolation-forest score of how unusual the payment is' },
};

function AddRuleButton({ takenIds, onAdd }: { takenIds: ReadonlySet<string>; onAdd: (rule: RuleDefinition) => void }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<AddIcon fontSize="small" />} onClick={(e) => setAnchor(e.currentTarget)} data-testid="add-rule">
        Add rule
      </Button>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)} slotProps={{ paper: { sx: { maxHeight: 440, width: 340 } } }}>
        {RuleFamily.options.flatMap((family) => [
          <ListSubheader key={family} sx={{ lineHeight: '30px', fontSize: 11, fontWeight: 700, letterSpacing: '0.06em' }}>
            {family}
          </ListSubheader>,
          ...RULE_KINDS.filter((kind) => RULE_KIND_FAMILY[kind] === family).map((kind) => (
            <MenuItem
              key={kind}
              data-testid={`add-rule-${kind}`}
              onClick={() => {
                setAnchor(null);
                onAdd(newRuleOfKind(kind, takenIds));
              }}
            >
              <Box sx={{ minWidth: 0 }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {RULE_KIND_LABELS[kind].label}
                </Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary', whiteSpace: 'normal', display: 'block' }}>
                  {RULE_KIND_LABELS[kind].hint}
                </Typography>
              </Box>
            </MenuItem>
          )),
        ])}
      </Menu>
    </>
  );
}

function RuleRow({
  rule,
  index,
  override,
  open,
  fresh,
  onToggle,
  onChange,
  onRemove,
}: {
  rule: RuleDefinition;
  index: number;
  override: Decision | undefined;
  open: boolean;
  fresh: boolean;
  onToggle: () => void;
  onChange: (rule: RuleDefinition) => void;
  onRemove: () => void;
}) {
  const theme = useTheme();
  const { readOnly, countUnder } = useForm();
  const path = `riskRules.${index}`;
  const errorCount = countUnder(path);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A freshly added rule opens and scrolls into view.
    if (fresh) ref.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [fresh]);

  return (
    <Box
      ref={ref}
      data-testid={`rule-${rule.id}`}
      data-rule-kind={rule.kind}
      data-enabled={String(rule.enabled)}
      sx={{
        borderTop: 1,
        borderColor: 'divider',
        bgcolor: open ? alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.05 : 0.025) : undefined,
        ...(errorCount > 0 ? { boxShadow: `inset 3px 0 0 ${theme.palette.error.main}` } : {}),
      }}
    >
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: '28px 44px minmax(0, 1fr) 40px', lg: '28px 44px minmax(0, 1fr) auto 250px 40px' },
          alignItems: 'center',
          columnGap: 1,
          px: 1,
          py: 0.5,
          minHeight: 48,
        }}
      >
        <IconButton size="small" onClick={onToggle} aria-label={open ? `Collapse ${rule.name}` : `Edit ${rule.name}`} aria-expanded={open}>
          <ExpandMore fontSize="small" sx={{ transform: open ? 'rotate(180deg)' : 'none', transition: 'transform 150ms' }} />
        </IconButton>
        <Tooltip title={rule.enabled ? 'Enabled — click to disable' : 'Disabled — click to enable'}>
          <Switch
            size="small"
            checked={rule.enabled}
            disabled={readOnly}
            onChange={(e) => onChange({ ...rule, enabled: e.target.checked })}
            slotProps={{ input: { 'aria-label': `${rule.name} enabled` } }}
          />
        </Tooltip>
        <Box sx={{ minWidth: 0, cursor: 'pointer' }} onClick={onToggle}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, minWidth: 0 }}>
            <Typography variant="body2" noWrap sx={{ fontWeight: 600, color: rule.enabled ? 'text.primary' : 'text.disabled' }}>
              {rule.name || 'Unnamed rule'}
            </Typography>
            {errorCount > 0 && (
              <Typography variant="caption" sx={{ color: 'error.main', fontWeight: 600, whiteSpace: 'nowrap' }}>
                {errorCount} {errorCount === 1 ? 'error' : 'errors'}
              </Typography>
            )}
          </Box>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, minWidth: 0 }}>
            <Mono sx={{ fontSize: 11, color: 'text.secondary', flexShrink: 0 }} noWrap>
              {rule.id}
            </Mono>
            <Typography variant="caption" sx={{ color: 'text.disabled' }} noWrap>
              {RULE_KIND_LABELS[rule.kind].label !== rule.name && ` · ${RULE_KIND_LABELS[rule.kind].label}`}
              {rule.scope ? ' · scoped' : ''}
              {rule.description ? ` · ${rule.description}` : ''}
            </Typography>
          </Box>
        </Box>
        <Box sx={{ display: { xs: 'none', lg: 'flex' }, alignItems: 'center', gap: 0.75, justifyContent: 'flex-end' }}>
          {override && (
            <Tooltip title={`When this rule fires the decision is at least “${humanise(override)}”`}>
              <Box sx={{ display: 'flex' }}>
                <DecisionChip decision={override} />
              </Box>
            </Tooltip>
          )}
          <CostChip cost={RULE_COST[rule.kind]} />
        </Box>
        <Box sx={{ display: { xs: 'none', lg: 'block' } }}>
          <WeightInput
            compact
            path={`${path}.weight`}
            label="Weight"
            value={rule.weight}
            onChange={(weight) => onChange({ ...rule, weight })}
            testId={`rule-weight-${rule.id}`}
          />
        </Box>
        {!readOnly ? (
          <Tooltip title="Remove rule">
            <IconButton size="small" onClick={onRemove} aria-label={`Remove ${rule.name}`} data-testid={`remove-rule-${rule.id}`}>
              <DeleteOutline fontSize="small" />
            </IconButton>
          </Tooltip>
        ) : (
          <span />
        )}
      </Box>
      <Collapse in={open} unmountOnExit>
        <Box sx={{ pl: { xs: 1.5, md: 10.5 }, pr: 2, pb: 2, pt: 0.5 }}>
          <FieldGrid columns={3}>
            <TextInput path={`${path}.name`} label="Name" value={rule.name} onChange={(name) => onChange({ ...rule, name })} required />
            <Box sx={{ gridColumn: { md: 'span 2' } }}>
              <TextInput
                path={`${path}.description`}
                label="Description"
                value={rule.description ?? ''}
                onChange={(description) => onChange({ ...rule, description: description || undefined })}
                maxLength={500}
              />
            </Box>
          </FieldGrid>
          <Box sx={{ display: { xs: 'block', lg: 'none' }, mt: 1.5 }}>
            <WeightInput path={`${path}.weight`} label="Weight" value={rule.weight} onChange={(weight) => onChange({ ...rule, weight })} />
          </Box>
          <SubHeading>Parameters</SubHeading>
          <RuleParamsEditor rule={rule} path={path} onChange={onChange} />
          <SubHeading>Scope</SubHeading>
          <RuleScopeEditor scope={rule.scope} path={`${path}.scope`} onChange={(scope) => onChange({ ...rule, scope })} />
        </Box>
      </Collapse>
    </Box>
  );
}

export function RuleEditor({
  rules,
  overrides,
  onChange,
  onRemove,
}: {
  rules: readonly RuleDefinition[];
  overrides: readonly { ruleId: string; decision: Decision }[];
  onChange: (rules: RuleDefinition[]) => void;
  /** Removes the rule (and any decision override naming it). */
  onRemove: (index: number) => void;
}) {
  const theme = useTheme();
  const { readOnly, countUnder } = useForm();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [fresh, setFresh] = useState<string | null>(null);
  const takenIds = new Set(rules.map((r) => r.id));
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const enabled = rules.filter((r) => r.enabled);
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 1.25, flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1 }}>
          {enabled.length} of {rules.length} rules enabled. Rules run cheapest first (field → look-up → model); once the decision is settled the costly ones are
          skipped.
        </Typography>
        {open.size > 0 && (
          <Button size="small" color="inherit" onClick={() => setOpen(new Set())}>
            Collapse all
          </Button>
        )}
        {!readOnly && (
          <AddRuleButton
            takenIds={takenIds}
            onAdd={(rule) => {
              onChange([...rules, rule]);
              setOpen((current) => new Set(current).add(rule.id));
              setFresh(rule.id);
            }}
          />
        )}
      </Box>
      <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 2, overflow: 'hidden' }}>
        {RuleFamily.options.map((family) => {
          const members = rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => rule.family === family);
          if (members.length === 0) return null;
          const familyErrors = members.reduce((sum, { index }) => sum + countUnder(`riskRules.${index}`), 0);
          const weight = members.filter(({ rule }) => rule.enabled).reduce((sum, { rule }) => sum + (Number.isFinite(rule.weight) ? rule.weight : 0), 0);
          return (
            <Box key={family} data-testid={`rule-family-${family}`}>
              <Box
                sx={{
                  display: 'flex',
                  alignItems: 'center',
                  gap: 1,
                  px: 1.5,
                  py: 0.75,
                  bgcolor: theme.palette.mode === 'dark' ? '#0d1525' : '#f8fafc',
                  borderTop: 1,
                  borderColor: 'divider',
                  mt: '-1px',
                }}
              >
                <Badge color="error" variant="dot" invisible={familyErrors === 0}>
                  <Typography variant="overline" sx={{ color: 'text.secondary', lineHeight: 1.8 }}>
                    {humanise(family)}
                  </Typography>
                </Badge>
                <Typography variant="caption" sx={{ color: 'text.disabled', flex: 1 }}>
                  {members.length} {members.length === 1 ? 'rule' : 'rules'}
                </Typography>
                <Tooltip title="Sum of the enabled rules' weights in this family">
                  <Mono sx={{ fontSize: 11.5, color: 'text.secondary' }}>Σ {weight.toFixed(2)}</Mono>
                </Tooltip>
              </Box>
              {members.map(({ rule, index }) => (
                <RuleRow
                  key={`${rule.id}-${index}`}
                  rule={rule}
                  index={index}
                  override={overrides.find((o) => o.ruleId === rule.id)?.decision}
                  open={open.has(rule.id)}
                  fresh={fresh === rule.id}
                  onToggle={() => toggle(rule.id)}
                  onChange={(next) => onChange(rules.map((r, i) => (i === index ? next : r)))}
                  onRemove={() => onRemove(index)}
                />
              ))}
            </Box>
          );
        })}
        {rules.length === 0 && (
          <Typography variant="body2" sx={{ color: 'text.secondary', p: 2 }}>
            No rules. Payments would all score 0 and be approved{readOnly ? '.' : ' — add a rule.'}
          </Typography>
        )}
      </Box>
    </Box>
  );
}
