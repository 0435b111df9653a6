/**
 * How the CLI server stops. The first stop request finishes in-flight requests (and so records
 * their usage) before closing; a second *signal* means "now". Losing the npm parent is a stop
 * request too, but never a second one: a process manager that signals the whole process group
 * delivers SIGTERM to us and kills our parent shell at once, and that is one request to stop.
 */
export interface GracefulStopDeps {
  close: () => Promise<void>;
  exitNow: (code: number) => void;
  say: (line: string) => void; // stdout: part of the interface scripts read
  warn: (line: string) => void; // stderr
}

export interface GracefulStop {
  /** Resolves once the server is closed; the exit code to use. */
  done: Promise<number>;
  onSignal: (signal: NodeJS.Signals) => void;
  onParentExit: () => void;
}

export function gracefulStop(deps: GracefulStopDeps): GracefulStop {
  let stopping = false;
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const begin = (reason: string) => {
    stopping = true;
    deps.say(`${reason}: finishing in-flight requests`);
    deps.close().then(
      () => finish(0),
      (error: Error) => {
        deps.warn(`error while closing: ${error.message}`);
        finish(1);
      },
    );
  };
  return {
    done,
    onSignal: (signal) => {
      if (!stopping) return begin(signal);
      deps.warn(`${signal} again: exiting immediately`);
      deps.exitNow(1);
    },
    onParentExit: () => {
      if (!stopping) begin('npm exited');
    },
  };
}
