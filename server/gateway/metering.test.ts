/** The SSE meter reads usage from raw bytes, however the stream is cut into chunks. */
import { describe, expect, it } from 'vitest';
import { SseMeter, usageFromJson } from './metering';

const frame = (event: string, data: unknown, eol = '\n') => `event: ${event}${eol}data: ${JSON.stringify(data)}${eol}${eol}`;
const stream = (eol = '\n') =>
  frame('message_start', { type: 'message_start', message: { usage: { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 5 } } }, eol) +
  frame('content_block_delta', { type: 'content_block_delta', delta: { type: 'text_delta', text: 'héllo ✓ 🎉 wörld' } }, eol) +
  `: a comment${eol}${eol}` +
  frame('message_delta', { type: 'message_delta', usage: { output_tokens: 7 } }, eol) +
  frame('message_delta', { type: 'message_delta', usage: { output_tokens: 9, cache_creation_input_tokens: 2 } }, eol) +
  frame('message_stop', { type: 'message_stop' }, eol);

const EXPECTED = { inputTokens: 12, outputTokens: 9, cacheCreationInputTokens: 2, cacheReadInputTokens: 5 };

function meter(bytes: Buffer, cuts: number[]): SseMeter {
  const m = new SseMeter();
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    m.feed(bytes.subarray(at, cut));
    at = cut;
  }
  return m;
}

describe('SseMeter', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    it(`reads message_start and the last message_delta with ${JSON.stringify(eol)} line ends, cut at every byte`, () => {
      const bytes = Buffer.from(stream(eol));
      expect(meter(bytes, []).counts).toEqual(EXPECTED);
      for (let cut = 1; cut < bytes.length; cut++) expect(meter(bytes, [cut]).counts).toEqual(EXPECTED);
      expect(meter(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)).counts).toEqual(EXPECTED);
    });
  }

  it('takes data sent before the event line, multi-line data, and notes error events', () => {
    const m = new SseMeter();
    m.feed(Buffer.from('data: {"type":"message_delta",\ndata: "usage":{"output_tokens":4}}\nevent: message_delta\n\n'));
    m.feed(Buffer.from('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"x"}}\n\n'));
    expect(m.counts.outputTokens).toBe(4);
    expect(m.sawError).toBe(true);
    const blank = new SseMeter();
    blank.feed(Buffer.from('event:\ndata: {"usage":{"output_tokens":500}}\nevent: message_delta\n\n'));
    expect(blank.counts.outputTokens).toBe(500);
  });

  it('ignores malformed usage values and non-JSON data', () => {
    const m = new SseMeter();
    m.feed(Buffer.from('event: message_start\ndata: not json\n\nevent: message_delta\ndata: {"usage":{"output_tokens":-1,"input_tokens":1.5}}\n\n'));
    expect(m.counts).toEqual({ inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 });
  });

  it('tornEventEnding: turns the event under way into a ping, whatever the line ends and wherever the stream stops', () => {
    const ending = (text: string) => {
      const m = new SseMeter();
      m.feed(Buffer.from(text));
      return m.tornEventEnding;
    };
    const PING = 'event: ping\n\n';
    expect(['', 'event: a\ndata: 1\n\n', 'event: a\r\r', 'event: a\r\n\r\n'].map(ending)).toEqual(['', '', '', '']);
    expect(['event: a\ndata: 1\n', 'event: a\r\n', 'event: a\r', ': a comment\n'].map(ending)).toEqual([PING, PING, PING, PING]);
    expect(ending('event: a\ndata: {"ty')).toBe(`\n${PING}`);

    // Cut anywhere, then the ending and an error event of our own, read by a spec parser the way
    // the SDK reads it: pings skipped, every other event's data parsed as JSON. Ours comes last.
    const events = (text: string) => {
      const out: { name: string; data: string }[] = [];
      let name = '';
      let data: string[] = [];
      for (const line of text.split(/\r\n|\r|\n/)) {
        if (line === '') {
          if (data.length > 0) out.push({ name: name || 'message', data: data.join('\n') });
          name = '';
          data = [];
        } else if (line.startsWith('event:')) name = line.slice(6).trimStart();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return out;
    };
    const ours = 'event: error\ndata: {"type":"error"}\n\n';
    for (const eol of ['\n', '\r\n', '\r']) {
      const bytes = stream(eol);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const m = new SseMeter();
        m.feed(Buffer.from(bytes.slice(0, cut)));
        const read = events(bytes.slice(0, cut) + m.tornEventEnding + ours).filter((e) => e.name !== 'ping');
        const where = `${JSON.stringify(eol)} cut at ${cut}`;
        expect(read.at(-1), where).toEqual({ name: 'error', data: '{"type":"error"}' });
        for (const event of read) expect(() => JSON.parse(event.data), where).not.toThrow();
      }
    }
  });

  it('usageFromJson reads a whole answer once', () => {
    expect(usageFromJson(Buffer.from('{"usage":{"input_tokens":3,"output_tokens":4}}')).outputTokens).toBe(4);
    expect(usageFromJson(Buffer.from('oops')).inputTokens).toBe(0);
  });
});
