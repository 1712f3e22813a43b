/**
 * Stopping long work on SIGINT/SIGTERM: the first signal asks the loop to stop after the current
 * step (it checkpoints and reports 'stopped'); a second one exits at once. Used by every command
 * that trains (train, resume, demo).
 */
export function stopOnSignals(say: (line: string) => void = (l) => process.stderr.write(l)): () => boolean {
  let stop = false;
  const on = (signal: NodeJS.Signals) => {
    if (stop) process.exit(signal === 'SIGTERM' ? 143 : 130);
    stop = true;
    say('\nstopping after this step (press again to quit now)\n');
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return () => stop;
}
