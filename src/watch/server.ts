/**
 * `infoscope watch`: a small HTTP server for the live dashboard. It reads run folders (never the
 * live engine), pushes Server-Sent Events when a run's files change, and serves the page and the
 * vega, vega-lite and vega-embed builds from the installed packages (no CDN: works offline).
 *
 * Security: binds 127.0.0.1 unless told otherwise; GET and HEAD only; run names validated; static
 * files only under the runs folder (see safePath.ts).
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { loadRun } from '../runfolder/loadRun.js';
import { runCharts } from '../charts/specs.js';
import { isRunFolder, readConfig, readMeta, readMetrics, runPaths } from '../runfolder/runFolder.js';
import { dashboardHtml } from './page.js';
import { PathRefused, resolveUnder, safeSegments, validRunName } from './safePath.js';

export interface WatchOptions {
  root: string;
  host?: string;
  port?: number;
  /** Poll interval for file changes, ms (default 400). */
  pollMs?: number;
}

export interface WatchServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.npy': 'application/octet-stream',
};

function vendorFiles(): Record<string, string> {
  const req = createRequire(import.meta.url);
  const dir = (pkg: string) => dirname(req.resolve(pkg));
  return {
    'vega.min.js': join(dir('vega'), 'vega.min.js'),
    'vega-lite.min.js': join(dir('vega-lite'), 'vega-lite.min.js'),
    'vega-embed.min.js': join(dir('vega-embed'), 'vega-embed.min.js'),
  };
}

export interface RunSummary {
  name: string;
  task: string;
  model: string;
  status: string;
  step: number;
  totalSteps: number;
  perf: number | null;
  backend: string;
}

export function listRuns(root: string): RunSummary[] {
  if (!existsSync(root)) return [];
  const out: RunSummary[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!validRunName(name) || !isRunFolder(dir)) continue;
    try {
      const p = runPaths(dir);
      const meta = readMeta(p);
      const config = readConfig(p);
      const metrics = readMetrics(p);
      const last = metrics[metrics.length - 1];
      const lastPerf = [...metrics].reverse().find((m) => m.perf !== undefined);
      out.push({
        name,
        task: Array.isArray(config.task) ? config.task.join('+') : config.task,
        model: config.model,
        status: meta.status,
        step: last?.step ?? meta.step,
        totalSteps: meta.totalSteps,
        perf: lastPerf?.perf ?? null,
        backend: meta.backend,
      });
    } catch {
      /* a run folder being written right now: list it next time */
    }
  }
  return out;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', head = false): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

function stamp(root: string, name: string): string {
  const p = runPaths(join(root, name));
  return [p.metrics, p.probes, p.meta]
    .map((f) => {
      try {
        const s = statSync(f);
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

/** Where the dashboard listens unless told otherwise (loopback only). */
export const WATCH_DEFAULTS = { host: '127.0.0.1', port: 7070 } as const;

export function startWatch(o: WatchOptions): Promise<WatchServer> {
  const root = o.root;
  const host = o.host ?? WATCH_DEFAULTS.host;
  const pollMs = o.pollMs ?? 400;
  const vendor = vendorFiles();
  const clients = new Set<{ res: ServerResponse; stamps: Map<string, string> }>();

  const poll = setInterval(() => {
    for (const c of clients) {
      for (const r of listRuns(root)) {
        const s = stamp(root, r.name);
        if (c.stamps.get(r.name) !== s) {
          const first = !c.stamps.has(r.name);
          c.stamps.set(r.name, s);
          c.res.write(`event: ${first ? 'run' : 'update'}\ndata: ${JSON.stringify(r)}\n\n`);
        }
      }
    }
  }, pollMs);
  poll.unref();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'only GET and HEAD are served\n');
    }
    const head = method === 'HEAD';
    const raw = (req.url ?? '/').split('?')[0];
    try {
      if (raw === '/' || raw === '/index.html') return send(res, 200, dashboardHtml(), TYPES['.html'], head);
      if (raw.startsWith('/vendor/')) {
        const f = vendor[raw.slice('/vendor/'.length)];
        if (!f) return send(res, 404, 'not found\n');
        res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'max-age=3600' });
        if (head) return void res.end();
        return void createReadStream(f).pipe(res);
      }
      if (raw === '/api/runs') return send(res, 200, JSON.stringify(listRuns(root)), TYPES['.json'], head);
      if (raw === '/api/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        if (head) return void res.end();
        res.write(': infoscope watch\n\n');
        const c = { res, stamps: new Map<string, string>() };
        clients.add(c);
        req.on('close', () => clients.delete(c));
        return;
      }
      const m = /^\/api\/runs\/([^/]+)\/charts$/.exec(raw);
      if (m) {
        const segs = safeSegments(m[1]);
        const name = segs[0] ?? '';
        if (segs.length !== 1 || !validRunName(name)) return send(res, 400, 'invalid run name\n');
        const dir = resolveUnder(root, [name]);
        if (!isRunFolder(dir)) return send(res, 404, 'no such run\n');
        // the same Vega-Lite specs as the reports
        const charts = runCharts(loadRun(dir)).map((c) => ({ name: c.name, title: c.title, spec: c.spec }));
        return send(res, 200, JSON.stringify(charts), TYPES['.json'], head);
      }
      if (raw.startsWith('/runs/')) {
        const segs = safeSegments(raw.slice('/runs/'.length));
        if (segs.length < 2 || !validRunName(segs[0])) return send(res, 400, 'invalid run path\n');
        const file = resolveUnder(root, segs);
        if (!statSync(file).isFile()) return send(res, 404, 'not found\n');
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        if (head) return void res.end();
        return void createReadStream(file).pipe(res);
      }
      return send(res, 404, 'not found\n');
    } catch (e) {
      if (e instanceof PathRefused) return send(res, e.message === 'not found' ? 404 : 403, `refused: ${e.message}\n`);
      return send(res, 500, `error: ${(e as Error).message}\n`);
    }
  };

  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? WATCH_DEFAULTS.port, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : o.port;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
        server,
        close: () =>
          new Promise((r) => {
            clearInterval(poll);
            for (const c of clients) c.res.end();
            server.close(() => r());
          }),
      });
    });
  });
}
