import { RE2JS } from 're2js';

/**
 * Admin-written patterns (suspicious user agents, suspicious references and descriptions) run on
 * RE2 (the `re2js` port): matching time grows linearly with the text, whatever the pattern, so a
 * pattern such as `(a+)+$` cannot stall the service the way a backtracking RegExp does (issue 11).
 * RE2 has no backreferences (`\1`) and no lookaround (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`):
 * such patterns are refused when a configuration is saved. Matching is case-insensitive.
 */
export type CompiledPattern = RE2JS;

export const PATTERN_SYNTAX_HINT =
  'patterns run in linear time (RE2 syntax): backreferences such as \\1 and lookaround such as (?=…) or (?<!…) are not supported';

/** Compiles a pattern for case-insensitive, linear-time matching; throws when RE2 refuses it. */
export function compilePattern(source: string): CompiledPattern {
  return RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
}

/** Why RE2 refuses a pattern, in words (null: it compiles). */
export function patternProblem(source: string): string | null {
  try {
    compilePattern(source);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/^error parsing regexp:\s*/, '');
  }
}

/** One pattern that matches any of the sources (a single pass over the text). */
export function compileAlternation(sources: readonly string[]): CompiledPattern {
  return compilePattern(sources.map((s) => `(?:${s})`).join('|'));
}

/** A pattern matching the literal text. */
export function literalPattern(text: string): string {
  return RE2JS.quote(text);
}
