/** Display formatting in the window's language (navigator.language). */

function locale(): string {
  return typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US';
}

function toDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "1,000,000 tokens", or "Unlimited" for null. */
export function formatTokenLimit(limit: number | null): string {
  if (limit === null) return 'Unlimited';
  return `${new Intl.NumberFormat(locale()).format(limit)} ${limit === 1 ? 'token' : 'tokens'}`;
}

/** "Mar 3, 2026". */
export function formatDate(iso: string): string {
  const date = toDate(iso);
  return date ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(date) : iso;
}

/** "Mar 3, 2026, 2:05 PM". */
export function formatDateTime(iso: string): string {
  const date = toDate(iso);
  return date ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date) : iso;
}

export function isPast(iso: string | null, now: Date = new Date()): boolean {
  if (!iso) return false;
  const date = toDate(iso);
  return date !== null && date.getTime() <= now.getTime();
}
