/**
 * Usage periods: calendar months in UTC, whatever the process's TZ. Plain Date.UTC arithmetic:
 * every getter used here is a getUTC* one.
 */
import type { Period } from '../store/gateway-types';

const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function periodOf(at: Date): Period {
  return `${String(at.getUTCFullYear()).padStart(4, '0')}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** First instant of the period and first instant of the next one (exclusive end). */
export function periodBounds(period: Period): { start: Date; end: Date } {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) throw new Error(`not a period: ${period}`);
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  return { start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) };
}

export function isPeriod(value: string): boolean {
  return PERIOD_PATTERN.test(value);
}

/** Whole seconds (rounded up) from `now` until the next period starts: the monthly limit's retry-after. */
export function secondsToNextPeriod(now: Date): number {
  const { end } = periodBounds(periodOf(now));
  return Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
}
