import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/promoted-per-request.ts', import.meta.url));

function promotedPerRequest(mode: 'extendContext' | 'spread'): number {
  const output = execFileSync(
    process.execPath,
    ['--max-semi-space-size=64', '--import', 'tsx', fixture, mode],
    { encoding: 'utf8' },
  );
  return (JSON.parse(output) as { promotedPerRequest: number }).promotedPerRequest;
}

// A request's objects should die young. Two copies made per request kept them alive until the next full
// GC instead: Apollo Server's `{ ...requestContext, useLegacyIncremental }` in its request pipeline
// (patches/@apollo__server@5.5.1.patch) and every subgraph's `{ ...base, ...parts }` context (now built
// by the subgraph server with extendContext): about 0.4 KB promoted per request each (why V8 keeps them
// is not established). Measured in a child process: bytes young-generation GCs move to the old
// generation per request.
describe('a subgraph request under load', () => {
  const viaExtendContext = promotedPerRequest('extendContext');
  const viaSpread = promotedPerRequest('spread');

  it('leaves little in the old generation (the Apollo Server patch applied, contexts from extendContext)', () => {
    expect(viaExtendContext).toBeLessThan(300);
  });

  it('is measured finely enough to see a spread context copy (the control)', () => {
    expect(viaSpread - viaExtendContext).toBeGreaterThan(60);
  });
});
