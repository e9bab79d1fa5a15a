// The Wekeza look: deep navy + teal, Inter for text, Roboto Mono (tabular) for money and IDs,
// calm dense surfaces with hairline borders instead of shadows. Light and dark share one shape.
import { alpha, createTheme, type Theme } from '@mui/material/styles';
import type {} from '@mui/x-data-grid/themeAugmentation';
import type { RiskLevel } from '../../../shared/src/assessments.ts';

export const FONT_SANS = '"Inter Variable", Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const FONT_MONO = '"Roboto Mono", ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

export type ColorMode = 'light' | 'dark';

interface StatusColours {
  success: string;
  warning: string;
  danger: string;
  info: string;
  neutral: string;
}

declare module '@mui/material/styles' {
  interface Palette {
    risk: Record<RiskLevel, string>;
    status: StatusColours;
    brand: { navy: string; teal: string; sidebar: string; sidebarText: string };
  }
  interface PaletteOptions {
    risk?: Record<RiskLevel, string>;
    status?: StatusColours;
    brand?: { navy: string; teal: string; sidebar: string; sidebarText: string };
  }
}

const RISK: Record<ColorMode, Record<RiskLevel, string>> = {
  light: { LOW: '#15803d', MEDIUM: '#b45309', HIGH: '#dc4a12', CRITICAL: '#9f1239' },
  dark: { LOW: '#4ade80', MEDIUM: '#fbbf24', HIGH: '#fb7c4a', CRITICAL: '#fb5a7a' },
};

const STATUS: Record<ColorMode, StatusColours> = {
  light: { success: '#15803d', warning: '#b45309', danger: '#b91c1c', info: '#1d4ed8', neutral: '#64748b' },
  dark: { success: '#4ade80', warning: '#fbbf24', danger: '#f87171', info: '#60a5fa', neutral: '#94a3b8' },
};

