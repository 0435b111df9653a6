/** What the HTTP layer needs to run the gateway: built once by startServer. */
import type { InFlight } from './inflight';
import type { Upstream } from './upstreams/types';

export interface GatewayConfig {
  upstream: Upstream;
  /**
   * false = benchmark baseline only (not a CLI flag): authenticate and forward, but skip token
   * reservations, the rate limiter, metering and history, to measure what governance costs.
   */
  governance: boolean;
  /** requests_per_minute for partners whose own is null. */
  defaultRequestsPerMinute: number;
  inflight: InFlight;
}

export const DEFAULT_REQUESTS_PER_MINUTE = 60;
export const RATE_WINDOW_MS = 60_000;
export const MESSAGES_BODY_LIMIT = 32 * 1024 * 1024;
