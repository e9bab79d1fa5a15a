// An icon button in a grid row's actions cell, labelled "<action> <row>" for screen readers. The
// click does not reach the row, so a clickable row does not also open its page.
import type { ReactNode } from 'react';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';

export function RowActionButton({
  title,
  subject,
  icon,
  testId,
  onClick,
}: {
  title: string;
  subject: string;
  icon: ReactNode;
  testId: string;
  onClick: () => void;
}) {
  return (
    <Tooltip title={title}>
      <IconButton
        size="small"
        aria-label={`${title} ${subject}`}
        data-testid={testId}
        onClick={(e) => {
          e.stopPropagation();
          onClick();
        }}
      >
        {icon}
      </IconButton>
    </Tooltip>
  );
}
