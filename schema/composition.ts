import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import { defaultUrlOf, schemaPathOf, SUBGRAPHS } from './subgraphs.ts';

export interface ComposedSchemas {
  /** What the gateway loads: schema/supergraph.graphql. */
  supergraphSdl: string;
  /** What clients see (no federation internals): schema/api.graphql. */
  apiSdl: string;
}

/** Composes the subgraphs' SDL files; throws with every composition error listed. */
export function composeSupergraph(): ComposedSchemas {
  const result = composeServices(
    SUBGRAPHS.map(({ name, port }) => ({
      name,
      url: defaultUrlOf(port),
      typeDefs: parse(readFileSync(schemaPathOf(name), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  const apiSchema = result.schema.toAPISchema().toGraphQLJSSchema();
  return { supergraphSdl: result.supergraphSdl, apiSdl: `${printSchema(apiSchema)}\n` };
}
