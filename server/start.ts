/**
 * Starts a Partners API server: the one entry point shared by the CLI, the desktop app's
 * embedded "This computer" server, and the tests.
 */
import { join } from 'node:path';
import { ADMIN_KEY_PATTERN } from '../shared/api';
import { BAD_ADMIN_KEY_MESSAGE, bootstrapAdminKey } from './admin-bootstrap';
import { dataDirProblem, ensureWritableDir } from './data-dir';
import { DEFAULT_REQUESTS_PER_MINUTE, type GatewayConfig } from './gateway/config';
import { InFlight } from './gateway/inflight';
import { createUpstream } from './gateway/upstreams';
import type { Upstream } from './gateway/upstreams/types';
import { startIdleMemory } from './idle-memory';
import { REQUEST_THREAD_SLICE_NS, shortenRequestThreadSlice, type SliceResult } from './request-thread-slice';
import { buildApp } from './http/app';
import type { AppDeps } from './http/context';
import { NO_LOG, logLine } from './http/request-log';
import { openSqliteStore } from './store/sqlite';
import type { Store } from './store/types';

export interface StartServerOptions {
  dataDir: string; // created if missing; database at <dataDir>/partners.db
  port: number; // 0 = any free port
  host?: string; // default '127.0.0.1'
  upstream?: 'sandbox' | 'anthropic'; // where /v1/messages goes; default 'sandbox' (offline, deterministic)
  upstreamUrl?: string; // base URL of the anthropic upstream; default https://api.anthropic.com
  upstreamApiKey?: string; // the owner's key for the anthropic upstream (required with it); never logged or echoed
  /**
   * Default true. false exists only to measure what governance costs (benchmarks; not a CLI flag):
   * keys are still authenticated, but token reservations, the rate limiter, metering and history are skipped.
   */
  governance?: boolean;
  defaultRequestsPerMinute?: number; // for partners whose requests_per_minute is null; default 60
  adminKey?: string; // if given: must match ADMIN_KEY_PATTERN; its hash is registered (idempotent)
  sqliteNativeBinding?: string; // passed to better-sqlite3's `nativeBinding` option (Electron ABI build)
  clock?: () => Date;
  log?: (line: string) => void; // one structured line per request/event; default: nothing
  requestTimeoutMs?: number; // how long a request may take to arrive whole; default REQUEST_TIMEOUT_MS (tests shorten it)
  /**
   * The process runs this server and nothing else (the CLI): its main thread gets a short
   * scheduler slice (request-thread-slice.ts). Default false: the desktop app's embedded server
   * shares Electron's main thread.
   */
  ownsProcess?: boolean;
}

export interface RunningServer {
  url: string; // http://127.0.0.1:PORT
  port: number;
  generatedAdminKey: string | null; // set only on the first start when no admin key existed and none was given
  close(): Promise<void>; // finishes in-flight requests, closes the DB cleanly
}

/** Why a start failed, so a CLI can say it plainly without parsing messages. */
export class StartServerError extends Error {
  constructor(
    readonly code: 'data_dir' | 'port_in_use' | 'admin_key' | 'listen' | 'upstream',
    message: string,
  ) {
    super(message);
    this.name = 'StartServerError';
  }
}

function openStore(options: StartServerOptions, deps: Pick<AppDeps, 'clock' | 'log'>): Store {
  try {
    ensureWritableDir(options.dataDir);
    return openSqliteStore({
      file: join(options.dataDir, 'partners.db'),
      owner: true,
      onWriteError: (error) => logLine(deps, { event: 'error', error: `a queued store write failed: ${(error as Error).message}` }),
      onWritesRecovered: (message) => logLine(deps, { event: 'recovered', message }),
      onWriteNotice: (message) => logLine(deps, { event: 'notice', message }),
      ...(options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {}),
    });
  } catch (error) {
    throw new StartServerError('data_dir', `cannot use data dir ${options.dataDir}: ${dataDirProblem(error)}`);
  }
}

