import { describe, expect, it } from 'vitest';
import { checkCreateInput, checkQuantity, checkUpdateInput } from './product-input.ts';

const valid = {
  title: '  Lamp ',
  description: 'A lamp.',
  price: '19.9',
  currencyCode: 'EUR',
  categoryId: 'c-1',
  stock: 0,
};

describe('checkCreateInput', () => {
  it('accepts a valid product, trimming text and converting the price to minor units', () => {
    expect(checkCreateInput({ ...valid, attributes: [{ name: ' colour ', value: 'red ' }] })).toEqual({
      ok: true,
      value: {
        title: 'Lamp',
        description: 'A lamp.',
        priceMinor: 1990n,
        currencyCode: 'EUR',
        categoryId: 'c-1',
        stock: 0,
        images: [],
        attributes: [{ name: 'colour', value: 'red' }],
      },
    });
  });

  it('accepts the limits themselves', () => {
    const result = checkCreateInput({
      ...valid,
      title: 't'.repeat(200),
      description: 'd'.repeat(5000),
      stock: 1_000_000,
      images: Array.from({ length: 10 }, (_, i) => `https://img.example.com/${i}.png`),
    });
    expect(result.ok).toBe(true);
  });

  it('reports all problems at once with their fields', () => {
    const result = checkCreateInput({
      ...valid,
      title: '',
      description: 'd'.repeat(5001),
      price: '-3',
      stock: 2_000_000,
      images: ['ftp://x'],
      attributes: [{ name: '', value: '' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field?.join('.'))).toEqual([
      'input.title',
      'input.description',
      'input.price',
      'input.images.0',
      'input.attributes.0.name',
      'input.attributes.0.value',
      'input.stock',
    ]);
  });

  it('reports an unsupported currency on the currencyCode field', () => {
    const result = checkCreateInput({ ...valid, currencyCode: 'ABC' });
    expect(result).toMatchObject({
      ok: false,
      errors: [{ field: ['input', 'currencyCode'], code: 'INVALID_CURRENCY' }],
    });
  });

  it('refuses more than 30 attributes', () => {
    const attributes = Array.from({ length: 31 }, (_, i) => ({ name: `n${i}`, value: 'v' }));
    expect(checkCreateInput({ ...valid, attributes })).toMatchObject({
      ok: false,
      errors: [{ field: ['input', 'attributes'] }],
    });
  });
});

describe('checkUpdateInput', () => {
  it('keeps omitted and null fields out of the changes', () => {
    expect(checkUpdateInput({ title: null, price: undefined }, 'EUR')).toEqual({ ok: true, value: {} });
  });

  it("reads the price in the product's currency", () => {
    expect(checkUpdateInput({ price: '500' }, 'JPY')).toEqual({ ok: true, value: { priceMinor: 500n } });
    expect(checkUpdateInput({ price: '5.5' }, 'JPY')).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_AMOUNT' }],
    });
  });
});

describe('checkQuantity', () => {
  it.each([0, 1, 1_000_000])('accepts %i', (value) => expect(checkQuantity(value, ['q'])).toEqual([]));
  it.each([-1, 1_000_001, 1.5])('refuses %d naming it', (value) => {
    expect(checkQuantity(value, ['q'])[0]?.message).toContain(String(value));
  });
});
