/**
 * The bad-input table: things a demanding user tries, each with what must happen. Used by
 * badInputs.test.ts, and runnable against any build to count outcomes:
 *
 *   INFOSCOPE_CLI=dist/src/cli/main.js npx vite-node test/robustness/badInputs.ts
 *
 * prints one line per case (clear | wrong | crash) and the totals. 'clear' is the wanted outcome:
 * exit 2 with one line on stderr and no file changed, or (for inputs that are odd but valid) exit 0
 * with the right answer. 'wrong' is exit 0 (or 2) with a wrong or missing result; 'crash' is any
 * other exit code, a stack trace, or more than one line of complaint.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeNpy } from '../../src/runfolder/npy.js';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BadInput {
  name: string;
  /** Arguments; RUN and DIR are replaced by a trained run folder and a scratch folder. */
  args: string[];
  files?: Record<string, string>;
  /** Prepare the run folder copy (damage a file, ...). */
  damage?: (run: string) => void;
  /** 'error': exit 2, one line matching `message`, files unchanged. 'ok': exit 0 and check(out). */
  expect: { error: RegExp } | { ok: (o: Outcome) => boolean };
}

function runCli(cli: string, args: string[], cwd: string): Promise<Outcome> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, INFOSCOPE_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    // a case that hangs is a failure too (it once spun forever on an output folder under /proc)
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

const gauss = (seed: number) => {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
};
/** x, y with correlation 0.8 scaled by `scale`: the truth is -0.5 ln(1 - 0.64) = 0.511 nats at any scale. */
function correlated(scale: number): Record<string, string> {
  const g = gauss(7);
  const xs: string[] = [];
  const ys: string[] = [];
  for (let i = 0; i < 400; i++) {
    const a = g();
    const b = 0.8 * a + 0.6 * g();
    xs.push(String(a * scale));
    ys.push(String(b * scale));
  }
  return { 'x.csv': xs.join('\n') + '\n', 'y.csv': ys.join('\n') + '\n' };
}
const mi = (o: Outcome) => {
  try {
    return JSON.parse(o.stdout).value as number;
  } catch {
    return NaN;
  }
};
const near511 = (o: Outcome) => Math.abs(mi(o) - 0.511) < 0.12;

const firstNpy = (d: string) => join(d, readdirSync(d).find((f) => f.endsWith('.npy')) as string);
const config = (c: unknown) => JSON.stringify({ steps: 1, batch: 4, rnn: { hidden: 8 }, backend: 'wasm', out: 'DIR/runs', ...(c as object) });

