import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { Kind, parse, printSchema, visit, type DocumentNode } from 'graphql';
import { defaultUrlOf, schemaPathOf, SUBGRAPHS } from './subgraphs.ts';

export interface ComposedSchemas {
  /** What the gateway loads: schema/supergraph.graphql. */
  supergraphSdl: string;
  /** What clients see (no federation internals): schema/api.graphql. */
  apiSdl: string;
}

const ACCESS_DIRECTIVES = new Set(['authenticated', 'requiresScopes']);

/**
 * @apollo/gateway refuses a supergraph that links the `for: SECURITY` features (authenticated,
 * requiresScopes): only the Router enforces them. Here every subgraph enforces them itself (@mp/kit), so
 * the gateway's copy of each subgraph schema leaves them out; the subgraphs' own SDL keeps them.
 */
export function withoutAccessDirectives(document: DocumentNode): DocumentNode {
  return visit(document, {
    Directive(node) {
      return ACCESS_DIRECTIVES.has(node.name.value) ? null : undefined;
    },
    ListValue(node, _key, parent) {
      const isLinkImport =
        parent &&
        !Array.isArray(parent) &&
        (parent as { kind?: string; name?: { value: string } }).kind === Kind.ARGUMENT;
      if (!isLinkImport) return undefined;
      return {
        ...node,
        values: node.values.filter(
          (v) => !(v.kind === Kind.STRING && ACCESS_DIRECTIVES.has(v.value.replace(/^@/, ''))),
        ),
      };
    },
  });
}

function compose(transform: (document: DocumentNode) => DocumentNode) {
  const result = composeServices(
    SUBGRAPHS.map(({ name, port }) => ({
      name,
      url: defaultUrlOf(port),
      typeDefs: transform(parse(readFileSync(schemaPathOf(name), 'utf8'))),
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result;
}

/** Composes the subgraphs' SDL files; throws with every composition error listed. */
export function composeSupergraph(): ComposedSchemas {
  // The full schemas, access directives included, must compose too: that is what the subgraphs serve.
  compose((document) => document);
  const result = compose(withoutAccessDirectives);
  const apiSchema = result.schema.toAPISchema().toGraphQLJSSchema();
  return { supergraphSdl: result.supergraphSdl, apiSdl: `${printSchema(apiSchema)}\n` };
}
