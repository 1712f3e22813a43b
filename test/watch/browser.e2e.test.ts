/**
 * End to end in a real browser (Debian's /usr/bin/chromium driven by playwright-core): a short
 * training run writes its folder, the dashboard shows it, the step counter advances and the charts
 * redraw without a reload. Saves a screenshot. `.ci/run` installs chromium when it is missing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { type WatchServer, startWatch } from '../../src/watch/server.js';
import { cli, root as projectRoot, tempDir } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
// On CI chromium is installed by .ci/run, so a missing browser is a failure there, not a skip.
const runIt = haveChromium || process.env.CI ? it : it.skip;

describe('live dashboard in headless Chromium', () => {
  let w: WatchServer | null = null;
  let child: ChildProcess | null = null;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await w?.close();
  });

  runIt('shows a training run, advances its step counter and redraws its charts', async () => {
    const out = tempDir('infoscope-watch-');
    child = spawn(process.execPath, [cli, 'train', '--steps', '100000', '--hidden', '24', '--batch', '8', '--eval-every', '5', '--probe-every', '0', '--out', out, '--name', 'live'], { stdio: 'ignore' });
    // a run far longer than the test (killed at the end): it is still writing when the page looks
    // wait for the run folder with its first metrics
    const t0 = Date.now();
    while (!(existsSync(out) && readdirSync(out).some((n) => n.startsWith('live-') && existsSync(join(out, n, 'metrics.jsonl'))))) {
      if (Date.now() - t0 > 60_000) throw new Error('the training run did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = readdirSync(out).find((n) => n.startsWith('live-')) as string;
    w = await startWatch({ root: out, port: 0, pollMs: 200 });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const external: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(w?.url ?? '')) external.push(r.url());
      });
      await page.goto(w.url);
      await page.locator(`tr[data-run="${run}"]`).click();
      const counter = page.locator(`#step-${run.replace(/\./g, '\\.')}`);
      await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) >= 1, undefined, { timeout: 60_000 });
      await expect.poll(async () => Number(await counter.textContent()), { timeout: 30_000 }).toBeGreaterThan(0);
      const first = Number(await counter.textContent());
      const rendersBefore = Number(await page.evaluate(() => document.body.dataset.renders));
      // the run keeps writing: the counter must advance and the charts redraw, with no reload
      await expect.poll(async () => Number(await counter.textContent()), { timeout: 60_000 }).toBeGreaterThan(first);
      await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, rendersBefore, { timeout: 60_000 });
      expect(await page.locator('.chart svg').count()).toBeGreaterThan(0);
      expect(external).toEqual([]);
      const shots = join(projectRoot, 'test-output');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: false });
    } finally {
      await browser.close();
    }
  });
});
