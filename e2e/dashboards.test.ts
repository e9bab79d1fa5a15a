// End to end, against the real demo service and Chromium (issue 15 "Dashboards"): a risk manager
// switches the Overview to 7 days and sees each KPI against the previous period; clicks a bar of
// the risk-level chart and lands on the Assessments list, filtered by chips, whose total is the
// figure clicked; removes a chip (the list widens to the period's total); types half a date into
// the custom range (a field error, nothing breaks); opens Deep Dive Analytics, pivots by county
// (the county map renders with the counties' figures) and by rule, and downloads the dashboard as
// PDF, CSV and XLSX. Screenshots at 1366×768 and 1920×1080 land in test-results/screenshots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DashboardOverview, PivotResult } from '../shared/src/analytics.ts';
import { AssessmentListQuery } from '../shared/src/assessments.ts';
import { parseDrill } from '../renderer/src/assessments/drillFilters.ts';
import { drillHref } from '../renderer/src/overview/drill.ts';
import { kpiChange } from '../renderer/src/overview/kpiFormat.ts';
import { addDays, bankToday, parseRangeParams, rangeQuery } from '../renderer/src/overview/rangeParams.ts';
import { COUNTY_TILES, countyKey } from '../renderer/src/analytics/countyTiles.ts';
import { call, login } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { startService, type RunningService } from './support/service.ts';
import { openSignedIn, shootSizes, type SignedInPage } from './support/ui.ts';

describe('dashboard screen helpers', { timeout: 10_000 }, () => {
  test('any URL gives drill filters the list query accepts; bad values are named, not sent', () => {
    for (const search of [
      '',
      'riskLevel=HIGH&from=2026-11-13T21:00:00.000Z&to=2026-11-20T21:00:00.000Z&tenantId=WEKEZA-KE',
      'engineDecision=REJECT&flagged=true&county=Murang%27a&creditorAccount=0712345678&ruleId=velocity-1h&hour=14&weekday=7',
      'riskLevel=SCARY&hour=24&weekday=0&flagged=yes&from=2026-02-30&to=%3Cscript%3E',
      `county=${encodeURIComponent('a\tb\u200b\n'.repeat(80))}`,
    ]) {
      const { filters } = parseDrill(new URLSearchParams(search));
      const parsed = AssessmentListQuery.safeParse(filters);
      assert.ok(parsed.success, `${search}: ${parsed.success ? '' : parsed.error.message}`);
    }
    const bad = parseDrill(new URLSearchParams('riskLevel=SCARY&hour=24&weekday=3'));
    assert.deepEqual(bad.ignored.sort(), ['hour', 'riskLevel']);
    assert.deepEqual(bad.filters, { weekday: 3 });
    // A drill target round-trips through the URL.
    const href = drillHref({ screen: 'assessments', filters: { riskLevel: 'HIGH', county: "Murang'a", from: '2026-11-13T21:00:00.000Z' } });
    const back = parseDrill(new URLSearchParams(href.split('?')[1]));
    assert.deepEqual(back.filters, { riskLevel: 'HIGH', county: "Murang'a", from: '2026-11-13T21:00:00.000Z' });
  });

  test('ranges: bad URL values fall back to today; a custom range names its field problems', () => {
    assert.deepEqual(parseRangeParams(new URLSearchParams('range=bogus')), { range: 'today', from: null, to: null });
    assert.deepEqual(parseRangeParams(new URLSearchParams('range=custom&from=2026-02-30&to=2026-11-20')), { range: 'custom', from: null, to: '2026-11-20' });
    assert.equal(rangeQuery({ range: 'custom', from: null, to: '2026-11-20' }).problems?.from, 'a custom range needs a first day');
    assert.equal(rangeQuery({ range: 'custom', from: '2026-11-21', to: '2026-11-20' }).problems?.to, 'the last day is before the first');
    assert.deepEqual(rangeQuery({ range: '7d', from: null, to: null }).query, { range: '7d' });
    assert.equal(bankToday(Date.parse('2026-11-20T21:30:00Z')), '2026-11-21', 'after 21:00 UTC it is tomorrow in Nairobi');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  });

  test('comparison with the previous period: relative for counts, points for shares', () => {
    assert.deepEqual(kpiChange({ unit: 'count', value: 120, previous: 100 }), { direction: 'up', text: '+20.0 %' });
    assert.deepEqual(kpiChange({ unit: 'kes', value: 50, previous: 100 }), { direction: 'down', text: '−50.0 %' });
    assert.deepEqual(kpiChange({ unit: 'percent', value: 12.5, previous: 10 }), { direction: 'up', text: '+2.5 pp' });
    assert.deepEqual(kpiChange({ unit: 'count', value: 3, previous: 0 }), { direction: 'up', text: 'new' });
    assert.equal(kpiChange({ unit: 'count', value: 3, previous: null }), null);
  });

  test('the county map has each of the 47 counties once, on its own tile', () => {
    assert.equal(COUNTY_TILES.length, 47);
    assert.equal(new Set(COUNTY_TILES.map((t) => countyKey(t.name))).size, 47);
    assert.equal(new Set(COUNTY_TILES.map((t) => `${t.row},${t.col}`)).size, 47);
    assert.equal(countyKey('Nairobi City'), countyKey('Nairobi'));
    assert.equal(countyKey('MURANGA'), countyKey("Murang'a"));
  });
});

