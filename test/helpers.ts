import { request } from 'node:http';
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const root = resolve(__dirname, '..');
export const cli = join(root, 'dist/src/cli/main.js');
export const run = promisify(execFile);

export function tempDir(prefix = 'infoscope-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI; never throws on a non-zero exit. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: opts.cwd ?? root, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr }));
  });
}

export function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1];
}

/** A raw HTTP request: the path goes out exactly as written (fetch would normalise `..`), headers as given. */
export function rawRequest(url: string, path: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((res, rej) => {
    const req = request({ host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (r) => {
      let body = '';
      r.on('data', (d) => (body += d));
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
    });
    req.on('error', rej);
    req.end();
  });
}

/**
 * A copy of the committed run folder test/fixtures/run-small (a 12-unit RNN on Go, 2 steps, probes
 * at steps 0, 1, 2: layer binning and kde-upper, neuron, infoplane; no checkpoints) under `root`,
 * named `name`: charts, reports and the dashboard read it without training anything.
 */
export function fixtureRun(root: string, name = 'small-20261204-063104'): string {
  const dir = join(root, name);
  cpSync(join(resolve(__dirname, 'fixtures', 'run-small')), dir, { recursive: true });
  return dir;
}
