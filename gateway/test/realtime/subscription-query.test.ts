import { contractOperation } from '@mp/testkit';
import {
  GraphQLError,
  Kind,
  execute,
  extendSchema,
  parse,
  print,
  validate,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { REALTIME_FIELDS } from '../../src/realtime/realtime-fields.ts';
import { prepareSubscription, type PreparedSubscription } from '../../src/realtime/subscription-query.ts';
import { apiSchema } from './helpers.ts';

const schema = apiSchema();

function prepared(
  source: string,
  variables: Record<string, unknown> | null = null,
  operationName?: string,
): PreparedSubscription {
  const document = parse(source);
  expect(validate(schema, document), 'the client document itself is valid').toEqual([]);
  const result = prepareSubscription(schema, document, operationName, variables);
  if (Array.isArray(result)) throw new Error(`refused: ${result.map((e) => e.message).join('; ')}`);
  return result as PreparedSubscription;
}

/** The refusal's messages; fails unless the result is a non-empty list of GraphQLErrors. */
function refusal(result: ReturnType<typeof prepareSubscription>): string[] {
  expect(Array.isArray(result), 'refused').toBe(true);
  const errors = result as readonly GraphQLError[];
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) expect(error).toBeInstanceOf(GraphQLError);
  return errors.map((e) => e.message);
}

const operationOf = (document: DocumentNode) =>
  document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
const rootFieldOf = (document: DocumentNode) => operationOf(document).selectionSet.selections[0] as FieldNode;
const variableNames = (document: DocumentNode) =>
  (operationOf(document).variableDefinitions ?? []).map((d) => d.variable.name.value).sort();
const fragmentNames = (document: DocumentNode) =>
  document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])).sort();

describe('prepareSubscription on the contract operations', () => {
  it.each([
    ['OrderStatus', { orderId: 'order-1' }, 'orderStatusChanged', 'order', { orderId: 'order-1' }],
    ['ShipmentTracking', { shipmentId: 'ship-1' }, 'shipmentUpdated', 'shipment', { shipmentId: 'ship-1' }],
    ['SellerOrderFeed', {}, 'sellerOrderPlaced', 'sellerOrder', {}],
  ] as const)(
    'turns %s into a valid query reading %s through Query.%s(id: $realtimeKey) with the same selection',
    (name, variables, fieldName, queryField, args) => {
      const source = contractOperation(name);
      const result = prepared(source, variables);
      const query = parse(result.query);

      expect(validate(schema, query)).toEqual([]);
      expect(operationOf(query).operation).toBe('query');
      expect(result.fieldName).toBe(fieldName);
      expect(result.field).toBe(REALTIME_FIELDS[fieldName]);
      expect(result.args).toEqual(args);
      expect(result.keyVariable).toBe('realtimeKey');
      expect(variableNames(query)).toEqual(['realtimeKey']);
      expect(result.variables).toEqual({});

      const root = rootFieldOf(query);
      expect(root.name.value).toBe(queryField);
      expect(root.alias?.value).toBe(fieldName);
      expect(result.responseKey).toBe(fieldName);
      expect(print(root).split('\n')[0]).toBe(`${fieldName}: ${queryField}(id: $realtimeKey) {`);
      expect(print(root.selectionSet!)).toBe(print(rootFieldOf(parse(source)).selectionSet!));
    },
  );
});

