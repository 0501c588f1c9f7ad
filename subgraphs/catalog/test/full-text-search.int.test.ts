import { demoId } from '@mp/prisma/seed';
import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { catalogSubgraph } from '../src/subgraph.ts';
import { PRODUCTS, sellerIdentity, walkAllPages, type ProductsPage } from './helpers.ts';

let catalog: TestSubgraph;
const titles = {
  inTitle: 'Quokka Plush Toy',
  inDescription: 'Soft Animal Toy',
  inBoth: 'Quokka Quokka Night Light',
  unrelated: 'Wooden Train Set',
};

beforeAll(async () => {
  catalog = await startTestSubgraph(catalogSubgraph, inject('postgresAdminUrl'), { seed: true });
  const descriptions: Record<keyof typeof titles, string> = {
    inTitle: 'A cuddly plush animal for small children.',
    inDescription: 'Looks just like a quokka from Rottnest Island.',
    inBoth: 'A lamp shaped like a quokka, with a warm glow.',
    unrelated: 'Twelve wooden wagons and a loop of track.',
  };
  for (const key of Object.keys(titles) as (keyof typeof titles)[]) {
    const response = await catalog.request<{ createProduct: { userErrors: unknown[] } }>(
      `mutation($input: CreateProductInput!) { createProduct(input: $input) { userErrors { message } } }`,
      {
        input: {
          title: titles[key],
          description: descriptions[key],
          price: '10',
          currencyCode: 'EUR',
          categoryId: demoId('category', 'Home'),
          stock: 3,
        },
      },
      { as: sellerIdentity('atelier') },
    );
    expect(response.data?.createProduct.userErrors).toEqual([]);
  }
});
afterAll(async () => {
  await catalog?.stop();
});

describe('full-text search', () => {
  it('ranks title matches above description-only matches', async () => {
    const response = await catalog.request<ProductsPage>(PRODUCTS, {
      first: 10,
      filter: { search: 'quokka' },
    });
    const found = response.data!.products.edges.map((e) => e.node.title);
    expect(found).toHaveLength(3);
    expect(found.at(-1)).toBe(titles.inDescription);
    expect(found.slice(0, 2).sort()).toEqual([titles.inBoth, titles.inTitle].sort());
  });

  it('stems words and understands web-search syntax', async () => {
    const stems = await walkAllPages(catalog, { first: 10, filter: { search: 'quokkas' } });
    expect(stems.totalCount).toBe(3);
    const excluded = await walkAllPages(catalog, { first: 10, filter: { search: 'quokka -lamp' } });
    expect(excluded.nodes.map((n) => n.title).sort()).toEqual([titles.inDescription, titles.inTitle].sort());
    const phrase = await walkAllPages(catalog, { first: 10, filter: { search: '"plush toy"' } });
    expect(phrase.nodes.map((n) => n.title)).toEqual([titles.inTitle]);
  });

  it('keeps the relevance order across pages of one', async () => {
    const whole = await catalog.request<ProductsPage>(PRODUCTS, { first: 10, filter: { search: 'quokka' } });
    const paged = await walkAllPages(catalog, { first: 1, filter: { search: 'quokka' } });
    expect(paged.nodes.map((n) => n.id)).toEqual(whole.data!.products.edges.map((e) => e.node.id));
    expect(paged.pages).toBe(3);
  });

  it('can sort search results by something other than relevance', async () => {
    const { nodes } = await walkAllPages(catalog, { first: 2, filter: { search: 'quokka' }, sort: 'NEWEST' });
    const created = nodes.map((n) => Date.parse(n.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(nodes).toHaveLength(3);
  });

  it('treats punctuation-only and blank searches without errors', async () => {
    for (const search of ['!!!', '   ', '& | :*', "'"]) {
      const response = await catalog.request<ProductsPage>(PRODUCTS, { first: 1, filter: { search } });
      expect(response.errors).toBeUndefined();
    }
  });
});
