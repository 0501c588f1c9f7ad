import { contractOperations } from '@mp/testkit';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';
import { queryLimitRules } from '../src/limits.ts';

// The limit rules only look at the document's shape, so a minimal schema is enough to run them; field
// existence is checked by the e2e tests for the operations this release serves.
const schema = buildSchema('type Query { _: Boolean }');
const env = loadEnv({ GATEWAY_SECRET: 'x'.repeat(32), JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----' });
const rules = queryLimitRules({
  maxDepth: env.MAX_DEPTH,
  maxAliases: env.MAX_ALIASES,
  maxCost: env.MAX_COST,
});

describe('gateway query limits', () => {
  it('accept every operation in the client contract', () => {
    const operations = contractOperations();
    expect(operations.size).toBeGreaterThan(20);
    for (const [name, document] of operations) {
      const errors = validate(schema, parse(document, { maxTokens: env.MAX_TOKENS }), rules);
      expect(
        errors.map((e) => e.message),
        name,
      ).toEqual([]);
    }
  });

  it('reject 100 aliases, depth 20 and an expensive fan-out', () => {
    const aliases = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: _`).join(' ')} }`;
    let deep = '_';
    for (let i = 0; i < 19; i += 1) deep = `a { ${deep} }`;
    // No aliases and shallow, but 5 branches on each of 6 levels: thousands of objects to resolve.
    let wide = 'leaf';
    for (let level = 0; level < 6; level += 1)
      wide = Array.from({ length: 5 }, (_, i) => `f${i} { ${wide} }`).join(' ');
    wide = `{ ${wide} }`;
    for (const query of [aliases, `{ ${deep} }`, wide]) {
      expect(validate(schema, parse(query), rules).length, query.slice(0, 40)).toBeGreaterThan(0);
    }
  });

  it('stop parsing a 5,000-token document', () => {
    const huge = `{ ${Array.from({ length: 5_000 }, () => '_').join(' ')} }`;
    expect(() => parse(huge, { maxTokens: env.MAX_TOKENS })).toThrow(/more th\w+ 1000 tokens/);
  });
});