export const badInputs: BadInput[] = [
  { name: 'negative noise variance', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ probes: [{ hook: 'layer', options: { noiseVar: -0.1 } }] }) }, expect: { error: /noiseVar" too small/ } },
  { name: 'k = 0', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ probes: [{ hook: 'neuron', options: { k: 0 } }] }) }, expect: { error: /"probes.0.options.k" too small/ } },
  { name: 'bins = 0', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ probes: [{ hook: 'layer', options: { bins: 0 } }] }) }, expect: { error: /bins" too small/ } },
  { name: 'k = 100000', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ probes: [{ hook: 'layer', options: { k: 100000 } }] }) }, expect: { error: /k" too big|k = 100000/ } },
  { name: 'unknown hook option', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ probes: [{ hook: 'infoplane', options: { noise: 1 } }] }) }, expect: { error: /unknown key "noise"/ } },
  { name: 'probeTrials < probeDirections', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ probeTrials: 16, probeDirections: 20 }) }, expect: { error: /probeTrials.*probeDirections/ } },
  { name: 'estimate, data x 1e160', args: ['estimate', '--x', 'x.csv', '--y', 'y.csv'], files: correlated(1e160), expect: { ok: near511 } },
  { name: 'estimate, data x 1e-200', args: ['estimate', '--x', 'x.csv', '--y', 'y.csv'], files: correlated(1e-200), expect: { ok: near511 } },
  { name: 'labels 0 and 2^32', args: ['estimate', '--x', 's.csv', '--x-discrete', '--y', 'v.csv'], files: { 's.csv': '0\n4294967296\n0\n4294967296\n0\n4294967296\n', 'v.csv': '1\n2\n3\n4\n5\n6\n' }, expect: { error: /outside the integer range of labels/ } },
  { name: 'label 1e300', args: ['estimate', '--x', 's.csv', '--x-discrete', '--y', 'v.csv'], files: { 's.csv': '0\n1e300\n0\n1\n0\n1\n', 'v.csv': '1\n2\n3\n4\n5\n6\n' }, expect: { error: /outside the integer range of labels/ } },
  { name: 'a typo in the first row is not a header', args: ['estimate', '--x', 'x.csv', '--y', 'y.csv'], files: { 'x.csv': '1,abc\n2,3\n3,4\n4,5\n', 'y.csv': '1\n2\n3\n4\n' }, expect: { error: /line 1 column 2 is not a finite number: "abc"/ } },
  { name: 'resume --steps 10 of a finished 20-step run', args: ['resume', 'RUN', '--steps', '10'], expect: { error: /already reached step 20 of 10/ } },
  { name: 'probe --estimators bogus', args: ['probe', 'RUN', '--estimators', 'bogus'], expect: { error: /estimator "bogus"/ } },
  { name: 'bench train --batch 0', args: ['bench', 'train', '--batch', '0'], expect: { error: /batch must be a positive integer/ } },
  { name: 'bench train --pytorch with a Python that does not exist', args: ['bench', 'train', '--pytorch', '/nonexistent/python3'], expect: { error: /cannot run \/nonexistent\/python3/ } },
  { name: 'bench target --seeds that are not numbers', args: ['bench', 'target', '--seeds', 'a,b'], expect: { error: /--seeds must list non-negative integers/ } },
  { name: 'a wrong-shaped metrics line', args: ['report', 'RUN'], damage: (r) => writeFileSync(join(r, 'metrics.jsonl'), '{"step": "one", "wall_s": 0}\n'), expect: { error: /metrics\.jsonl line 1 .* does not match its schema: "step"/ } },
  { name: 'a damaged meta.json', args: ['report', 'RUN'], damage: (r) => writeFileSync(join(r, 'meta.json'), '{"infoscope":'), expect: { error: /meta\.json is not valid JSON/ } },
  { name: 'a truncated .npy in the last checkpoint', args: ['resume', 'RUN', '--steps', '22', '--no-report'], damage: (r) => truncateSync(firstNpy(join(r, 'checkpoints', 'step-0000020')), 50), expect: { ok: (o) => o.code === 0 && /step-0000020 is damaged.*resuming from the checkpoint before it/.test(o.stderr) } },
  { name: 'a checkpoint array of the wrong size', args: ['resume', 'RUN', '--steps', '22', '--no-report'], damage: (r) => { const d = join(r, 'checkpoints', 'step-0000020'); const f = join(d, 'wRec.npy'); writeFileSync(f, encodeNpy(new Float32Array(10), [10])); const st = JSON.parse(readFileSync(join(d, 'state.json'), 'utf8')); st.arrays.wRec.length = 10; writeFileSync(join(d, 'state.json'), JSON.stringify(st)); }, expect: { ok: (o) => o.code === 0 && /checkpoint 20 does not fit this run's model .*resuming from the checkpoint before it/.test(o.stderr) } },
  { name: 'every checkpoint damaged', args: ['resume', 'RUN', '--steps', '22', '--no-report'], damage: (r) => { for (const c of readdirSync(join(r, 'checkpoints'))) truncateSync(firstNpy(join(r, 'checkpoints', c)), 50); }, expect: { error: /every checkpoint of .* is damaged/ } },
  { name: 'a port out of range', args: ['watch', 'DIR', '--port', '70000'], expect: { error: /port must be an integer from 0 to 65535/ } },
  { name: '--out is a file', args: ['train', '--steps', '1', '--hidden', '8', '--out', 'c.json/runs'], files: { 'c.json': '{}' }, expect: { error: /is a file, not a folder/ } },
  { name: 'out under /proc', args: ['train', '--config', 'c.json'], files: { 'c.json': JSON.stringify({ steps: 1, out: '/proc/infoscope-nope' }) }, expect: { error: /cannot be made/ } },
  { name: 'an unknown task in a list', args: ['train', '--task', 'go,dm3', '--steps', '1', '--out', 'DIR'], expect: { error: /unknown task "dm3"; known tasks: go, rtgo/ } },
  { name: 'negative task weights', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ task: ['go', 'dm1'], taskWeights: { dm1: -2 } }) }, expect: { error: /"taskWeights.dm1" too small/ } },
  { name: 'task weights all zero', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ task: ['go', 'dm1'], taskWeights: { go: 0, dm1: 0 } }) }, expect: { error: /all zero/ } },
  { name: 'a timing override past the trial', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ task: 'dm1', timing: { dmTestGoMs: 3000 } }) }, expect: { error: /"timing" breaks a trial of dm1/ } },
  { name: 'a preset with a contradicting flag', args: ['train', '--preset', 'yang2019', '--activation', 'tanh', '--out', 'DIR'], expect: { error: /preset "yang2019" sets "rnn.activation" to "softplus"/ } },
  { name: 'unknown config key', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ stepz: 2 }) }, expect: { error: /unknown key "stepz"/ } },
  { name: 'old top-level lr', args: ['train', '--config', 'c.json'], files: { 'c.json': config({ lr: 0.01 }) }, expect: { error: /"rnn\.lr"/ } },
  { name: 'a config that is an array', args: ['train', '--config', 'c.json'], files: { 'c.json': '[1,2]' }, expect: { error: /is not a JSON object/ } },
  { name: 'import: a manifest naming a file that is not there', args: ['import', 'm.json', '--out', 'DIR/runs'], files: { 'm.json': JSON.stringify({ activity: { hidden: { file: 'h.npy' }, labels: { file: 'l.npy' } } }) }, expect: { error: /cannot read .*h\.npy \(ENOENT\)/ } },
  { name: 'import: a manifest with activity and weights', args: ['import', 'm.json', '--out', 'DIR/runs'], files: { 'm.json': JSON.stringify({ activity: { hidden: { file: 'h.npy' } }, weights: { checkpoints: [{ step: 0, file: 'w.npz' }], alpha: 0.2, activation: 'softplus' } }) }, expect: { error: /give either "activity" or "weights"/ } },
  { name: 'import: an unknown axis name', args: ['import', 'm.json', '--out', 'DIR/runs'], files: { 'm.json': JSON.stringify({ activity: { hidden: { file: 'h.npy', axes: ['time', 'batch', 'unit'] } } }) }, expect: { error: /invalid manifest .*hidden\.axes\.1/ } },
  { name: 'import: a CSV where an array file belongs', args: ['import', 'm.json', '--out', 'DIR/runs'], files: { 'm.json': JSON.stringify({ activity: { hidden: { file: 'h.csv' }, labels: { file: 'l.npy' } } }), 'h.csv': '1,2\n3,4\n' }, expect: { error: /h\.csv/ } },
  { name: 'estimate: a blank line inside the data (a missing value)', args: ['estimate', '--x', 'x.csv', '--y', 'y.csv'], files: { 'x.csv': '1\n2\n\n4\n5\n6\n', 'y.csv': '1\n2\n3\n4\n5\n6\n' }, expect: { error: /X file x\.csv line 3 is blank/ } },
  { name: 'estimate: a hex cell', args: ['estimate', '--x', 'x.csv', '--y', 'y.csv'], files: { 'x.csv': '1\n0x1A\n3\n4\n5\n6\n', 'y.csv': '1\n2\n3\n4\n5\n6\n' }, expect: { error: /line 2 column 1 is not a decimal number: "0x1A"/ } },
  { name: 'estimate: an empty cell', args: ['estimate', '--x', 'x.csv', '--y', 'y.csv'], files: { 'x.csv': '1,2\n3,\n5,6\n7,8\n', 'y.csv': '1\n2\n3\n4\n' }, expect: { error: /line 2 column 2 is empty/ } },
  { name: 'a run far bigger than memory is refused before it allocates', args: ['train', '--task', 'all', '--hidden', '4096', '--batch', '4096', '--out', 'DIR/runs'], expect: { error: /this run needs about \d+\.\d GiB \(4096 units, batch 4096, trials up to \d+ steps\) and .* GiB is available/ } },
  { name: 'metrics.jsonl with a duplicated line', args: ['report', 'RUN'], damage: (r) => { const l = readFileSync(join(r, 'metrics.jsonl'), 'utf8').split('\n'); l.splice(3, 0, l[2]); writeFileSync(join(r, 'metrics.jsonl'), l.join('\n')); }, expect: { error: /metrics\.jsonl line 4 has step 3 after step 3: a duplicate or a line out of order/ } },
  { name: 'metrics.jsonl with lines missing', args: ['report', 'RUN'], damage: (r) => { const l = readFileSync(join(r, 'metrics.jsonl'), 'utf8').split('\n'); l.splice(4, 3); writeFileSync(join(r, 'metrics.jsonl'), l.join('\n')); }, expect: { error: /metrics\.jsonl line 5 has step 8 after step 4: 3 step\(s\) missing/ } },
  { name: 'estimate with one class', args: ['estimate', '--x', 's.csv', '--x-discrete', '--y', 'v.csv', '--estimator', 'ross'], files: { 's.csv': '1\n1\n1\n1\n1\n1\n', 'v.csv': '1\n2\n3\n4\n5\n6\n' }, expect: { error: /x holds a single class/ } },
];

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export type Verdict = 'clear' | 'wrong' | 'crash';

