import { useEffect, useState } from 'react';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import CloseIcon from '@mui/icons-material/Close';
import SearchIcon from '@mui/icons-material/Search';
import { useDebouncedValue } from '../lib/useDebouncedValue.ts';

/** A search box that reports its value once typing pauses (300 ms); Esc clears it. */
export function SearchField({
  value,
  onChange,
  placeholder,
  width = 300,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  width?: number;
  testId?: string;
}) {
  const [text, setText] = useState(value);
  const debounced = useDebouncedValue(text, 300);

  // Follow outside changes (e.g. "Clear filters").
  useEffect(() => setText(value), [value]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reports the debounced text only; a new `onChange` identity or outside `value` is not a new search.
  useEffect(() => {
    if (debounced.trim() !== value.trim()) onChange(debounced);
  }, [debounced]);

  return (
    <TextField
      size="small"
      value={text}
      placeholder={placeholder}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && text) {
          e.stopPropagation();
          setText('');
        }
      }}
      sx={{ width }}
      slotProps={{
        htmlInput: { 'aria-label': placeholder, 'data-testid': testId, spellCheck: false },
        input: {
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon fontSize="small" sx={{ color: 'text.disabled' }} />
            </InputAdornment>
          ),
          endAdornment: text ? (
            <InputAdornment position="end">
              <IconButton size="small" aria-label="Clear search" onClick={() => setText('')} edge="end">
                <CloseIcon fontSize="small" />
              </IconButton>
            </InputAdornment>
          ) : null,
        },
      }}
    />
  );
}
