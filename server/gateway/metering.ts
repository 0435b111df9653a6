/**
 * Metering from what the upstream reports, never from our own estimate:
 * - a JSON answer: its `usage`;
 * - a stream: `message_start.message.usage`, then every `message_delta.usage`, whose counts are
 *   cumulative, so for each of the four fields the last value reported wins.
 * Only message_start and message_delta events are JSON-parsed; content deltas are skipped.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { TokenCounts } from '../store/gateway-types';

export const zeroCounts = (): TokenCounts => ({ inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 });

const FIELDS: [keyof TokenCounts, string][] = [
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cacheCreationInputTokens', 'cache_creation_input_tokens'],
  ['cacheReadInputTokens', 'cache_read_input_tokens'],
];

/** Overwrites each count the usage object reports as a non-negative integer; leaves the others. */
function apply(counts: TokenCounts, usage: unknown): void {
  if (!usage || typeof usage !== 'object') return;
  const u = usage as Record<string, unknown>;
  for (const [field, wire] of FIELDS) {
    const value = u[wire];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) counts[field] = value;
  }
}

export function usageFromJson(body: Buffer): TokenCounts {
  const counts = zeroCounts();
  try {
    apply(counts, (JSON.parse(body.toString('utf8')) as { usage?: unknown }).usage);
  } catch {
    // Not JSON: nothing was reported, so nothing is metered.
  }
  return counts;
}

export class SseMeter {
  readonly counts = zeroCounts();
  /** An `event: error` went by: the stream ended in an upstream error (relayed as is). */
  sawError = false;
  private readonly decoder = new TextDecoder();
  private readonly parser = createParser({ onEvent: (event) => this.onEvent(event) });

  feed(chunk: Uint8Array): void {
    this.parser.feed(this.decoder.decode(chunk, { stream: true }));
  }

  private onEvent(event: EventSourceMessage): void {
    const name = event.event;
    if (name === 'message_start') {
      apply(this.counts, (this.parse(event.data) as { message?: { usage?: unknown } } | null)?.message?.usage);
    } else if (name === 'message_delta') {
      apply(this.counts, (this.parse(event.data) as { usage?: unknown } | null)?.usage);
    } else if (name === 'error') {
      this.sawError = true;
    }
  }

  private parse(data: string): unknown {
    try {
      return JSON.parse(data);
    } catch {
      return null;
    }
  }
}
