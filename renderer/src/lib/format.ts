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

const SPACES = [' ', '\u00a0', '\u202f', '\u2009'];

function separatorsOf(lang: string): { group: string; decimal: string } {
  const parts = new Intl.NumberFormat(lang).formatToParts(1234567.5);
  return {
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A whole number as the user typed it: digits, optionally grouped in threes by the locale's
 * thousands separator, a comma (unless the locale writes decimals with one) or a space.
 * "2,000,000", "2 000 000" and "2000000" give 2000000. Anything else (decimals, signs,
 * exponents, letters, uneven groups) gives null: the caller says so instead of guessing.
 */
export function parseWholeNumber(text: string, lang: string = locale()): number | null {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const { group, decimal } = separatorsOf(lang);
  const separators = new Set([...SPACES, group]);
  if (group === '\u2019') separators.add("'"); // Swiss: typed as a plain apostrophe
  if (decimal !== ',') separators.add(',');
  separators.delete(decimal);
  for (const sep of separators) {
    const grouped = new RegExp(`^\\d{1,3}(?:${escapeRegExp(sep)}\\d{3})+$`);
    if (grouped.test(value)) return Number(value.split(sep).join(''));
  }
  return null;
}