function openUpstream(options: StartServerOptions): Upstream {
  const kind = options.upstream ?? 'sandbox';
  if (kind === 'anthropic' && !options.upstreamApiKey) {
    throw new StartServerError('upstream', 'the anthropic upstream needs the owner\'s API key: set ANTHROPIC_API_KEY');
  }
  try {
    return createUpstream({
      kind,
      ...(options.upstreamUrl ? { url: options.upstreamUrl } : {}),
      ...(options.upstreamApiKey ? { apiKey: options.upstreamApiKey } : {}),
    });
  } catch (error) {
    throw new StartServerError('upstream', `cannot use the upstream: ${(error as Error).message}`);
  }
}

function sliceLogFields(result: SliceResult): Record<string, unknown> {
  return result.set
    ? { event: 'scheduler', requestThreadSliceMs: REQUEST_THREAD_SLICE_NS / 1e6 }
    : { event: 'scheduler', requestThreadSlice: 'default', reason: result.reason };
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? (() => new Date());
  const deps = { clock, log: options.log ?? NO_LOG };
  const upstream = openUpstream(options);
  const store = openStore(options, deps);
  // Nothing can be in flight before we listen: any reservation left is from a crash.
  await store.gateway.releaseAllReservations();
  const gateway: GatewayConfig = {
    upstream,
    governance: options.governance ?? true,
    defaultRequestsPerMinute: options.defaultRequestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
    inflight: new InFlight(),
  };
  const app = buildApp({ ...deps, store, gateway }, options.requestTimeoutMs);
  // Streams still being answered are not idleness, however long since the last request began.
  const idleMemory = startIdleMemory({ busy: () => gateway.inflight.size > 0 });
  app.server.on('request', idleMemory.noteActivity);
  let generatedAdminKey: string | null;
  let port: number;
  try {
    // A malformed operator key is refused before anything else, but the first-start key is
    // minted only once the port is ours: a start that fails to listen must not leave behind
    // a key that was never printed (the next start would print none).
    if (options.adminKey !== undefined && !ADMIN_KEY_PATTERN.test(options.adminKey)) {
      throw new StartServerError('admin_key', BAD_ADMIN_KEY_MESSAGE);
    }
    try {
      await app.listen({ port: options.port, host });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new StartServerError('port_in_use', `port ${options.port} on ${host} is already in use`);
      throw new StartServerError('listen', `cannot listen on ${host}:${options.port}: ${code ?? (error as Error).message}`);
    }
    try {
      generatedAdminKey = await bootstrapAdminKey(store, clock(), options.adminKey);
    } catch (error) {
      throw new StartServerError('admin_key', (error as Error).message);
    }
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : options.port;
  } catch (error) {
    idleMemory.stop();
    await app.close().catch(() => {});
    await upstream.close();
    await store.close();
    throw error;
  }

  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  logLine(deps, { event: 'listening', url, upstream: upstream.kind, governance: gateway.governance });
  // Once started (a start that fails says nothing of it), and not awaited: a slow or missing perl
  // must never hold up the start, nor the printing of a first admin key.
  const stopSlicing = new AbortController(); // a perl still running when the server stops is stopped with it
  if (options.ownsProcess) void shortenRequestThreadSlice({ signal: stopSlicing.signal }).then((result) => logLine(deps, sliceLogFields(result)));

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    generatedAdminKey,
    close() {
      // Idempotent: SIGTERM and a test's afterEach may both ask.
      closing ??= (async () => {
        // Stops accepting and waits for in-flight requests. A keep-alive connection whose request
        // ends after close() began would otherwise stay open (Node closes idle ones only once), so
        // keep sweeping idle connections until every request has finished.
        idleMemory.stop();
        stopSlicing.abort();
        const sweep = setInterval(() => app.server.closeIdleConnections(), 25);
        await app.close().finally(() => clearInterval(sweep));
        // Answers whose client left may still be settling their usage: record it before closing the DB.
        await gateway.inflight.drain();
        await upstream.close();
        await store.close();
        logLine(deps, { event: 'closed' });
      })();
      return closing;
    },
  };
}
