import { useId } from 'react';

/** The Wekeza shield mark (same drawing as assets/icon.svg, simplified for small sizes). */
export function BrandMark({ size = 28 }: { size?: number }) {
  const id = useId();
  const body = `${id}-body`;
  const rim = `${id}-rim`;
  return (
    <svg width={size} height={size} viewBox="0 0 1024 1024" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={body} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#123a5e" />
          <stop offset="1" stopColor="#071a2f" />
        </linearGradient>
        <linearGradient id={rim} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#2dd4bf" />
          <stop offset="1" stopColor="#0f766e" />
        </linearGradient>
      </defs>
      <path
        d="M512 88 C 616 140 724 162 852 164 L 852 492 C 852 704 708 860 512 944 C 316 860 172 704 172 492 L 172 164 C 300 162 408 140 512 88 Z"
        fill={`url(#${body})`}
        stroke={`url(#${rim})`}
        strokeWidth="44"
        strokeLinejoin="round"
      />
      <polyline points="296,380 396,620 512,460 628,620 728,330" fill="none" stroke="#ffffff" strokeWidth="80" strokeLinecap="round" strokeLinejoin="round" />
      <circle cx="728" cy="330" r="62" fill="#f5b841" stroke="#071a2f" strokeWidth="20" />
    </svg>
  );
}
