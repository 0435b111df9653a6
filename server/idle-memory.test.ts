/** startIdleMemory: one full collection once requests have stopped for a while, none otherwise. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startIdleMemory } from './idle-memory';

afterEach(() => {
  vi.useRealTimers();
});

describe('startIdleMemory', () => {
  it('collects once after activity stops for the idle time, and not again until new activity', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 0;
    const idle = startIdleMemory({ now: () => now, idleMs: 5_000, checkMs: 1_000, minGrowth: 0 });
    const tick = (ms: number) => {
      for (let t = 0; t < ms; t += 1_000) {
        now += 1_000;
        vi.advanceTimersByTime(1_000);
      }
    };
    tick(10_000);
    expect(idle.collections).toBe(0); // never busy: nothing to give back
    idle.noteActivity();
    tick(1_000); // the check sees the activity
    idle.noteActivity();
    tick(5_000);
    expect(idle.collections).toBe(0); // the last activity was seen 4 s ago: not yet
    tick(1_000);
    expect(idle.collections).toBe(1);
    tick(30_000);
    expect(idle.collections).toBe(1);
    idle.noteActivity();
    tick(6_000);
    expect(idle.collections).toBe(2);
    idle.stop();
    idle.noteActivity();
    tick(10_000);
    expect(idle.collections).toBe(2);
  });

  it('measures the next burst from the RSS the collection left, once its pages are given back', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const MB = 2 ** 20;
    let now = 0;
    let rss = 100 * MB;
    const idle = startIdleMemory({ now: () => now, idleMs: 2_000, checkMs: 1_000, minGrowth: 8 * MB, resident: () => rss });
    const tick = () => {
      now += 1_000;
      vi.advanceTimersByTime(1_000);
    };
    idle.noteActivity();
    rss = 130 * MB; // a burst
    tick();
    tick();
    tick();
    expect(idle.collections).toBe(1);
    rss = 128 * MB; // right after the collection: the freed pages are still mapped
    tick();
    rss = 112 * MB; // a moment later they are gone
    tick();
    idle.noteActivity();
    rss = 121 * MB; // the next burst grows it by 9 MB: under 128, but over what was left
    for (let i = 0; i < 4; i++) tick();
    expect(idle.collections).toBe(2);
    idle.noteActivity();
    rss = 115 * MB; // 3 MB: the odd request is left alone
    for (let i = 0; i < 4; i++) tick();
    expect(idle.collections).toBe(2);
    idle.stop();
  });

  it('waits while answers are still in flight, however long since the last request began', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 0;
    let streaming = true;
    const idle = startIdleMemory({ now: () => now, idleMs: 3_000, checkMs: 1_000, minGrowth: 0, busy: () => streaming });
    const tick = () => {
      now += 1_000;
      vi.advanceTimersByTime(1_000);
    };
    idle.noteActivity(); // one request, answered by a long stream
    for (let i = 0; i < 10; i++) tick();
    expect(idle.collections).toBe(0);
    streaming = false; // the stream ended
    tick();
    tick();
    expect(idle.collections).toBe(0); // idle for 2 s only
    tick();
    tick();
    expect(idle.collections).toBe(1);
    idle.stop();
  });

  it('leaves a heap that has hardly grown alone', async () => {
    const idle = startIdleMemory({ idleMs: 0, checkMs: 10, minGrowth: 512 * 2 ** 20 });
    idle.noteActivity();
    await new Promise((r) => setTimeout(r, 100));
    idle.stop();
    expect(idle.collections).toBe(0);
  });

  it('really shrinks the heap after a burst of allocation', async () => {
    const idle = startIdleMemory({ idleMs: 0, checkMs: 10, minGrowth: 16 * 2 ** 20 });
    let keep: { s: string }[] = [];
    for (let i = 0; i < 600_000; i++) keep.push({ s: `item ${i}` });
    const grown = process.memoryUsage().heapUsed;
    keep = [];
    idle.noteActivity();
    for (let i = 0; i < 100 && idle.collections === 0; i++) await new Promise((r) => setTimeout(r, 10));
    idle.stop();
    expect(idle.collections).toBe(1);
    expect(keep).toEqual([]);
    expect(process.memoryUsage().heapUsed).toBeLessThan(grown - 10 * 2 ** 20);
  });

  it('gives back the pages a burst left sparsely used, not only the empty ones', async () => {
    // Every 50th object survives the burst, so no old-space page is left empty: a collection
    // that does not compact frees hardly any of them.
    const burst = (): { s: string }[] => {
      const all: { s: string }[] = [];
      for (let i = 0; i < 1_000_000; i++) all.push({ s: `item ${i}` });
      return all.filter((_, i) => i % 50 === 0);
    };
    const survivors = burst();
    const grownTotal = process.memoryUsage().heapTotal;
    const idle = startIdleMemory({ idleMs: 0, checkMs: 10, minGrowth: 0 });
    idle.noteActivity();
    for (let i = 0; i < 100 && idle.collections === 0; i++) await new Promise((r) => setTimeout(r, 10));
    idle.stop();
    expect(idle.collections).toBe(1);
    expect(survivors).toHaveLength(20_000);
    expect(process.memoryUsage().heapTotal).toBeLessThan(grownTotal - 30 * 2 ** 20);
  });
});