const count = new Intl.NumberFormat('en-KE', { maximumFractionDigits: 0 });

/**
 * Clicks this period's bar for `label` in a bar chart: hovers along the chart until the tooltip
 * names the category and ECharts shows the pointer (a bar, not the gap beside it), then clicks.
 */
async function clickBar(page: Page, testId: string, label: string): Promise<void> {
  const chart = page.getByTestId(testId);
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  assert.ok(box, `${testId} is on screen`);
  for (const above of [34, 44, 60, 90]) {
    for (let x = box.x + 40; x < box.x + box.width - 10; x += 5) {
      await page.mouse.move(x, box.y + box.height - above);
      const hit = await chart.evaluate((element, name) => {
        const pointer = Array.from(element.querySelectorAll('div')).some((d) => d.style.cursor === 'pointer');
        const tooltip = Array.from(element.querySelectorAll('div')).find((d) => d.style.display !== 'none' && d.textContent?.includes(name));
        return pointer && !!tooltip;
      }, label);
      if (hit) {
        await page.mouse.click(x, box.y + box.height - above);
        return;
      }
    }
  }
  throw new Error(`no clickable ${label} bar found in ${testId}`);
}

/** Null when the list's total is `expected` (waiting for the list to settle), else what differs. */
async function listTotalMismatch(page: Page, what: string, expected: number): Promise<string | null> {
  const counter = page.getByTestId('assessment-count');
  try {
    await counter.filter({ hasText: `${count.format(expected)} assessment` }).waitFor({ timeout: 20_000 });
    return null;
  } catch {
    return `${what}: figure ${count.format(expected)}, list "${(await counter.textContent())?.trim()}"`;
  }
}

