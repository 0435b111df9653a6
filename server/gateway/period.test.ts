/** Periods are UTC calendar months whatever the process's time zone. */
import { afterEach, describe, expect, it } from 'vitest';
import { isPeriod, periodBounds, periodOf, secondsToNextPeriod } from './period';

const savedTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = savedTz;
});

describe('periods', () => {
  it.each(['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles'])('are UTC months under TZ=%s', (tz) => {
    process.env.TZ = tz;
    expect(periodOf(new Date('2026-06-30T23:59:59.999Z'))).toBe('2026-06');
    expect(periodOf(new Date('2026-07-01T00:00:00.000Z'))).toBe('2026-07');
    expect(periodBounds('2026-12')).toEqual({ start: new Date('2026-12-01T00:00:00.000Z'), end: new Date('2027-01-01T00:00:00.000Z') });
    expect(periodBounds('2028-02').end).toEqual(new Date('2028-03-01T00:00:00.000Z'));
    expect(secondsToNextPeriod(new Date('2026-12-31T23:59:58.001Z'))).toBe(2);
  });

  it('validates YYYY-MM', () => {
    expect(['2026-01', '2026-12'].every(isPeriod)).toBe(true);
    expect(['2026-00', '2026-13', '2026-1', '26-01'].some(isPeriod)).toBe(false);
  });
});
