/** PushBody: the Readable-free body of a streamed upstream answer (see upstreams/types.ts). */
import { describe, expect, it, vi } from 'vitest';
import { PushBody, type ChunkSink } from './upstreams/types';

function control() {
  return { pause: vi.fn(), resume: vi.fn(), abort: vi.fn() };
}
function sink(): ChunkSink & { got: string[] } {
  const got: string[] = [];
  return { got, data: (c) => got.push(c.toString()), end: () => got.push('<end>'), error: (e) => got.push(`<error ${(e as Error).message}>`) };
}

describe('PushBody', () => {
  it('queues chunks pushed before the relay attaches, then delivers the rest as they come, in order', () => {
    const body = new PushBody(control());
    body.push(Buffer.from('a'));
    body.push(Buffer.from('b'));
    const s = sink();
    body.start(s);
    body.push(Buffer.from('c'));
    body.finish();
    body.push(Buffer.from('late')); // after the end: ignored
    expect(s.got).toEqual(['a', 'b', 'c', '<end>']);
  });

  it('reports an end or a failure that came before the relay attached', () => {
    const ended = new PushBody(control());
    ended.push(Buffer.from('x'));
    ended.finish();
    const s1 = sink();
    ended.start(s1);
    expect(s1.got).toEqual(['x', '<end>']);

    const failed = new PushBody(control());
    failed.push(Buffer.from('y'));
    failed.fail(new Error('reset'));
    const s2 = sink();
    failed.start(s2);
    expect(s2.got).toEqual(['y', '<error reset>']);
  });

  it('passes pause/resume to the connection while open, resuming only once the call stack has unwound; destroy aborts once and only while open', async () => {
    const c = control();
    const body = new PushBody(c);
    body.start(sink());
    body.resume(); // not paused: nothing to do
    body.pause();
    body.resume();
    expect(c.pause).toHaveBeenCalledTimes(1);
    // Not from inside the caller's stack (which may be another upstream parser's callback).
    expect(c.resume).toHaveBeenCalledTimes(0);
    await Promise.resolve();
    expect(c.resume).toHaveBeenCalledTimes(1);
    // Paused again before the deferred resume ran: it stays paused.
    body.pause();
    body.resume();
    body.pause();
    await Promise.resolve();
    expect(c.pause).toHaveBeenCalledTimes(3);
    expect(c.resume).toHaveBeenCalledTimes(1);
    body.resume();
    body.destroy();
    body.destroy();
    body.pause();
    await Promise.resolve();
    expect(c.abort).toHaveBeenCalledTimes(1);
    // Neither the pause after destroy nor the resume pending at destroy reached the connection.
    expect(c.pause).toHaveBeenCalledTimes(3);
    expect(c.resume).toHaveBeenCalledTimes(1);

    const done = control();
    const finished = new PushBody(done);
    finished.finish();
    finished.destroy(); // a finished transfer has nothing to abort
    expect(done.abort).not.toHaveBeenCalled();
  });
});
