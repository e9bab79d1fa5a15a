import type { CaseSummary } from '../../../../shared/src/cases.ts';

/**
 * Runs one case command. Resolves true when the service accepted it, false when it answered 409
 * (the page shows the service's reason with a Reload button); other errors reject with an ApiError
 * for the caller to show next to its form.
 */
export type CaseCommandRunner = (work: () => Promise<CaseSummary>, success?: string) => Promise<boolean>;

/** Notes on commands follow the service's rule: trimmed, 5 to 2,000 characters. */
