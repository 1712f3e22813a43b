/**
 * `infoscope watch`: a small HTTP server for the live dashboard. It reads run folders (never the
 * live engine), pushes Server-Sent Events when a run's files change, and serves the page and the
 * vega, vega-lite and vega-embed builds from the installed packages (no CDN: works offline).
 *
 * Security: binds 127.0.0.1 unless told otherwise; answers only requests whose Host is the bound
 * address (DNS rebinding); GET and HEAD only; run names validated; static files only under the runs
 * folder (see safePath.ts); no absolute path in any answer. Robustness: one shared watcher for all
 * live clients (capped), files streamed so an aborted client or a vanished file frees its descriptor.
 */
import { statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { extname } from 'node:path';
import { runCharts } from '../charts/runCharts.js';
import { UserError } from '../core/errors.js';
import { loadRun } from '../runfolder/loadRun.js';
import { isRunFolder } from '../runfolder/paths.js';
import { isSweepFolder } from '../sweep/folder.js';
import { WATCH_DEFAULTS } from './defaults.js';
import { TYPES, send, sendFile, vendorFiles } from './http.js';
import { dashboardHtml } from './page.js';
import { RunIndex, sanitize, stamp } from './runIndex.js';

/** Runs whose chart specs the dashboard keeps built (most recently asked first out). */
const CHART_CACHE_RUNS = 16;
import { PathRefused, resolveUnder, safeSegments, validRunName } from './safePath.js';
import { listSweeps, liveSweepView } from './sweeps.js';

interface WatchOptions {
  root: string;
  host?: string;
  port?: number;
  /** Poll interval for file changes, ms (default 400). */
  pollMs?: number;
  /** Live-update clients at once; more get 503 (default 64). */
  maxClients?: number;
}

export interface WatchServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function startWatch(o: WatchOptions): Promise<WatchServer> {
  const root = o.root;
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)) throw new UserError(`the dashboard port must be an integer from 0 to 65535, got ${o.port}`);
  const host = o.host ?? WATCH_DEFAULTS.host;
  const pollMs = o.pollMs ?? 400;
  const maxClients = o.maxClients ?? WATCH_DEFAULTS.maxClients;
  const vendor = vendorFiles();
  const index = new RunIndex(root);
  const chartCache = new Map<string, { stamp: string; json: string }>();
  const clients = new Set<ServerResponse>();
  let port = 0;

  // one watcher for every client: a change is read once and broadcast
  const poll = setInterval(() => {
    if (clients.size === 0) return;
    const { changed } = index.refresh();
    for (const r of changed) for (const c of clients) c.write(`event: update\ndata: ${JSON.stringify(r)}\n\n`);
  }, pollMs);
  poll.unref();

  /** DNS rebinding: a page served from another name must not read the runs through this server. */
  const hostAllowed = (h: string | undefined): boolean => {
    if (!h) return false;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h);
    if (!m || Number(m[2] ?? 80) !== port) return false;
    const name = m[1].replace(/^\[|\]$/g, '').toLowerCase();
    return name === host.toLowerCase() || (LOOPBACK.has(host) && LOOPBACK.has(name));
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    if (!hostAllowed(req.headers.host)) return send(res, 403, 'refused: unexpected Host header\n');
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
        return sendFile(res, f, TYPES['.js'], 'max-age=3600', head);
      }
      if (raw === '/api/runs') return send(res, 200, JSON.stringify(index.refresh().runs), TYPES['.json'], head);
      if (raw === '/api/sweeps') return send(res, 200, JSON.stringify(listSweeps(root, validRunName).map((s) => ({ ...s, error: s.error && sanitize(s.error, root) }))), TYPES['.json'], head);
      const sw = /^\/api\/sweeps\/([^/]+)$/.exec(raw);
      if (sw) {
        const segs = safeSegments(sw[1]);
        const name = segs[0] ?? '';
        if (segs.length !== 1 || !validRunName(name)) return send(res, 400, 'invalid sweep name\n');
        const dir = resolveUnder(root, [name]);
        if (!isSweepFolder(dir)) return send(res, 404, 'no such sweep\n');
        try {
          return send(res, 200, JSON.stringify(liveSweepView(dir)), TYPES['.json'], head);
        } catch (e) {
          return send(res, 422, `sweep ${name} cannot be read: ${sanitize((e as Error).message, root)}\n`);
        }
      }
      if (raw === '/api/events') {
        if (clients.size >= maxClients) return send(res, 503, `too many dashboard clients (${maxClients}); close a tab and retry\n`);
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        if (head) return void res.end();
        res.write(': infoscope watch\n\n');
        for (const r of index.refresh().runs) res.write(`event: run\ndata: ${JSON.stringify(r)}\n\n`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      const m = /^\/api\/runs\/([^/]+)\/charts$/.exec(raw);
      if (m) {
        const segs = safeSegments(m[1]);
        const name = segs[0] ?? '';
        if (segs.length !== 1 || !validRunName(name)) return send(res, 400, 'invalid run name\n');
        const dir = resolveUnder(root, [name]);
        if (!isRunFolder(dir)) return send(res, 404, 'no such run\n');
        // the same Vega-Lite specs as the reports, built once per change of the run's files however
        // many tabs ask (a run of millions of records takes seconds to read)
        const st = stamp(root, name);
        let hit = chartCache.get(name);
        if (!hit || hit.stamp !== st) {
          try {
            hit = { stamp: st, json: JSON.stringify(runCharts(loadRun(dir)).map((c) => ({ name: c.name, title: c.title, spec: c.spec }))) };
          } catch (e) {
            return send(res, 422, `run ${name} cannot be read: ${sanitize((e as Error).message, root)}\n`);
          }
          chartCache.delete(name);
          chartCache.set(name, hit);
          while (chartCache.size > CHART_CACHE_RUNS) chartCache.delete(chartCache.keys().next().value as string);
        }
        return send(res, 200, hit.json, TYPES['.json'], head);
      }
      if (raw.startsWith('/runs/')) {
        const segs = safeSegments(raw.slice('/runs/'.length));
        if (segs.length < 2 || !validRunName(segs[0])) return send(res, 400, 'invalid run path\n');
        const file = resolveUnder(root, segs);
        if (!statSync(file).isFile()) return send(res, 404, 'not found\n');
        return sendFile(res, file, TYPES[extname(file)] ?? 'application/octet-stream', 'no-store', head);
      }
      return send(res, 404, 'not found\n');
    } catch (e) {
      if (e instanceof PathRefused) return send(res, e.message === 'not found' ? 404 : 403, `refused: ${e.message}\n`);
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return send(res, 404, 'not found\n');
      return send(res, 500, `error: ${sanitize((e as Error).message, root)}\n`);
    }
  };

  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearInterval(poll);
      const where = `${host} port ${o.port ?? WATCH_DEFAULTS.port}`;
      const why: Record<string, string> = { EADDRINUSE: 'is in use by another program', EACCES: 'needs more privileges', EADDRNOTAVAIL: 'is not an address of this machine' };
      reject(why[e.code ?? ''] ? new UserError(`cannot serve the dashboard: ${where} ${why[e.code ?? '']}`) : e);
    });
    server.listen(o.port ?? WATCH_DEFAULTS.port, host, () => {
      const addr = server.address();
      port = typeof addr === 'object' && addr ? addr.port : (o.port ?? WATCH_DEFAULTS.port);
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
        server,
        close: () =>
          new Promise((r) => {
            clearInterval(poll);
            for (const c of clients) c.end();
            server.close(() => r());
          }),
      });
    });
  });
}