export function createAppTheme(mode: ColorMode): Theme {
  const dark = mode === 'dark';
  const text = dark ? { primary: '#e7eaf0', secondary: '#9ba5b4', disabled: '#5d6776' } : { primary: '#0f172a', secondary: '#5b6576', disabled: '#a0a8b5' };
  const divider = dark ? 'rgba(148, 163, 184, 0.14)' : '#e3e7ee';
  const background = dark ? { default: '#0a101c', paper: '#101828' } : { default: '#f5f7fa', paper: '#ffffff' };
  const primary = dark ? { main: '#2cc5b4', contrastText: '#04211d' } : { main: '#0f6f68', contrastText: '#ffffff' };

  const theme = createTheme({
    palette: {
      mode,
      primary,
      secondary: { main: dark ? '#8ba7d8' : '#0b2545' },
      success: { main: STATUS[mode].success },
      warning: { main: STATUS[mode].warning },
      error: { main: STATUS[mode].danger },
      info: { main: STATUS[mode].info },
      text,
      divider,
      background,
      risk: RISK[mode],
      status: STATUS[mode],
      brand: {
        navy: '#0b2545',
        teal: '#14b8a6',
        sidebar: dark ? '#0c1422' : '#0b2545',
        sidebarText: dark ? '#c8d1de' : '#d7e1ef',
      },
      action: {
        hover: dark ? 'rgba(148, 163, 184, 0.08)' : 'rgba(15, 23, 42, 0.04)',
        selected: dark ? 'rgba(44, 197, 180, 0.14)' : 'rgba(15, 111, 104, 0.08)',
      },
    },
    shape: { borderRadius: 8 },
    spacing: 8,
    typography: {
      fontFamily: FONT_SANS,
      fontSize: 13.5,
      h1: { fontSize: 26, fontWeight: 650, letterSpacing: '-0.02em' },
      h2: { fontSize: 22, fontWeight: 650, letterSpacing: '-0.015em' },
      h3: { fontSize: 19, fontWeight: 650, letterSpacing: '-0.01em' },
      h4: { fontSize: 17, fontWeight: 650, letterSpacing: '-0.01em' },
      h5: { fontSize: 15, fontWeight: 650 },
      h6: { fontSize: 14, fontWeight: 650 },
      subtitle1: { fontSize: 14, fontWeight: 600 },
      subtitle2: { fontSize: 12.5, fontWeight: 600 },
      body1: { fontSize: 14, lineHeight: 1.5 },
      body2: { fontSize: 13, lineHeight: 1.5 },
      caption: { fontSize: 12, lineHeight: 1.45 },
      overline: { fontSize: 11, fontWeight: 650, letterSpacing: '0.08em', lineHeight: 1.6 },
      button: { textTransform: 'none', fontWeight: 600, letterSpacing: 0 },
    },
  });

  const border = `1px solid ${divider}`;
  return createTheme(theme, {
    components: {
      MuiCssBaseline: {
        styleOverrides: {
          html: { WebkitFontSmoothing: 'antialiased', MozOsxFontSmoothing: 'grayscale' },
          body: { fontFeatureSettings: '"cv11", "ss01", "ss03"', fontVariantNumeric: 'tabular-nums' },
          '::selection': { background: alpha(primary.main, 0.25) },
          '*::-webkit-scrollbar': { width: 10, height: 10 },
          '*::-webkit-scrollbar-thumb': {
            background: dark ? 'rgba(148,163,184,0.22)' : 'rgba(15,23,42,0.16)',
            borderRadius: 8,
            border: '2px solid transparent',
            backgroundClip: 'content-box',
          },
          '*::-webkit-scrollbar-track': { background: 'transparent' },
        },
      },
      MuiPaper: {
        defaultProps: { elevation: 0 },
        styleOverrides: { root: { backgroundImage: 'none' } },
      },
      MuiCard: {
        defaultProps: { variant: 'outlined' },
        styleOverrides: { root: { borderColor: divider, borderRadius: 10 } },
      },
      MuiCardHeader: {
        styleOverrides: {
          root: { padding: '14px 18px 10px' },
          title: { fontSize: 14, fontWeight: 650 },
          subheader: { fontSize: 12.5 },
        },
      },
      MuiCardContent: {
        styleOverrides: { root: { padding: '4px 18px 16px', '&:last-child': { paddingBottom: 16 } } },
      },
      MuiButton: {
        defaultProps: { disableElevation: true },
        styleOverrides: {
          root: { borderRadius: 7, paddingInline: 14 },
          sizeSmall: { paddingInline: 10, fontSize: 12.5 },
        },
      },
      MuiIconButton: { styleOverrides: { root: { borderRadius: 7 } } },
      MuiChip: {
        defaultProps: { size: 'small' },
        styleOverrides: {
          root: { fontWeight: 600, borderRadius: 6, fontSize: 12 },
          sizeSmall: { height: 22 },
          labelSmall: { paddingInline: 7 },
        },
      },
      MuiTooltip: {
        defaultProps: { arrow: true, enterDelay: 300 },
        styleOverrides: {
          tooltip: {
            fontSize: 12,
            fontWeight: 500,
            backgroundColor: dark ? '#1e293b' : '#0f172a',
            border: dark ? `1px solid ${divider}` : 'none',
          },
          arrow: { color: dark ? '#1e293b' : '#0f172a' },
        },
      },
      MuiOutlinedInput: {
        styleOverrides: {
          root: {
            backgroundColor: dark ? 'rgba(15, 23, 42, 0.6)' : '#ffffff',
            '& .MuiOutlinedInput-notchedOutline': { borderColor: dark ? 'rgba(148,163,184,0.24)' : '#d5dbe4' },
          },
          inputSizeSmall: { fontSize: 13 },
        },
      },
      MuiMenuItem: { styleOverrides: { root: { fontSize: 13.5, minHeight: 34 } } },
      MuiListItemIcon: { styleOverrides: { root: { minWidth: 34 } } },
      MuiDialog: { styleOverrides: { paper: { borderRadius: 12, border } } },
      MuiDialogTitle: { styleOverrides: { root: { fontSize: 16, fontWeight: 650, padding: '18px 22px 8px' } } },
      MuiDialogContent: { styleOverrides: { root: { padding: '8px 22px' } } },
      MuiDialogActions: { styleOverrides: { root: { padding: '14px 22px 18px', gap: 4 } } },
      MuiAlert: { styleOverrides: { root: { borderRadius: 8, fontSize: 13 } } },
      MuiLinearProgress: { styleOverrides: { root: { borderRadius: 4 } } },
      MuiSkeleton: { defaultProps: { animation: 'wave' } },
      MuiToggleButton: {
        styleOverrides: {
          root: { textTransform: 'none', fontWeight: 600, fontSize: 12.5, paddingBlock: 5, paddingInline: 11, color: text.secondary },
        },
      },
      MuiDataGrid: {
        defaultProps: { columnHeaderHeight: 40, rowHeight: 52 },
        styleOverrides: {
          root: {
            border: 'none',
            fontSize: 13,
            '--DataGrid-rowBorderColor': divider,
            '--DataGrid-containerBackground': dark ? '#0d1525' : '#f8fafc',
            '& .MuiDataGrid-columnHeaderTitle': {
              fontWeight: 600,
              fontSize: 12,
              color: text.secondary,
              letterSpacing: '0.01em',
            },
            '& .MuiDataGrid-cell:focus, & .MuiDataGrid-cell:focus-within, & .MuiDataGrid-columnHeader:focus, & .MuiDataGrid-columnHeader:focus-within': {
              outline: 'none',
            },
            '& .MuiDataGrid-row:focus-within': { boxShadow: `inset 3px 0 0 ${primary.main}` },
            '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' },
            '& .MuiDataGrid-footerContainer': { borderTop: border, minHeight: 44 },
          },
        },
      },
    },
  });
}
