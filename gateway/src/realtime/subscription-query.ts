import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { REALTIME_FIELDS, type RealtimeField } from './realtime-fields.ts';

/** A subscription operation turned into the query that resolves each of its payloads. */
export interface PreparedSubscription {
  field: RealtimeField;
  fieldName: string;
  /** The subscription field's key in the response (its alias, if any). */
  responseKey: string;
  /** The subscription field's arguments, coerced. */
  args: Readonly<Record<string, unknown>>;
  /** `query <Name>(…, $<keyVariable>: ID!) { <responseKey>: <queryField>(id: $<keyVariable>) { …selection } }` */
  query: string;
  keyVariable: string;
  /** The client's variables the query still uses, as the client sent them. */
  variables: Readonly<Record<string, unknown>>;
}

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function fragmentsUsedBy(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>) {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (node: SelectionSetNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!fragment || used.has(name)) return;
        used.set(name, fragment);
        walk(fragment);
      },
    });
  walk(selectionSet);
  return [...used.values()];
}

function variablesUsedBy(nodes: readonly (FieldNode | FragmentDefinitionNode)[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) visit(node, { Variable: (variable) => void names.add(variable.name.value) });
  return names;
}

/**
 * Checks that the (already validated) document subscribes to one field the gateway serves, and
 * rewrites it into a query with the same selection, so every payload goes through the normal federated
 * pipeline: query planning, the subscriber's own token at every subgraph, limits and error masking.
 */
export function prepareSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Readonly<Record<string, unknown>> | null | undefined,
): PreparedSubscription | readonly GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'subscription')
    return [badRequest('Not a subscription operation')];
  const [root, ...more] = operation.selectionSet.selections;
  if (!root || more.length > 0 || root.kind !== Kind.FIELD) {
    return [badRequest('Select exactly one subscription field, directly (not through a fragment)')];
  }
  const fieldName = root.name.value;
  const field = REALTIME_FIELDS[fieldName];
  const definition = schema.getSubscriptionType()?.getFields()[fieldName];
  if (!field || !definition) return [badRequest(`Subscription field "${fieldName}" is not served`)];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { ...rawVariables });
  if (coerced.errors) return coerced.errors;
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(definition, root, coerced.coerced);
  } catch (error) {
    // e.g. a nullable variable with a default, sent as null, for a non-null argument
    if (error instanceof GraphQLError) return [badRequest(error.message)];
    throw error;
  }

  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const selectionSet = root.selectionSet!; // validation: a field of object type has a selection
  const usedFragments = fragmentsUsedBy(selectionSet, fragments);
  const declared = new Set((operation.variableDefinitions ?? []).map((d) => d.variable.name.value));
  let keyVariable = 'realtimeKey';
  while (declared.has(keyVariable)) keyVariable += '_';
  const queryRoot: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: root.alias?.value ?? fieldName },
    name: { kind: Kind.NAME, value: field.queryField },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'id' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable } },
      },
    ],
    directives: root.directives ?? [],
    selectionSet,
  };
  const rootWithoutArguments = { ...root, arguments: [] };
  const used = variablesUsedBy([rootWithoutArguments, ...usedFragments]);
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    ...(operation.name ? { name: operation.name } : {}),
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable } },
        type: {
          kind: Kind.NON_NULL_TYPE,
          type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } },
        },
      },
    ],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [queryRoot] },
  };
  const variables = Object.fromEntries(Object.entries(rawVariables ?? {}).filter(([name]) => used.has(name)));
  return {
    field,
    fieldName,
    responseKey: queryRoot.alias!.value,
    args,
    query: print({ kind: Kind.DOCUMENT, definitions: [query, ...usedFragments] }),
    keyVariable,
    variables,
  };
}
