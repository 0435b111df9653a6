/**
 * The end of every keyset-paginated list: the query fetched `page.limit + 1` rows (one extra
 * tells whether more exist, without a COUNT), handed over newest first. The surplus row is the
 * one farthest from the cursor: the newest when paging newer (before_id), else the oldest.
 */
import type { PageRequest, PageResult } from '../types';

export const rowsToFetch = (page: PageRequest): number => page.limit + 1;

export function keysetPage<Row, T>(newestFirst: Row[], page: PageRequest, toItem: (row: Row) => T): PageResult<T> {
  const hasMore = newestFirst.length > page.limit;
  let rows = newestFirst;
  if (hasMore) rows = page.beforeId !== undefined ? rows.slice(1) : rows.slice(0, page.limit);
  return { items: rows.map(toItem), hasMore };
}
