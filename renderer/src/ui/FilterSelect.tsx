import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import { useId } from 'react';

export interface FilterOption<V extends string> {
  value: V;
  label: string;
}

/** A compact labelled select for grid toolbars. `''` is the "any" option. */
export function FilterSelect<V extends string>({
  label,
  value,
  options,
  onChange,
  anyLabel,
  minWidth = 140,
  testId,
}: {
  label: string;
  value: V | '';
  options: readonly FilterOption<V>[];
  onChange: (value: V | '') => void;
  anyLabel?: string;
  minWidth?: number;
  testId?: string;
}) {
  const id = useId();
  return (
    <FormControl size="small" sx={{ minWidth }}>
      <InputLabel id={`${id}-label`} shrink={anyLabel ? true : undefined}>
        {label}
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        label={label}
        value={value}
        onChange={(e) => onChange(e.target.value as V | '')}
        displayEmpty={!!anyLabel}
        notched={anyLabel ? true : undefined}
        data-testid={testId}
        slotProps={{ input: { 'aria-label': label } }}
        renderValue={(selected) => (selected === '' ? (anyLabel ?? '') : (options.find((o) => o.value === selected)?.label ?? selected))}
      >
        {anyLabel && <MenuItem value="">{anyLabel}</MenuItem>}
        {options.map((option) => (
          <MenuItem key={option.value} value={option.value}>
            {option.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
