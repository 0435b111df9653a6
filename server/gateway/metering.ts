/**
 * Metering from what the upstream reports, never from our own estimate:
 * - a JSON answer: its `usage`;
 * - a stream: `message_start.message.usage`, then every `message_delta.usage`, whose counts are
 *   cumulative, so for each of the four fields the last value reported wins.
 * Only message_start and message_delta events are decoded and JSON-parsed; content deltas are skipped.
 */
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

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const EVENT = Buffer.from('event:');
const DATA = Buffer.from('data:');

/** Whether bytes start..end of buf equal `bytes`. */
function equalsAt(buf: Buffer, start: number, end: number, bytes: Buffer): boolean {
  if (end - start !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) return false;
  return true;
}

/** Whether `line` (bytes start..end of buf) begins with `prefix`. */
function startsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  return end - start >= prefix.length && equalsAt(buf, start, start + prefix.length, prefix);
}

/** The event names whose events the meter reads; every other name is OTHER. */
type EventName = '' | 'message_start' | 'message_delta' | 'error' | 'other';
const NAMED: ['message_start' | 'message_delta' | 'error', Buffer][] = [
  ['message_start', Buffer.from('message_start')],
  ['message_delta', Buffer.from('message_delta')],
  ['error', Buffer.from('error')],
];

/**
 * The name of an `event:` line's value (bytes start..end), compared as bytes: nearly every event
 * is a content delta, and decoding its name to a string per event cost more than the rest of
 * the meter. Surrounding spaces and tabs are ignored.
 */
function eventName(buf: Buffer, start: number, end: number): EventName {
  while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
  while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
  // An empty name is the default one: the event may still turn out to be ours (a later event: line wins).
  if (start === end) return '';
  for (const [name, bytes] of NAMED) if (equalsAt(buf, start, end, bytes)) return name;
  return 'other';
}

/**
 * Reads the SSE wire format (lines ending in LF, CRLF or CR; an empty line ends an event) on the
 * raw bytes, without decoding the stream to text: only the data of message_start /
 * message_delta (a few per answer) is ever turned into a string, so the content deltas — nearly
 * every byte — are only scanned for line ends and compared by name.
 */
export class SseMeter {
  readonly counts = zeroCounts();
  /** An `event: error` went by: the stream ended in an upstream error (relayed as is). */
  sawError = false;
  /** Bytes of a line not yet ended, from earlier chunks. */
  private carry: Buffer | null = null;
  /** The previous chunk ended in CR: an LF starting this one belongs to it. */
  private afterCr = false;
  /** The current event's name ('' until its `event:` line; the default name is "message"). */
  private name: EventName = '';
  /** The current event's data lines, kept unless its name says it cannot carry usage. */
  private data: string[] = [];
  /** A line of the current event has ended, and no blank line since. */
  private inEvent = false;

  /**
   * What turns the event under way, if the stream stops here, into a `ping` ('' between events).
   * A relay appending an error event of its own to a broken stream sends this first: otherwise
   * its event would be read as the rest of the upstream's half-sent line, and a torn event keeps
   * its name (content_block_delta…) and half its JSON, which SDKs parse and fail on. SSE lets a
   * later `event:` line rename the event, and clients skip pings, so the error event is what
   * they see. After a CR no LF is needed: the next line starts with anything but an LF.
   */
  get tornEventEnding(): string {
    if (this.carry !== null) return '\nevent: ping\n\n';
    return this.inEvent ? 'event: ping\n\n' : '';
  }

  feed(chunk: Uint8Array): void {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (buf[0] === LF) at = 1;
    }
    if (this.carry !== null) {
      buf = Buffer.concat([this.carry, buf.subarray(at)]);
      at = 0;
      this.carry = null;
    }
    const hasCr = buf.indexOf(CR, at) !== -1;
    while (at < buf.length) {
      let end = buf.indexOf(LF, at);
      if (hasCr) {
        const cr = buf.indexOf(CR, at);
        if (cr !== -1 && (end === -1 || cr < end)) end = cr;
      }
      if (end === -1) {
        this.carry = Buffer.from(buf.subarray(at)); // a copy: the chunk's memory may be reused
        return;
      }
      this.line(buf, at, end);
      if (buf[end] === CR) {
        if (end + 1 === buf.length) this.afterCr = true;
        else if (buf[end + 1] === LF) end += 1;
      }
      at = end + 1;
    }
  }

  private line(buf: Buffer, start: number, end: number): void {
    if (start === end) {
      this.inEvent = false;
      this.dispatch();
      return;
    }
    this.inEvent = true;
    if (startsWith(buf, start, end, EVENT)) {
      this.name = eventName(buf, start + EVENT.length, end);
      if (!this.mayCarryUsage()) this.data.length = 0;
    } else if (startsWith(buf, start, end, DATA) && this.mayCarryUsage()) {
      let from = start + DATA.length;
      if (buf[from] === SPACE) from += 1;
      this.data.push(buf.toString('utf8', from, end));
    }
    // Comments (":…"), id: and retry: lines carry nothing we meter.
  }

  /** Until the event: line is seen, any event might be one we need. */
  private mayCarryUsage(): boolean {
    return this.name === '' || this.name === 'message_start' || this.name === 'message_delta';
  }

  private dispatch(): void {
    const { name } = this;
    if (name === 'error') {
      this.sawError = true;
    } else if (this.data.length > 0 && (name === 'message_start' || name === 'message_delta')) {
      const parsed = this.parse(this.data.join('\n'));
      if (name === 'message_start') apply(this.counts, (parsed as { message?: { usage?: unknown } } | null)?.message?.usage);
      else apply(this.counts, (parsed as { usage?: unknown } | null)?.usage);
    }
    this.name = '';
    if (this.data.length > 0) this.data = [];
  }

  private parse(data: string): unknown {
    try {
      return JSON.parse(data);
    } catch {
      return null;
    }
  }
}
