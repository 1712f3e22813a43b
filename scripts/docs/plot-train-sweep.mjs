#!/usr/bin/env node
// Renders the output of `infoscope bench train --sweep --pytorch <python> --json` (one JSON line per
// size) as the cost chart of docs/performance.md: ms per step against units, infoscope and PyTorch,
// one panel per batch, one line style per trial length. Usage (after npx tsc):
//   node scripts/docs/plot-train-sweep.mjs docs/examples/train-sweep-2026-12-04.jsonl docs/images/train-sweep.png
import { readFileSync, writeFileSync } from 'node:fs';
import { renderPng, renderSvg } from '../../dist/src/charts/render.js';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: plot-train-sweep.mjs <sweep.jsonl> <out.png>\n');
  process.exit(2);
}
const points = readFileSync(input, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const values = points.flatMap((p) => [
  { units: p.hidden, batch: `batch ${p.batch}`, T: `T ${p.time_steps}`, who: 'infoscope', ms: p.ms_per_step },
  ...(p.pytorch_ms_per_step ? [{ units: p.hidden, batch: `batch ${p.batch}`, T: `T ${p.time_steps}`, who: 'PyTorch', ms: p.pytorch_ms_per_step }] : []),
]);
const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `one training step against network size (${points[0].threads} threads each; bench train --sweep)`,
  data: { values },
  facet: { column: { field: 'batch', type: 'nominal', title: null, sort: ['batch 16', 'batch 64', 'batch 256'] } },
  spec: {
    width: 220,
    height: 200,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'units', type: 'quantitative', scale: { type: 'log', base: 2 }, axis: { values: [64, 128, 256, 512, 1024, 2048] }, title: 'units' },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms per step' },
      color: { field: 'who', type: 'nominal', title: null },
      strokeDash: { field: 'T', type: 'nominal', title: 'trial length' },
    },
  },
};
writeFileSync(output, await renderPng(await renderSvg(spec)));
process.stdout.write(`${output}\n`);
