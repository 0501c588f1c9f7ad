import { badUserInput } from '@mp/kit';
import type { ProductMatch } from '../repositories/product-listing.repository.ts';

export interface ProductFilterArg {
  search?: string | null;
  categoryId?: string | null;
  sellerId?: string | null;
  minPrice?: string | null;
  maxPrice?: string | null;
  inStock?: boolean | null;
}

export const MAX_SEARCH_LENGTH = 200;
const DECIMAL = /^\d{1,13}(\.\d{1,6})?$/;

function price(value: string | null | undefined, name: 'minPrice' | 'maxPrice'): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (!DECIMAL.test(trimmed)) {
    throw badUserInput(
      `filter.${name} must be a non-negative decimal amount like "19.99", got "${value.slice(0, 64)}"`,
      `filter.${name}`,
    );
  }
  return trimmed;
}

function search(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(
      `filter.search must be at most ${MAX_SEARCH_LENGTH} characters, got ${trimmed.length}`,
      'filter.search',
    );
  }
  // A blank search is no search: it would match nothing at all.
  return trimmed.length === 0 ? null : trimmed;
}

/** Validates a buyer's filter (BAD_USER_INPUT naming the bad value) into what the listing query takes. */
export function toProductMatch(
  filter: ProductFilterArg | null | undefined,
  ownSellerId: string | null = null,
): ProductMatch {
  return {
    search: search(filter?.search),
    categoryId: filter?.categoryId ?? null,
    sellerId: filter?.sellerId ?? null,
    minPrice: price(filter?.minPrice, 'minPrice'),
    maxPrice: price(filter?.maxPrice, 'maxPrice'),
    inStock: filter?.inStock ?? null,
    ownSellerId,
  };
}