describe('dashboards end to end', { timeout: 25 * 60_000 }, () => {
  let service: RunningService;
  let browser: Browser;
  const pages: SignedInPage[] = [];
  before(async () => {
    browser = await launchChromium();
    service = await startService({ demo: true });
  });
  after(async () => {
    for (const opened of pages) await opened.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await service?.stop();
  });

  test('a risk manager compares 7 days, drills from a chart into the payments behind it, pivots and exports', async () => {
    const { token } = await login(service.url, 'faith.wambui', service.demoPassword);
    const opened = await openSignedIn(browser, service.url, 'faith.wambui', service.demoPassword);
    pages.push(opened);
    const { page, problems } = opened;
    // A drill whose list total differs from the figure is collected, so the rest still runs and the test fails at the end.
    const mismatches: (string | null)[] = [];
    await page.setViewportSize({ width: 1366, height: 768 });

    // Overview over 7 days, every KPI compared with the 7 days before.
    await page.goto(`${service.url}/overview`);
    await page.getByTestId('overview').waitFor();
    await page.getByTestId('range-7d').click();
    await page.locator('[data-testid="overview"][data-range="7d"]').waitFor();
    assert.match(page.url(), /range=7d/);
    const overview = await call<DashboardOverview>(service.url, 'GET', '/api/v1/dashboard/overview?range=7d', { token });
    const assessed = overview.kpis.find((k) => k.key === 'assessments');
    assert.ok(assessed && assessed.value > 0, 'the demo has payments in the last 7 days');
    await page
      .getByTestId('kpi-assessments-value')
      .filter({ hasText: count.format(assessed.value) })
      .waitFor();
    const change = kpiChange(assessed);
    assert.ok(change);
    await page.getByTestId('kpi-assessments-change').filter({ hasText: change.text }).waitFor();
    assert.ok((await page.locator('[data-testid$="-change"]').count()) >= 5, 'the period KPIs show their change');
    await shootSizes(page, 'i15-overview-7d');

    // Click the HIGH bar when it is tall enough to aim at, else the tallest level.
    const levels = overview.byRiskLevel;
    const tallest = levels.reduce((a, b) => (b.value > a.value ? b : a));
    const high = levels.find((r) => r.key === 'HIGH');
    const target = high && high.value >= tallest.value * 0.15 ? high : tallest;
    assert.ok(target.value > 0);
    await clickBar(page, 'chart-risk', target.label);
    await page.waitForURL(/\/assessments\?/);
    assert.equal(new URL(page.url()).searchParams.get('riskLevel'), target.key);
    await page.getByTestId(`drill-chip-riskLevel`).waitFor();
    await page.getByTestId('drill-chip-from').waitFor();
    mismatches.push(await listTotalMismatch(page, `risk level ${target.key} (chart bar)`, target.value));
    await page.getByTestId('assessment-row').first().waitFor();
    await shootSizes(page, 'i15-assessments-drill');

    // Removing the level chip widens the list to every payment of the period.
    await page.getByTestId('drill-chip-riskLevel').locator('.MuiChip-deleteIcon').click();
    await page.getByTestId('drill-chip-riskLevel').waitFor({ state: 'detached' });
    assert.equal(new URL(page.url()).searchParams.get('riskLevel'), null);
    mismatches.push(await listTotalMismatch(page, 'every payment of the 7 days (KPI "Payments screened")', assessed.value));

    // Custom range: half a date is a field error; the figures on screen stay.
    await page.goto(`${service.url}/overview?range=7d`);
    await page.locator('[data-testid="overview"][data-range="7d"]').waitFor();
    await page.getByTestId('range-custom').click();
    // The boxes open on the last seven days; clear the first and type only day and month.
    await page.getByTestId('range-from-field').getByRole('spinbutton').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('1212');
    // Leaving the box (the picker reports nothing while sections are empty).
    await page.getByText('compared with the previous period').click();
    await page
      .getByTestId('range-from-field')
      .getByText(/Enter a complete date/)
      .waitFor();
    await page.getByTestId('overview').waitFor();
    await shootSizes(page, 'i15-overview-partial-date');

    // Deep Dive: by county (the map has the counties' figures), then by rule.
    const to = bankToday(Date.now());
    const from = addDays(to, -29);
    await page.goto(`${service.url}/analytics?from=${from}&to=${to}`);
    await page.getByTestId('pivot-card').waitFor();
    await page.getByTestId('pivot-county').click();
    await page.locator('[data-testid="pivot-card"][data-dimension="county"]').waitFor();
    await page.getByTestId('county-map').waitFor();
    const byCounty = await call<PivotResult>(service.url, 'GET', `/api/v1/analytics/pivot?from=${from}&to=${to}&dimension=county&limit=200`, { token });
    const busiest = byCounty.rows[0];
    assert.ok(busiest && busiest.count > 0, 'the demo customers have counties');
    assert.equal(await page.getByTestId('county-tile').count(), 47);
    const tile = page.locator(`[data-testid="county-tile"][data-county="${busiest.label.replace(/"/g, '\\"')}"]`);
    assert.equal(await tile.getAttribute('data-value'), String(busiest.count));
    await page.getByTestId('pivot-chart').waitFor();
    await shootSizes(page, 'i15-analytics-county');
    await page.getByTestId('pivot-rule').click();
    await page.locator('[data-testid="pivot-card"][data-dimension="rule"]').waitFor();
    const byRule = await call<PivotResult>(service.url, 'GET', `/api/v1/analytics/pivot?from=${from}&to=${to}&dimension=rule&limit=200`, { token });
    if (byRule.rows.length === 0) mismatches.push('the rule pivot is empty: the demo’s rules fire on flagged payments');
    else await page.locator(`[data-testid="pivot-table-row"][data-key="${byRule.rows[0]?.key}"]`).waitFor();
    await page.getByTestId('rule-performance').scrollIntoViewIfNeeded();
    await shootSizes(page, 'i15-analytics-rule');

    // The county tile opens the payments of that county.
    await page.getByTestId('pivot-county').click();
    await tile.locator('a').click();
    await page.waitForURL(/\/assessments\?/);
    await page.getByTestId('drill-chip-county').waitFor();
    mismatches.push(await listTotalMismatch(page, `county ${busiest.label} (pivot)`, busiest.count));
    await page.goBack();
    await page.getByTestId('pivot-card').waitFor();

    // Exports: each a non-empty file of its kind.
    for (const format of ['pdf', 'csv', 'xlsx'] as const) {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(`export-${format}`).click()]);
      const file = await download.path();
      const bytes = fs.readFileSync(file);
      assert.ok(bytes.length > 100, `${format} has content (${bytes.length} bytes)`);
      if (format === 'pdf') assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
      if (format === 'xlsx') assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
      if (format === 'csv') assert.ok(bytes.toString('utf8').split('\n').length > 2, 'csv has rows');
      assert.match(download.suggestedFilename(), new RegExp(`\\.${format}$`));
    }

    assert.deepEqual(
      mismatches.filter((m) => m !== null),
      [],
      'every drill-down list holds exactly the rows its figure counted',
    );
    assert.deepEqual(problems, []);
  });
});
