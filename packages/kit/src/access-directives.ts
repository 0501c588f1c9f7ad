import type { Identity, Scope } from '@mp/auth';
import {
  defaultFieldResolver,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLFieldConfig,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { forbidden, unauthenticated } from './errors.ts';

/** What a field demands of its caller: signed in, and (optionally) one of several scope sets. */
interface Requirement {
  authenticated: boolean;
  /** Outer list: alternatives (OR); inner list: all of these scopes (AND). Empty = no scope needed. */
  scopeSets: Scope[][];
}

export interface AccessContext {
  identity: Identity | null;
}

function directivesOf(nodes: readonly { directives?: readonly ConstDirectiveNode[] | undefined }[]) {
  return nodes.flatMap((node) => node.directives ?? []);
}

function requirementFrom(directives: readonly ConstDirectiveNode[]): Requirement {
  const requirement: Requirement = { authenticated: false, scopeSets: [] };
  for (const directive of directives) {
    const name = directive.name.value;
    if (name === 'authenticated' || name === 'federation__authenticated') {
      requirement.authenticated = true;
    }
    if (name === 'requiresScopes' || name === 'federation__requiresScopes') {
      requirement.authenticated = true;
      const arg = directive.arguments?.find((a) => a.name.value === 'scopes');
      const value = arg ? (valueFromASTUntyped(arg.value) as Scope[][]) : [];
      requirement.scopeSets.push(...value);
    }
  }
  return requirement;
}

function merge(a: Requirement, b: Requirement): Requirement {
  return { authenticated: a.authenticated || b.authenticated, scopeSets: [...a.scopeSets, ...b.scopeSets] };
}

export function checkAccess(requirement: Requirement, identity: Identity | null, coordinate: string): void {
  if (!requirement.authenticated) return;
  if (!identity) throw unauthenticated(`You must be signed in to read ${coordinate}`);
  if (requirement.scopeSets.length === 0) return;
  const granted = requirement.scopeSets.some((set) => set.every((scope) => identity.scopes.includes(scope)));
  if (!granted) {
    const wanted = requirement.scopeSets.map((set) => set.join(' + ')).join(' or ');
    throw forbidden(
      `${coordinate} requires the ${wanted} scope; your token has [${identity.scopes.join(', ')}]`,
    );
  }
}

/**
 * Enforces `@authenticated` and `@requiresScopes` inside the subgraph. The Apollo gateway does not
 * enforce them, and subgraphs trust nobody, so every field resolver that carries a requirement (on the
 * field or on its type) is wrapped. Field resolvers run for `_entities` lookups too, so entity access
 * through the gateway's query plans is covered by the same check.
 */
export function enforceAccessDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRequirement = requirementFrom(
      directivesOf([...(type.astNode ? [type.astNode] : []), ...type.extensionASTNodes]),
    );
    wrapFields(type, typeRequirement);
  }
  return schema;
}

function wrapFields(type: GraphQLObjectType, typeRequirement: Requirement): void {
  for (const field of Object.values(type.getFields())) {
    const requirement = merge(
      typeRequirement,
      requirementFrom(directivesOf(field.astNode ? [field.astNode] : [])),
    );
    if (!requirement.authenticated) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    const coordinate = `${type.name}.${field.name}`;
    const guarded: GraphQLFieldConfig<unknown, AccessContext>['resolve'] = (source, args, context, info) => {
      checkAccess(requirement, context.identity, coordinate);
      return resolve(source, args, context, info);
    };
    field.resolve = guarded;
  }
}
