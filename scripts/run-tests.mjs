#!/usr/bin/env node
/**
 * npm run test:unit / test:e2e — node's test runner (node:test run(), spec reporter), with a bound
 * on every test AND every test file, so that a run always ends, non-zero when anything hung.
 *
 *   node scripts/run-tests.mjs --test-timeout=MS --file-timeout=MS GLOB...
 *
 * `node --test --test-timeout` bounds tests and hooks but not a test file as a whole: a file whose
 * top-level code waits, or whose process stays alive after its tests, holds `node --test` for
 * ever (a CI run once hung 17 minutes that way). Here each file runs in its own child process
 * (as `node --test` does), one at a time (the suites share the machine's two cores and
 * PostgreSQL), with --test-force-exit, and is stopped after --file-timeout. Output is the spec
 * reporter's, with one summary for the whole run at the end.
 */
import { globSync } from 'node:fs';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const args = process.argv.slice(2);
const option = (name) => {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : Number.NaN;
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`run-tests: --${name}=MILLISECONDS is required`);
    process.exit(2);
  }
  return value;
};
const testTimeout = option('test-timeout');
const fileTimeout = option('file-timeout');
const patterns = args.filter((a) => !a.startsWith('--'));
const files = [...new Set(patterns.flatMap((p) => globSync(p, { exclude: (f) => f.includes('node_modules') })))].sort();
if (files.length === 0) {
  console.error(`run-tests: no test files match ${patterns.join(' ')}`);
  process.exit(2);
}

const reporter = spec();
reporter.pipe(process.stdout);
const totals = { tests: 0, suites: 0, passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0 };
const overrun = [];
const started = performance.now();

for (const file of files) {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    overrun.push(file);
    controller.abort(new Error(`${file} ran longer than ${fileTimeout / 1000} s (--file-timeout): stopped`));
  }, fileTimeout);
  const stream = run({
    files: [file],
    concurrency: 1,
    timeout: testTimeout,
    forceExit: true,
    execArgv: ['--import', 'tsx'],
    signal: controller.signal,
  });
  for await (const event of stream) {
    // The run's own summary (no file) is added up here and reported once, at the end.
    if (event.data.file === undefined && event.data.nesting === 0 && ['test:diagnostic', 'test:plan'].includes(event.type)) continue;
    if (event.type === 'test:summary' && event.data.file === undefined) {
      for (const key of Object.keys(totals)) totals[key] += event.data.counts[key] ?? 0;
      continue;
    }
    reporter.write(event);
  }
  clearTimeout(timer);
  // The stopped file is counted as cancelled by the runner; say why where it happened.
  if (overrun.at(-1) === file) {
    reporter.write({
      type: 'test:diagnostic',
      data: { nesting: 0, level: 'error', message: `${file} ran longer than ${fileTimeout / 1000} s and was stopped (--file-timeout)` },
    });
  }
}

for (const [label, value] of [
  ['tests', totals.tests],
  ['suites', totals.suites],
  ['pass', totals.passed],
  ['fail', totals.failed],
  ['cancelled', totals.cancelled],
  ['skipped', totals.skipped],
  ['todo', totals.todo],
  ['files', files.length],
  ['duration_ms', Math.round(performance.now() - started)],
]) {
  reporter.write({ type: 'test:diagnostic', data: { nesting: 0, message: `${label} ${value}` } });
}
// The root summary makes the spec reporter list the failing tests again, at the very end.
reporter.write({ type: 'test:summary', data: { file: undefined, success: totals.failed + totals.cancelled === 0, counts: totals } });
reporter.end();
await new Promise((resolve) => reporter.once('end', resolve));
const failed = totals.failed + totals.cancelled > 0 || totals.tests === 0;
console.log(`${totals.passed} passed, ${totals.failed + totals.cancelled} failed`);
// A child stopped at its file timeout may leave pipes open; the run is over all the same.
process.exit(failed ? 1 : 0);
