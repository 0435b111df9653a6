/**
 * Gives memory back once a burst of requests is over.
 *
 * Under load V8 grows its young generation to the maximum (tens of MB) and keeps every page it
 * touched; it only shrinks it in a full collection, and an idle Node process allocates nothing,
 * so it never collects: a server that handled one burst stayed at its peak RSS for good
 * (bench/gateway target (d)). So when no request has begun or been in flight (a governed
 * answer, streams included) for IDLE_MS and the resident memory has grown by MIN_GROWTH_BYTES
 * over its lowest since the last time, this runs ONE full collection, compacting every page —
 * while idle, so it never delays an answer, and a quiet server that serves the odd request is
 * left alone.
 *
 * Growth is measured on the RSS, not on V8's heap size: the server runs with a heap growing
 * factor of 1.6 (package.json, for fewer full collections under load), so at the end of a burst
 * the heap's size says little about how much garbage it holds, while the RSS is what a user sees
 * and what a collection is for.
 *
 * The collector is V8's own `gc` function, reached by enabling --expose-gc for a moment and
 * taking it from a fresh vm context (the flag only affects contexts created while it is set);
 * no command-line flag is needed, which matters for the desktop app's embedded server.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const IDLE_MS = 3_000;
const CHECK_MS = 1_000;
/** Below this growth of the RSS there is too little to give back to be worth a full collection. */
export const MIN_GROWTH_BYTES = 8 * 2 ** 20;

function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  let gc: () => void;
  try {
    gc = runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  // A full collection frees only the pages left empty; after a burst most old-space pages hold a
  // few live objects each, so without compacting them all the RSS hardly comes down.
  return () => {
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  };
}

export interface IdleMemory {
  /** Call on every request. */
  noteActivity(): void;
  stop(): void;
  /** Collections run so far (for tests). */
  readonly collections: number;
}

const residentBytes = () => process.memoryUsage.rss();

export interface IdleMemoryOptions {
  now?: () => number;
  idleMs?: number;
  checkMs?: number;
  minGrowth?: number;
  /** The process's resident memory in bytes. */
  resident?: () => number;
  /** Whether answers are still being written (a stream outlives the request that began it). */
  busy?: () => boolean;
}

export function startIdleMemory({
  now = Date.now,
  idleMs = IDLE_MS,
  checkMs = CHECK_MS,
  minGrowth = MIN_GROWTH_BYTES,
  resident = residentBytes,
  busy = () => false,
}: IdleMemoryOptions = {}): IdleMemory {
  const collect = fullCollection();
  let baseline = resident();
  let activity = 0;
  let seen = 0;
  let lastActiveAt = now();
  let pending = false;
  let collections = 0;
  const timer = setInterval(() => {
    // Growth is counted from the lowest RSS since the last collection: right after one, the
    // pages it freed are still mapped (V8 gives them back over the next moments), and a baseline
    // taken then would make the next burst outgrow memory already given back before it counted.
    baseline = Math.min(baseline, resident());
    if (activity !== seen || busy()) {
      seen = activity;
      lastActiveAt = now();
      pending = true;
    } else if (pending && now() - lastActiveAt >= idleMs) {
      pending = false;
      // Math.max: a reading a page below the one just taken is no growth, even with minGrowth 0.
      if (Math.max(0, resident() - baseline) < minGrowth) return;
      collections += 1;
      collect();
      baseline = resident();
    }
  }, checkMs);
  // Never keeps the process alive on its own.
  timer.unref();
  return {
    noteActivity() {
      activity += 1;
    },
    stop() {
      clearInterval(timer);
    },
    get collections() {
      return collections;
    },
  };
}
