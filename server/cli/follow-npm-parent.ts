/**
 * `npm run server` starts us through a shell (`sh -c …`). When npm is told to stop (SIGTERM to
 * npm, as a process manager does), npm signals that shell, and the shell dies without passing
 * the signal on: we would be orphaned and keep serving. So, only when npm launched us, treat
 * the loss of our parent as the stop signal it was meant to be. Run directly (`node …`), the
 * server keeps the ordinary behaviour: it stops on SIGTERM/SIGINT only.
 */
export function stopWhenNpmParentExits(stop: () => void, intervalMs = 500): void {
  if (!process.env['npm_lifecycle_event']) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop();
    }
  }, intervalMs);
  timer.unref();
}
