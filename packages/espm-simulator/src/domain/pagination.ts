// ESPM pages its lists by a 1-based ?page=N and says "next page" while more remain.
import { SimError } from '../errors.ts';

export interface Page<T> {
  items: T[];
  nextPage?: number;
}

export function pageNumber(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new SimError(400, `page must be a positive whole number, not "${value}".`);
  }
  return Number(value);
}

export function paginate<T>(items: T[], page: number, size: number): Page<T> {
  const start = (page - 1) * size;
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, nextPage: page + 1 } : { items: slice };
}