/** Run one case against a CLI build, in its own scratch folder, with a copy of `trainedRun`. */
export async function tryBadInput(cli: string, c: BadInput, trainedRun: string): Promise<{ verdict: Verdict; outcome: Outcome }> {
  const dir = mkdtempSync(join(tmpdir(), 'infoscope-bad-'));
  const run = join(dir, 'run');
  cpSync(trainedRun, run, { recursive: true });
  c.damage?.(run);
  for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), text.replace(/DIR/g, dir));
  const before = snapshot(run);
  const o = await runCli(cli, c.args.map((a) => a.replace('RUN', run).replace('DIR', dir)), dir);
  const lines = o.stderr.trim().split('\n').filter(Boolean);
  const trace = /\n\s+at .+:\d+:\d+/.test(o.stderr);
  if ('error' in c.expect) {
    if (o.code === 2 && lines.length === 1 && !trace) {
      const same = JSON.stringify([...snapshot(run)]) === JSON.stringify([...before]);
      return { verdict: c.expect.error.test(o.stderr) && same ? 'clear' : 'wrong', outcome: o };
    }
    return { verdict: o.code === 0 || o.code === 2 ? 'wrong' : 'crash', outcome: o };
  }
  if (trace || (o.code !== 0 && o.code !== 2)) return { verdict: 'crash', outcome: o };
  return { verdict: c.expect.ok(o) ? 'clear' : 'wrong', outcome: o };
}

