import { describe, expect, it } from 'vitest';
import { gracefulStop } from './graceful-stop';

/** A stopper whose close() stays pending until the test releases it, recording what it said and did. */
function harness() {
  const said: string[] = [];
  const exits: number[] = [];
  let closes = 0;
  let releaseClose!: (error?: Error) => void;
  const stop = gracefulStop({
    close: () => {
      closes += 1;
      return new Promise<void>((resolve, reject) => (releaseClose = (error) => (error ? reject(error) : resolve())));
    },
    exitNow: (code) => exits.push(code),
    say: (line) => said.push(`out: ${line}`),
    warn: (line) => said.push(`err: ${line}`),
  });
  return { stop, said, exits, closes: () => closes, releaseClose: (error?: Error) => releaseClose(error) };
}

describe('gracefulStop', () => {
  it('a signal closes gracefully and resolves with 0', async () => {
    const h = harness();
    h.stop.onSignal('SIGTERM');
    expect(h.closes()).toBe(1);
    h.releaseClose();
    expect(await h.stop.done).toBe(0);
    expect(h.said).toEqual(['out: SIGTERM: finishing in-flight requests']);
    expect(h.exits).toEqual([]);
  });

  it('a second signal while closing exits at once with 1', () => {
    const h = harness();
    h.stop.onSignal('SIGINT');
    h.stop.onSignal('SIGINT');
    expect(h.exits).toEqual([1]);
    expect(h.said).toEqual(['out: SIGINT: finishing in-flight requests', 'err: SIGINT again: exiting immediately']);
  });

  it('the npm parent exiting during a graceful stop is not a second signal (group SIGTERM)', async () => {
    const h = harness();
    h.stop.onSignal('SIGTERM');
    h.stop.onParentExit();
    expect(h.exits).toEqual([]);
    expect(h.closes()).toBe(1);
    h.releaseClose();
    expect(await h.stop.done).toBe(0);
    expect(h.said).toEqual(['out: SIGTERM: finishing in-flight requests']);
  });

  it('the npm parent exiting first starts the graceful stop; a signal after it means now', () => {
    const h = harness();
    h.stop.onParentExit();
    expect(h.closes()).toBe(1);
    expect(h.said).toEqual(['out: npm exited: finishing in-flight requests']);
    h.stop.onSignal('SIGTERM');
    expect(h.exits).toEqual([1]);
  });

  it('a failed close is reported and resolves with 1', async () => {
    const h = harness();
    h.stop.onSignal('SIGTERM');
    h.releaseClose(new Error('database is locked'));
    expect(await h.stop.done).toBe(1);
    expect(h.said).toEqual(['out: SIGTERM: finishing in-flight requests', 'err: error while closing: database is locked']);
  });
});
