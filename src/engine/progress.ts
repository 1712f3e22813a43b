/** Progress on stderr: a redrawn bar with ETA on a TTY, plain lines otherwise (logs, CI). */
interface ProgressInfo {
  step: number;
  total: number;
  loss: number;
  perf?: number;
  elapsedS: number;
  startStep: number;
}

export type ProgressSink = (info: ProgressInfo, final?: boolean) => void;

export function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = Boolean(stream.isTTY);
  let lastPlain = 0;
  return (p, final = false) => {
    const done = p.step - p.startStep;
    const rate = done > 0 ? p.elapsedS / done : NaN;
    const eta = rate * (p.total - p.step);
    const perf = p.perf === undefined ? '' : ` perf ${p.perf.toFixed(3)}`;
    const text = `step ${p.step}/${p.total} loss ${p.loss.toPrecision(4)}${perf} elapsed ${fmtTime(p.elapsedS)} eta ${fmtTime(eta)}`;
    if (tty) {
      const width = 24;
      const filled = Math.round((width * p.step) / p.total);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K${final ? '\n' : ''}`);
    } else if (final || p.elapsedS - lastPlain >= 5 || p.perf !== undefined) {
      lastPlain = p.elapsedS;
      stream.write(text + '\n');
    }
  };
}
