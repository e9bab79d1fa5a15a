import { useState } from 'react';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Divider from '@mui/material/Divider';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import ViewColumnOutlined from '@mui/icons-material/ViewColumnOutlined';
import DensitySmallOutlined from '@mui/icons-material/DensitySmallOutlined';
import DensityMediumOutlined from '@mui/icons-material/DensityMediumOutlined';
import type { QueueView } from './useQueueView.ts';

/** Density and the column chooser of the queue (widths are set by dragging a column's edge). */
export function QueueViewControls({
  view,
  onChange,
  onReset,
  columns,
}: {
  view: QueueView;
  onChange: (patch: Partial<QueueView>) => void;
  onReset: () => void;
  /** The columns one may hide (the case reference always shows). */
  columns: { field: string; label: string }[];
}) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const hidden = new Set(view.hidden);
  return (
    <>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={view.density}
        onChange={(_, density: QueueView['density'] | null) => density && onChange({ density })}
        aria-label="Row density"
        sx={{ '& .MuiToggleButton-root': { py: 0.25, px: 1 } }}
      >
        <Tooltip title="Compact rows: more cases on screen">
          <ToggleButton value="compact" data-testid="density-compact" aria-label="Compact rows">
            <DensitySmallOutlined fontSize="small" />
          </ToggleButton>
        </Tooltip>
        <Tooltip title="Comfortable rows">
          <ToggleButton value="standard" data-testid="density-standard" aria-label="Comfortable rows">
            <DensityMediumOutlined fontSize="small" />
          </ToggleButton>
        </Tooltip>
      </ToggleButtonGroup>
      <Button
        size="small"
        color="inherit"
        startIcon={<ViewColumnOutlined fontSize="small" />}
        onClick={(e) => setAnchor(e.currentTarget)}
        sx={{ color: 'text.secondary', fontWeight: 500 }}
        data-testid="columns-button"
        aria-haspopup="menu"
      >
        Columns{hidden.size > 0 ? ` (${columns.length - columns.filter((c) => hidden.has(c.field)).length}/${columns.length})` : ''}
      </Button>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)} data-testid="columns-menu">
        {columns.map((c) => (
          <MenuItem
            key={c.field}
            dense
            data-testid={`column-toggle-${c.field}`}
            onClick={() => onChange({ hidden: hidden.has(c.field) ? view.hidden.filter((f) => f !== c.field) : [...view.hidden, c.field] })}
          >
            <Checkbox size="small" checked={!hidden.has(c.field)} sx={{ p: 0.5, mr: 1 }} tabIndex={-1} />
            <ListItemText primary={c.label} />
          </MenuItem>
        ))}
        <Divider />
        <MenuItem
          dense
          onClick={() => {
            onReset();
            setAnchor(null);
          }}
          data-testid="columns-reset"
        >
          <ListItemText primary="Show all, reset widths" secondary="Drag a column's edge to resize it" />
        </MenuItem>
      </Menu>
    </>
  );
}
