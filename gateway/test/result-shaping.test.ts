import { composeServices } from '@apollo/composition';
import {
  ApolloGateway,
  LocalGraphQLDataSource,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// patches/@apollo__gateway@2.14.4.patch changes how the gateway shapes every response: the operation it
// shapes by is built once per parsed document instead of per request, directive-free selections skip
// the @skip/@include lookups, and result shaping binds its federation-internals functions once. These
// pin what a client sees through a real ApolloGateway (two local subgraphs, one entity between them),
// including what shaping itself decides: variables, aliases, __typename, nulls and invalid values.

const shelf = buildSubgraphSchema({
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { products: [Product!]! broken: Broken }
    type Product @key(fields: "id") { id: ID! title: String! stock: Int }
    type Broken { required: String! count: Int }
  `),
  resolvers: {
    Query: {
      products: () => [
        { id: 'p1', title: 'Kettle', stock: 3 },
        { id: 'p2', title: 'Teapot', stock: 0 },
      ],
      broken: () => ({ required: 'yes', count: 1 }),
    },
  },
});
const reviews = buildSubgraphSchema({
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Product @key(fields: "id") { id: ID! rating: Float }
  `),
  resolvers: {
    Product: {
      __resolveReference: ({ id }: { id: string }) => ({ id, rating: id === 'p1' ? 4.5 : null }),
    },
  },
});

const subgraphs: Record<string, GraphQLSchema> = { shelf, reviews };

/** A subgraph that answers against its own schema: `broken`'s values are replaced after execution. */
class SchemaBreakingDataSource implements GraphQLDataSource {
  private readonly local: LocalGraphQLDataSource;
  constructor(schema: GraphQLSchema) {
    this.local = new LocalGraphQLDataSource(schema);
  }
  async process(options: GraphQLDataSourceProcessOptions) {
    const response = await this.local.process(options);
    const data = response.data as { broken?: unknown } | null | undefined;
    if (data?.broken) data.broken = { required: null, count: 'many' };
    return response;
  }
}
let server: ApolloServer;

beforeAll(async () => {
  const composed = composeServices(
    Object.entries(subgraphs).map(([name, schema]) => ({
      name,
      url: `http://${name}.invalid/graphql`,
      typeDefs: parse(
        (
          schema.getQueryType()!.getFields()['_service']!.resolve!({}, {}, {}, {} as never) as {
            sdl: string;
          }
        ).sdl,
      ),
    })),
  );
  if (!composed.supergraphSdl) throw new Error(composed.errors?.map((e) => e.message).join('\n'));
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ name }) => new SchemaBreakingDataSource(subgraphs[name]!),
  });
  server = new ApolloServer({ gateway });
  await server.start();
});

afterAll(() => server.stop());

/** The response as the client receives it (JSON). */
async function run(query: string, variables: Record<string, unknown> = {}) {
  const { body } = await server.executeOperation({ query, variables });
  if (body.kind !== 'single') throw new Error('expected a single result');
  return JSON.parse(JSON.stringify(body.singleResult)) as {
    data?: Record<string, unknown> | null;
    extensions?: Record<string, unknown>;
  };
}

const SHELF = `query Shelf($withRating: Boolean!, $hideStock: Boolean!) {
  products {
    kind: __typename
    id
    name: title
    stock @skip(if: $hideStock)
    ... on Product { rating @include(if: $withRating) }
  }
}`;

describe('the gateway shaping a federated response', () => {
  it('applies each request its own variables, for the same document sent again', async () => {
    const first = await run(SHELF, { withRating: true, hideStock: false });
    const second = await run(SHELF, { withRating: false, hideStock: true });
    const third = await run(SHELF, { withRating: true, hideStock: true });
    expect(first).toEqual({
      data: {
        products: [
          { kind: 'Product', id: 'p1', name: 'Kettle', stock: 3, rating: 4.5 },
          { kind: 'Product', id: 'p2', name: 'Teapot', stock: 0, rating: null },
        ],
      },
    });
    expect(second).toEqual({
      data: {
        products: [
          { kind: 'Product', id: 'p1', name: 'Kettle' },
          { kind: 'Product', id: 'p2', name: 'Teapot' },
        ],
      },
    });
    expect(third.data).toEqual({
      products: [
        { kind: 'Product', id: 'p1', name: 'Kettle', rating: 4.5 },
        { kind: 'Product', id: 'p2', name: 'Teapot', rating: null },
      ],
    });
  });

  it('keeps fields in the order the client asked for them, aliases included', async () => {
    const { data } = await run('{ products { name: title id } }');
    expect(Object.keys((data as { products: object[] }).products[0]!)).toEqual(['name', 'id']);
  });

  it('nulls an object whose subgraph broke the schema, and says where in valueCompletion', async () => {
    const result = await run('{ broken { count required } }');
    expect(result).toEqual({
      data: { broken: null },
      extensions: {
        valueCompletion: [
          {
            message: 'Invalid value found for field Broken.count.',
            path: ['broken', 'count'],
            extensions: { code: 'INVALID_GRAPHQL' },
          },
          {
            message: 'Cannot return null for non-nullable field Broken.required.',
            path: ['broken', 'required'],
            extensions: { code: 'INVALID_GRAPHQL' },
          },
        ],
      },
    });
  });

  it('nulls only the leaf whose value does not fit its type when that is allowed', async () => {
    const result = await run('{ broken { count } }');
    expect(result.data).toEqual({ broken: { count: null } });
    expect(result.extensions?.['valueCompletion']).toHaveLength(1);
  });
});