/** A finished 20-step run with checkpoints at 0, 10 and 20 for the cases that need one. */
export async function trainedRun(cli: string): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'infoscope-bad-run-'));
  mkdirSync(out, { recursive: true });
  const o = await runCli(cli, ['train', '--steps', '20', '--checkpoint-every', '10', '--hidden', '8', '--batch', '4', '--probe-every', '10', '--backend', 'wasm', '--no-report', '--out', out], out);
  const dir = o.stdout.trim().split('\n').pop() as string;
  if (o.code !== 0 || !existsSync(dir)) throw new Error(`could not train the run the cases use: ${o.stderr}`);
  return dir;
}

if (process.env.INFOSCOPE_CLI) {
  const cli = resolve(process.env.INFOSCOPE_CLI);
  const run = await trainedRun(cli);
  const count: Record<Verdict, number> = { clear: 0, wrong: 0, crash: 0 };
  for (const c of badInputs) {
    const { verdict, outcome } = await tryBadInput(cli, c, run);
    count[verdict]++;
    console.log(`${verdict.padEnd(6)} ${c.name}  [exit ${outcome.code}] ${outcome.stderr.trim().split('\n')[0]?.slice(0, 110) ?? ''}`);
  }
  console.log(`tried ${badInputs.length}: clear ${count.clear}, wrong ${count.wrong}, crash ${count.crash}`);
}
