// Opens a Recon report.html in headless Chromium (Debian's /usr/bin/chromium) and checks what a
// reader would see: every image loaded, no console errors, the summary before the per-feature
// statistics, the summary's numbers equal to metrics.json beside it (each shown number carries its
// exact value in data-value under metrics.json's key in data-metric), the embedded metrics equal
// to metrics.json. Saves full-page screenshots at 1280 px and at a phone's 390 px
// (SCREENSHOT.png and SCREENSHOT-phone.png), and checks that the page does not scroll sideways
// on the phone. Usage: node check-report.mjs RUN_DIR/report.html SCREENSHOT.png
import { chromium } from 'playwright-core';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const [, , file, shot] = process.argv;
if (!file || !shot) {
  console.error('usage: node check-report.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
const report = path.resolve(file);
if (!existsSync(report)) {
  console.error(`report check: ${report} does not exist`);
  process.exit(1);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url().slice(0, 80)}`));
  await page.goto('file://' + report, { waitUntil: 'load' });
  const images = await page.evaluate(() => Array.from(document.images).map((i) => ({
    alt: i.alt, ok: i.complete && i.naturalWidth > 0,
  })));
  if (images.length === 0) problems.push('no images in the report');
  for (const i of images) if (!i.ok) problems.push(`image did not load: ${i.alt}`);
  const embedded = JSON.parse(await page.evaluate(() => document.getElementById('recon-metrics').textContent));
  const text = await page.evaluate(() => document.body.innerText);
  const metricsFile = path.join(path.dirname(report), 'metrics.json');
  let compared = 0;
  if (existsSync(metricsFile)) {
    const m = JSON.parse(readFileSync(metricsFile, 'utf8'));
    for (const k of ['roc_auc', 'pr_auc', 'best_f1', 'best_f1_threshold', 'threshold', 'precision', 'recall', 'f1',
      'flagged', 'recall_at_fpr_0.001', 'rows', 'anomalies']) {
      if (k in m) {
        compared++;
        if (JSON.stringify(m[k]) !== JSON.stringify(embedded.autoencoder[k])) {
          problems.push(`${k}: report ${embedded.autoencoder[k]} but metrics.json ${m[k]}`);
        }
      }
    }
    if ('confusion' in m && JSON.stringify(m.confusion) !== JSON.stringify(embedded.autoencoder.confusion)) {
      problems.push('confusion matrix differs from metrics.json');
    }
    if (m.baseline_iforest && JSON.stringify(m.baseline_iforest) !== JSON.stringify(embedded.iforest)) {
      problems.push('baseline metrics differ from metrics.json');
    }
    if (typeof m.roc_auc === 'number') {
      const shown = m.roc_auc.toFixed(4);
      if (!text.includes(shown)) problems.push(`the page does not show ROC-AUC ${shown}`);
    }
    // the summary: every number it shows is metrics.json's, rounded for display
    const order = await page.evaluate(() => {
      const s = document.getElementById('summary');
      const f = document.getElementById('feature-stats');
      return s && f ? (s.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0 : null;
    });
    if (order !== true) problems.push('no summary before the per-feature statistics');
    const shownMetrics = await page.evaluate(() => Array.from(document.querySelectorAll('#summary [data-metric]'))
      .map((e) => ({ key: e.dataset.metric, value: Number(e.dataset.value), text: e.textContent })));
    const cells = { tn: [0, 0], fp: [0, 1], fn: [1, 0], tp: [1, 1] };
    for (const s of shownMetrics) {
      const want = s.key in cells && m.confusion ? m.confusion[cells[s.key][0]][cells[s.key][1]] : m[s.key];
      const shown = Number(s.text.replace(/,/g, ''));
      if (want === undefined) problems.push(`summary shows ${s.key}, which metrics.json lacks`);
      else if (s.value !== want) problems.push(`summary ${s.key} is ${s.value}, metrics.json ${want}`);
      else if (!(Math.abs(shown - want) <= 5e-5 + 1e-5 * Math.abs(want))) problems.push(`summary shows ${s.key} as ${s.text}`);
      else compared++;
    }
    if (!shownMetrics.some((s) => s.key === 'roc_auc')) problems.push('the summary shows no ROC-AUC');
  }
  await page.screenshot({ path: shot, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (sideways > 0) problems.push(`at 390 px the page scrolls sideways by ${sideways} px`);
  await page.screenshot({ path: shot.replace(/\.png$/, '') + '-phone.png', fullPage: true });
  console.log(`report check: ${images.length} images loaded, ${compared} metrics equal metrics.json, `
    + `${problems.length} problems; screenshot ${shot}`);
} finally {
  await browser.close();
}
for (const p of problems) console.error(`report check: ${p}`);
process.exit(problems.length ? 1 : 0);
