import { describe, expect, it } from 'vitest';
import { CoPurchaseModel } from './reference-model.ts';

const at = new Date('2026-11-20T00:00:00Z');

describe('the reference co-purchase model', () => {
  it('counts buyers, not orders', () => {
    const model = new CoPurchaseModel();
    model.confirm({ orderId: 'o1', buyerId: 'u1', productIds: ['a', 'b'], at });
    model.confirm({ orderId: 'o2', buyerId: 'u1', productIds: ['a', 'b'], at });
    model.confirm({ orderId: 'o3', buyerId: 'u2', productIds: ['b'], at });
    expect(model.buyersOf('a')).toBe(1);
    expect(model.buyersOf('b')).toBe(2);
    expect(model.pairBuyers('a', 'b')).toBe(1);
    expect(model.confirm({ orderId: 'o1', buyerId: 'u1', productIds: ['a', 'b'], at })).toBe(false);
  });

  it('recommends the neighbours of what a buyer has, best first, without what they have', () => {
    const model = new CoPurchaseModel();
    model.confirm({ orderId: 'o1', buyerId: 'u1', productIds: ['tent', 'pegs', 'lamp'], at });
    model.confirm({ orderId: 'o2', buyerId: 'u2', productIds: ['tent', 'pegs'], at });
    model.confirm({ orderId: 'o3', buyerId: 'u3', productIds: ['tent'], at });
    model.confirm({ orderId: 'o4', buyerId: 'u3', productIds: ['stove'], at });
    expect(model.personalScores('u3').map((s) => s.productId)).toEqual(['pegs', 'lamp']);
    expect(model.neighbours('tent').map((s) => s.productId)).toEqual(['pegs', 'lamp', 'stove']);
    expect(model.neighbours('tent', (id) => id !== 'pegs').map((s) => s.productId)).toEqual([
      'lamp',
      'stove',
    ]);
  });

  it('returns to the same state when a paid order is cancelled', () => {
    const model = new CoPurchaseModel();
    model.confirm({ orderId: 'o1', buyerId: 'u1', productIds: ['a'], at });
    const before = JSON.stringify([
      model.neighbours('a'),
      model.ownedBy('u1'),
      model.popularity('a'),
      model.buyersOf('b'),
    ]);
    model.confirm({
      orderId: 'o2',
      buyerId: 'u1',
      productIds: ['a', 'b'],
      at: new Date(at.getTime() + 1_000),
    });
    expect(model.pairBuyers('a', 'b')).toBe(1);
    expect(model.cancel('o2')).toBe(true);
    expect(model.cancel('o2')).toBe(false);
    expect(
      JSON.stringify([
        model.neighbours('a'),
        model.ownedBy('u1'),
        model.popularity('a'),
        model.buyersOf('b'),
      ]),
    ).toBe(before);
  });

  it('ranks by decayed popularity, products without orders last in the given order', () => {
    const model = new CoPurchaseModel();
    model.confirm({
      orderId: 'o1',
      buyerId: 'u1',
      productIds: ['old'],
      at: new Date('2026-10-01T00:00:00Z'),
    });
    model.confirm({
      orderId: 'o2',
      buyerId: 'u2',
      productIds: ['old'],
      at: new Date('2026-10-01T00:00:00Z'),
    });
    model.confirm({ orderId: 'o3', buyerId: 'u3', productIds: ['new'], at });
    expect(model.popular(['unsold-2', 'old', 'unsold-1', 'new'])).toEqual([
      'new',
      'old',
      'unsold-2',
      'unsold-1',
    ]);
  });
});
