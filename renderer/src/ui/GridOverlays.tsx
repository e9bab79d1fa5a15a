import type { ReactNode } from 'react';
import type { GridOverlayProps } from '@mui/x-data-grid';
import InboxOutlined from '@mui/icons-material/InboxOutlined';
import { EmptyState } from './layout.tsx';

declare module '@mui/x-data-grid' {
  interface NoRowsOverlayPropsOverrides {
    emptyTitle?: string;
    emptyBody?: ReactNode;
    emptyAction?: ReactNode;
    emptyIcon?: ReactNode;
  }
}

/** The grids' empty state: an icon, a sentence and (when filters hide everything) a way back. */
export function GridEmptyOverlay({
  emptyTitle,
  emptyBody,
  emptyAction,
  emptyIcon,
}: GridOverlayProps & { emptyTitle?: string; emptyBody?: ReactNode; emptyAction?: ReactNode; emptyIcon?: ReactNode }) {
  return <EmptyState icon={emptyIcon ?? <InboxOutlined />} title={emptyTitle ?? 'Nothing here yet'} body={emptyBody} action={emptyAction} />;
}
