/** Answering HTTP requests: plain answers, streamed files, and the vega builds served from the installed packages. */
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream';

export const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.npy': 'application/octet-stream',
};

export function vendorFiles(): Record<string, string> {
  const req = createRequire(import.meta.url);
  const dir = (pkg: string) => dirname(req.resolve(pkg));
  return {
    'vega.min.js': join(dir('vega'), 'vega.min.js'),
    'vega-lite.min.js': join(dir('vega-lite'), 'vega-lite.min.js'),
    'vega-embed.min.js': join(dir('vega-embed'), 'vega-embed.min.js'),
  };
}

export function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', head = false): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

/** Stream a file; an aborted client or a file that vanished closes the descriptor and answers what it can. */
export function sendFile(res: ServerResponse, file: string, type: string, cache: string, head: boolean): void {
  const stream = createReadStream(file);
  stream.once('open', () => {
    res.writeHead(200, { 'content-type': type, 'cache-control': cache, 'x-content-type-options': 'nosniff' });
    if (head) {
      stream.destroy();
      res.end();
      return;
    }
    pipeline(stream, res, () => {
      /* the client went away or the file did; pipeline has closed both ends */
    });
  });
  stream.once('error', () => {
    if (!res.headersSent) send(res, 404, 'not found\n');
    else res.destroy();
  });
  res.once('close', () => stream.destroy());
}

