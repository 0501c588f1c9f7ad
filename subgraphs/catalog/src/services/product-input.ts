// Validation of the product mutations' input: pure, so every rule is unit-tested. Each problem is a
// userError naming the field and the value; all problems are reported at once.
import { parseAmount, userError, type UserError as KitUserError } from '@mp/kit';
import type { UserErrorCode } from '../generated/graphql.ts';
import type { ProductAttribute } from '../repositories/product.repository.ts';

type UserError = KitUserError<UserErrorCode>;

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5_000;
export const STOCK_MAX = 1_000_000;
export const IMAGES_MAX = 10;
export const IMAGE_URL_MAX = 2_048;
export const ATTRIBUTES_MAX = 30;
export const ATTRIBUTE_NAME_MAX = 60;
export const ATTRIBUTE_VALUE_MAX = 200;

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

function title(value: string, errors: UserError[]): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > TITLE_MAX) {
    errors.push(
      userError(
        ['input', 'title'],
        `Title must be 1–${TITLE_MAX} characters, got ${trimmed.length}`,
        'INVALID_INPUT',
      ),
    );
  }
  return trimmed;
}

function description(value: string, errors: UserError[]): string {
  const trimmed = value.trim();
  if (trimmed.length > DESCRIPTION_MAX) {
    errors.push(
      userError(
        ['input', 'description'],
        `Description must be at most ${DESCRIPTION_MAX} characters, got ${trimmed.length}`,
        'INVALID_INPUT',
      ),
    );
  }
  return trimmed;
}

function price(value: string, currencyCode: string, errors: UserError[]): bigint {
  const parsed = parseAmount(value, currencyCode, 'price');
  if (parsed.ok) return BigInt(parsed.minor);
  // parseAmount only knows the field's own name; the client sent it inside `input`.
  const field = parsed.error.field ? ['input', ...parsed.error.field] : null;
  errors.push(userError(field, parsed.error.message, parsed.error.code as UserErrorCode));
  return 0n;
}

/** Stock and setStock quantities: an integer 0–1,000,000. */
export function checkQuantity(value: number, field: string[]): UserError[] {
  if (Number.isInteger(value) && value >= 0 && value <= STOCK_MAX) return [];
  return [
    userError(
      field,
      `Stock must be a whole number from 0 to ${STOCK_MAX.toLocaleString('en')}, got ${value}`,
      'INVALID_INPUT',
    ),
  ];
}

function isHttpsUrl(value: string): boolean {
  if (value.length > IMAGE_URL_MAX) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

function images(values: readonly string[], errors: UserError[]): string[] {
  if (values.length > IMAGES_MAX) {
    errors.push(
      userError(
        ['input', 'images'],
        `At most ${IMAGES_MAX} images are allowed, got ${values.length}`,
        'INVALID_INPUT',
      ),
    );
  }
  values.forEach((value, index) => {
    if (!isHttpsUrl(value)) {
      errors.push(
        userError(
          ['input', 'images', String(index)],
          `Image ${index + 1} is not a valid https URL: "${value.slice(0, 100)}"`,
          'INVALID_INPUT',
        ),
      );
    }
  });
  return [...values];
}

function attributes(values: readonly ProductAttribute[], errors: UserError[]): ProductAttribute[] {
  if (values.length > ATTRIBUTES_MAX) {
    errors.push(
      userError(
        ['input', 'attributes'],
        `At most ${ATTRIBUTES_MAX} attributes are allowed, got ${values.length}`,
        'INVALID_INPUT',
      ),
    );
  }
  const seen = new Set<string>();
  return values.map((attribute, index) => {
    const name = attribute.name.trim();
    const value = attribute.value.trim();
    const at = ['input', 'attributes', String(index)];
    if (name.length < 1 || name.length > ATTRIBUTE_NAME_MAX) {
      errors.push(
        userError(
          [...at, 'name'],
          `Attribute name must be 1–${ATTRIBUTE_NAME_MAX} characters, got ${name.length}`,
          'INVALID_INPUT',
        ),
      );
    } else if (seen.has(name)) {
      errors.push(userError([...at, 'name'], `Attribute "${name}" is given more than once`, 'INVALID_INPUT'));
    }
    if (value.length < 1 || value.length > ATTRIBUTE_VALUE_MAX) {
      errors.push(
        userError(
          [...at, 'value'],
          `Attribute value must be 1–${ATTRIBUTE_VALUE_MAX} characters, got ${value.length}`,
          'INVALID_INPUT',
        ),
      );
    }
    seen.add(name);
    return { name, value };
  });
}

export interface CreateProductArg {
  title: string;
  description: string;
  price: string;
  currencyCode: string;
  categoryId: string;
  stock: number;
  images?: readonly string[] | null;
  attributes?: readonly ProductAttribute[] | null;
}

export interface ValidProduct {
  title: string;
  description: string;
  priceMinor: bigint;
  currencyCode: string;
  categoryId: string;
  stock: number;
  images: string[];
  attributes: ProductAttribute[];
}

export function checkCreateInput(input: CreateProductArg): Checked<ValidProduct> {
  const errors: UserError[] = [];
  const value: ValidProduct = {
    title: title(input.title, errors),
    description: description(input.description, errors),
    priceMinor: price(input.price, input.currencyCode, errors),
    currencyCode: input.currencyCode,
    categoryId: input.categoryId,
    stock: input.stock,
    images: images(input.images ?? [], errors),
    attributes: attributes(input.attributes ?? [], errors),
  };
  errors.push(...checkQuantity(input.stock, ['input', 'stock']));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

export interface UpdateProductArg {
  title?: string | null;
  description?: string | null;
  price?: string | null;
  categoryId?: string | null;
}

export interface ValidChanges {
  title?: string;
  description?: string;
  priceMinor?: bigint;
  categoryId?: string;
}

/** Omitted and null fields stay as they are; a new price is read in the product's own currency. */
export function checkUpdateInput(input: UpdateProductArg, currencyCode: string): Checked<ValidChanges> {
  const errors: UserError[] = [];
  const value: ValidChanges = {};
  if (input.title != null) value.title = title(input.title, errors);
  if (input.description != null) value.description = description(input.description, errors);
  if (input.price != null) value.priceMinor = price(input.price, currencyCode, errors);
  if (input.categoryId != null) value.categoryId = input.categoryId;
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
