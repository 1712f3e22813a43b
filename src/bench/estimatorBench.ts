/** `infoscope bench estimators`: wall time of the estimators on the sizes the probes meet. */
import { estimatorDefaults as D } from '../../probes/estimators/defaults.js';
import { estimate, type EstimateOptions } from '../../probes/estimators/estimate.js';
import { estRng } from '../../probes/estimators/random.js';
import type { Samples } from '../../probes/estimators/types.js';

interface EstimatorBenchLine {
  estimator: string;
  /** raw: the estimator alone (one estimate); protocol: with the reliability protocol (sample-size ladder, bias correction, interval, verdict), what a probe record costs. */
  mode: 'raw' | 'protocol';
  n: number;
  d: number;
  /** Median of the timed repeats. */
  ms: number;
  /** Fastest repeat: on a shared machine the median carries its neighbours' load, the minimum less so. */
  ms_min: number;
  value: number;
}

function gaussians(n: number, d: number, seed: number): { x: Samples; y: Samples } {
  const r = estRng(`bench/${seed}`);
  const x = new Float64Array(n * d).map(() => r.normal());
  const y = x.map((v) => 0.6 * v + 0.8 * r.normal());
  return { x: { n, d, data: x }, y: { n, d, data: y } };
}

function time(f: () => number, repeats: number): { ms: number; ms_min: number; value: number } {
  // warm-up: V8 optimises hot code only after many calls; run for 300 ms (or 50 calls) first, as a
  // long-running probe loop would be
  let value = f();
  const w0 = performance.now();
  for (let i = 0; i < 50 && performance.now() - w0 < 300; i++) value = f();
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    value = f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { ms: +t[Math.floor(t.length / 2)].toFixed(3), ms_min: +t[0].toFixed(3), value };
}

/** A layer of 256 units over 200 trials of 8 stimulus classes, each unit tuned with noise and some rectified at 0. */
function syntheticLayer(): { h: Samples; s: Int32Array } {
  const r = estRng('bench/layer');
  const n = 200;
  const N = 256;
  const s = Int32Array.from({ length: n }, (_, i) => i % 8);
  const h = new Float64Array(n * N);
  for (let j = 0; j < N; j++) {
    const pref = r.uniform() * 2 * Math.PI;
    for (let i = 0; i < n; i++) h[i * N + j] = Math.max(0, Math.cos((2 * Math.PI * s[i]) / 8 - pref) + 0.5 * r.normal());
  }
  return { h: { n, d: N, data: h }, s };
}

/** Each case is timed twice, labelled: the estimator alone, then with the reliability protocol. */
const MODES = ['raw', 'protocol'] as const;

export function benchEstimators(emit: (line: EstimatorBenchLine) => void, repeats = 9): void {
  for (const d of [1, 3, 8]) {
    for (const n of [500, 2000, 10000]) {
      const { x, y } = gaussians(n, d, n + d);
      for (const mode of MODES) {
        const r = time(() => estimate(x, y, { estimator: 'ksg', k: D.k, protocol: mode === 'protocol' }).value, n * d >= 20000 ? 1 : repeats);
        emit({ estimator: 'ksg', mode, n, d, ...r });
      }
    }
  }
  const { h, s } = syntheticLayer();
  const layer: Array<[string, EstimateOptions]> = [
    ['binning', { estimator: 'binning', bins: D.bins }],
    ['kde-upper', { estimator: 'kde-upper', noiseVar: D.noiseVar }],
    ['mixed', { estimator: 'mixed', k: D.k }],
    ['ross', { estimator: 'ross', k: D.k }],
  ];
  for (const [name, opts] of layer) {
    for (const mode of MODES) {
      const r = time(() => estimate(h, s, { ...opts, protocol: mode === 'protocol' }).value, repeats);
      emit({ estimator: name, mode, n: h.n, d: h.d, ...r });
    }
  }
}