describe('prepareSubscription', () => {
  const tracked = `
    subscription Tracked($orderId: ID!, $withPayment: Boolean!, $hideSeller: Boolean!) {
      tracked: orderStatusChanged(orderId: $orderId) {
        ...OrderHeader
        ... on Order {
          payment @include(if: $withPayment) { status }
        }
        shipments { ...ShipmentBits }
      }
    }
    fragment OrderHeader on Order { id status }
    fragment ShipmentBits on Shipment { id ...SellerName }
    fragment SellerName on Shipment { seller @skip(if: $hideSeller) { name } }
    fragment TotalOnly on Order { total { amount } }
    query OrderTotal($id: ID!) { order(id: $id) { ...TotalOnly } }
  `;
  const trackedVariables = { orderId: 'order-1', withPayment: false, hideSeller: false };

  it('keeps the alias as the response key of the query', () => {
    const result = prepared(tracked, trackedVariables, 'Tracked');
    expect(result.responseKey).toBe('tracked');
    expect(rootFieldOf(parse(result.query)).alias?.value).toBe('tracked');
  });

  it('keeps the fragments the selection uses, nested and inline, and only those', () => {
    const result = prepared(tracked, trackedVariables, 'Tracked');
    const query = parse(result.query);
    expect(validate(schema, query)).toEqual([]);
    expect(fragmentNames(query)).toEqual(['OrderHeader', 'SellerName', 'ShipmentBits']);
    expect(result.query).toContain('... on Order {');
    expect(result.query).not.toContain('OrderTotal');
  });

  it('keeps the variables the selection uses and drops the ones only the root arguments used', () => {
    const result = prepared(tracked, trackedVariables, 'Tracked');
    expect(variableNames(parse(result.query))).toEqual(['hideSeller', 'realtimeKey', 'withPayment']);
    expect(result.variables).toEqual({ withPayment: false, hideSeller: false });
  });

  it("answers under the response key, for the key variable's id, honouring the client's variables", async () => {
    const result = prepared(tracked, trackedVariables, 'Tracked');
    const asked: unknown[] = [];
    const order = (args: { id: string }) => {
      asked.push(args.id);
      return { id: args.id, status: 'CONFIRMED', payment: { status: 'CAPTURED' }, shipments: [] };
    };
    const response = await execute({
      schema,
      document: parse(result.query),
      rootValue: { order },
      variableValues: { ...result.variables, [result.keyVariable]: 'order-9' },
    });
    expect(response.errors).toBeUndefined();
    // @include(if: $withPayment) with withPayment false: no payment, as the client asked.
    expect(response.data).toEqual({ tracked: { id: 'order-9', status: 'CONFIRMED', shipments: [] } });
    expect(asked).toEqual(['order-9']);
  });

  it('coerces the root arguments: variables, literals and defaults', () => {
    expect(prepared(contractOperation('OrderStatus'), { orderId: 42 }).args).toEqual({ orderId: '42' });
    expect(prepared('subscription { orderStatusChanged(orderId: 7) { id } }').args).toEqual({ orderId: '7' });
    expect(
      prepared('subscription ($id: ID! = "order-5") { shipmentUpdated(shipmentId: $id) { id } }').args,
    ).toEqual({ shipmentId: 'order-5' });
  });

  it("picks another key variable name when the client's operation already declares realtimeKey", () => {
    const result = prepared(
      `subscription ($realtimeKey: ID!, $withPayment: Boolean!) {
        orderStatusChanged(orderId: $realtimeKey) { id payment @include(if: $withPayment) { status } }
      }`,
      { realtimeKey: 'order-1', withPayment: true },
    );
    expect(result.keyVariable).not.toBe('realtimeKey');
    const query = parse(result.query);
    expect(validate(schema, query)).toEqual([]);
    expect(variableNames(query)).toEqual([result.keyVariable, 'withPayment'].sort());
    expect(print(rootFieldOf(query)).split('\n')[0]).toBe(
      `orderStatusChanged: order(id: $${result.keyVariable}) {`,
    );
    expect(result.variables).toEqual({ withPayment: true });
  });

  it('prepares the named operation of a document holding several', () => {
    const result = prepared(tracked, trackedVariables, 'Tracked');
    expect(operationOf(parse(result.query)).name?.value).toBe('Tracked');
  });

  describe('refuses', () => {
    it('a query or a mutation', () => {
      const query = prepareSubscription(schema, parse('query { order(id: "1") { id } }'), null, null);
      expect(refusal(query)).toEqual(['Not a subscription operation']);
      const mutation = prepareSubscription(
        schema,
        parse('mutation { setStock(productId: "p1", quantity: 3) { __typename } }'),
        null,
        null,
      );
      expect(refusal(mutation)).toEqual(['Not a subscription operation']);
      expect((query as readonly GraphQLError[])[0]!.extensions.code).toBe('BAD_USER_INPUT');
    });

    it('an operation name the document does not have', () => {
      const result = prepareSubscription(schema, parse(tracked), 'Missing', trackedVariables);
      expect(refusal(result)).toHaveLength(1);
    });

    it('two root fields', () => {
      const document = parse(`subscription {
        a: orderStatusChanged(orderId: "1") { id }
        b: orderStatusChanged(orderId: "2") { id }
      }`);
      expect(refusal(prepareSubscription(schema, document, null, null))[0]).toMatch(/exactly one/);
    });

    it('a root field selected through a named fragment or an inline fragment', () => {
      const named = parse(`subscription { ...Root }
        fragment Root on Subscription { orderStatusChanged(orderId: "1") { id } }`);
      const inline = parse(
        'subscription { ... on Subscription { orderStatusChanged(orderId: "1") { id } } }',
      );
      expect(refusal(prepareSubscription(schema, named, null, null))[0]).toMatch(/not through a fragment/);
      expect(refusal(prepareSubscription(schema, inline, null, null))[0]).toMatch(/not through a fragment/);
    });

    it('a subscription field the schema does not have', () => {
      const result = prepareSubscription(schema, parse('subscription { priceDropped { id } }'), null, null);
      expect(refusal(result)).toEqual(['Subscription field "priceDropped" is not served']);
    });

    it('a subscription field of the schema the gateway does not serve', () => {
      const extended = extendSchema(
        schema,
        parse('extend type Subscription { productUpdated(productId: ID!): Product! }'),
      );
      const document = parse('subscription { productUpdated(productId: "p1") { id } }');
      expect(validate(extended, document)).toEqual([]);
      expect(refusal(prepareSubscription(extended, document, null, null))).toEqual([
        'Subscription field "productUpdated" is not served',
      ]);
    });

    it.each([
      ['missing', {}],
      ['null', { orderId: null }],
      ['an object', { orderId: { id: 'order-1' } }],
      ['a boolean', { orderId: true }],
    ])('a required variable that is %s', (_, variables) => {
      const result = prepareSubscription(schema, parse(contractOperation('OrderStatus')), null, variables);
      expect(refusal(result)[0]).toMatch(/\$orderId/);
    });

    it('a null sent for a nullable variable with a default, used by a non-null argument, as BAD_USER_INPUT', () => {
      const document = parse(
        'subscription ($id: ID = "order-1") { orderStatusChanged(orderId: $id) { id } }',
      );
      expect(validate(schema, document), 'the client document itself is valid').toEqual([]);
      const result = prepareSubscription(schema, document, null, { id: null });
      expect(refusal(result)).toEqual([expect.stringContaining('"orderId"')]);
      expect((result as readonly GraphQLError[])[0]!.extensions.code).toBe('BAD_USER_INPUT');
      // Left out, the variable takes its default.
      expect(prepareSubscription(schema, document, null, {})).toMatchObject({ args: { orderId: 'order-1' } });
    });

    it('variables when none are sent for a required one', () => {
      const result = prepareSubscription(schema, parse(contractOperation('ShipmentTracking')), null, null);
      expect(refusal(result)[0]).toMatch(/\$shipmentId/);
    });
  });
});
