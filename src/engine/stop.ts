/**
 * Stopping long work on SIGINT/SIGTERM. The first signal asks the work to stop at its next safe
 * point (training: after the current step, with a checkpoint, status 'stopped'); a second one exits
 * at once, which corrupts nothing because every file is written atomically. Used by every command
 * that trains or probes, and by sweep workers.
 */
export interface StopFlag {
  /** True once a signal arrived: the loop checks it between steps. */
  readonly requested: () => boolean;
  /** The exit code the signal asks for: 130 for SIGINT, 143 for SIGTERM (128 + signal number). */
  exitCode(): number;
  /** Remove the handlers (a library caller that trains several runs in one process). */
  dispose(): void;
}

/** Let signal handlers and timers run between units of synchronous CPU work (a training step, a probe pass). */
export const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export function stopOnSignals(say: (line: string) => void = (l) => process.stderr.write(l)): StopFlag {
  let signal: NodeJS.Signals | null = null;
  const code = (s: NodeJS.Signals | null) => (s === 'SIGTERM' ? 143 : 130);
  const on = (s: NodeJS.Signals) => {
    if (signal) process.exit(code(s));
    signal = s;
    say(`\n${s}: stopping after this step (send it again to quit now)\n`);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    requested: () => signal !== null,
    exitCode: () => code(signal),
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}
