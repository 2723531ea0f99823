/** Cleanups to run if the process is interrupted, newest first. */
const cleanups = new Set<() => Promise<void>>();
/** Synchronous last steps, run after every cleanup and right before exit, when nothing else can interleave. */
const finals = new Set<() => void>();
let hooked = false;
let interrupted = false;

const exitCodes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Registers work that must happen if the process is stopped by Ctrl-C, SIGTERM or SIGHUP (close
 * Chromium, remove a staging folder, release a lock). Returns a function that unregisters it, for
 * the normal path.
 * Note: on a signal every registered cleanup runs once, then the process exits with 128 + signal.
 * @param cleanup async work that must not throw
 * @param finalSync optional synchronous work run after all cleanups, immediately before exit
 */
export function onInterrupt(cleanup: () => Promise<void>, finalSync?: () => void): () => void {
  cleanups.add(cleanup);
  if (finalSync) finals.add(finalSync);
  hook();
  return () => {
    cleanups.delete(cleanup);
    if (finalSync) finals.delete(finalSync);
    // With nothing left to clean up, signals get their default behaviour back.
    if (cleanups.size === 0 && !interrupted) unhook();
  };
}

const handlers = new Map<NodeJS.Signals, () => void>();

function unhook(): void {
  for (const [signal, handler] of handlers) process.off(signal, handler);
  handlers.clear();
  hooked = false;
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  for (const signal of Object.keys(exitCodes) as NodeJS.Signals[]) {
    const handler = (): void => {
      if (interrupted) return;
      interrupted = true;
      process.stderr.write(`\ncoursebook: ${signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`}; cleaning up…\n`);
      const pending = [...cleanups].reverse();
      cleanups.clear();
      void Promise.allSettled(pending.map((cleanup) => cleanup())).then(() => {
        for (const last of finals) {
          try {
            last();
          } catch {
            // Exiting anyway; a failed last step must not keep the process alive.
          }
        }
        process.exit(exitCodes[signal]);
      });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
}
