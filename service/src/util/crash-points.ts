/**
 * Labelled crash points for the kill -9 tests (issue 12 "Proof"): when WEKEZA_CRASH_AT names a
 * label, the process kills itself with SIGKILL the n-th time it reaches that label
 * (WEKEZA_CRASH_AT=label or label:n, n defaulting to 1). Nothing is flushed or closed: exactly what
 * a power cut or kill -9 leaves. Unset in production; reading one variable is all it costs.
 */
const spec = process.env.WEKEZA_CRASH_AT ?? '';
const [wanted, nth] = spec.split(':');
const target = Number(nth ?? '1') || 1;
let reached = 0;

export function crashPoint(label: string): void {
  if (!spec || label !== wanted) return;
  reached += 1;
  if (reached < target) return;
  process.stderr.write(`wekeza-service: crash point ${label} reached, killing this process\n`);
  process.kill(process.pid, 'SIGKILL');
}
