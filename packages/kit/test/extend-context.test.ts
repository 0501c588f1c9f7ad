import { describe, expect, it } from 'vitest';
import { extendContext, type BaseContext } from '../src/context.ts';
import { createLogger } from '../src/logger.ts';

const base = (): BaseContext => ({
  identity: { userId: 'user-1', scopes: ['buyer'], sellerId: null },
  requestId: 'request-1',
  log: createLogger('test', 'silent'),
});

describe('extendContext', () => {
  it('adds the parts to the base itself, so resolvers see one object with both', () => {
    const context = base();
    const extended = extendContext(context, { loaders: 'fresh' });
    expect(extended).toBe(context);
    expect(extended.loaders).toBe('fresh');
    expect(extended.identity?.userId).toBe('user-1');
  });

  it('refuses, at compile time, parts that would replace the verified identity or the request id', () => {
    const forgedIdentity = { identity: { userId: 'someone-else', scopes: ['admin'], sellerId: null } };
    // @ts-expect-error identity is the base's: a subgraph's parts cannot replace it
    const forged = () => extendContext(base(), forgedIdentity);
    // @ts-expect-error requestId is the base's too
    const renamed = () => extendContext(base(), { requestId: 'mine' });
    expect([forged, renamed]).toHaveLength(2); // compiled, never called: the check is the type error
  });
});
