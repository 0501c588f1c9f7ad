import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/gateway-request-contexts.mjs', import.meta.url));

// Apollo Server 5.5.1 built `response.http` of every gateway request context as an object literal with
// per-request accessor closures. V8 kept such objects in dictionary mode, and each one held its
// request's whole object graph through young-generation GCs until the next full GC: in the gateway,
// ~3 MB promoted per scavenge and pauses 2–3× longer (patches/@apollo__server@5.5.1.patch). V8's own
// view of the objects is the check, so it runs in a child process with --allow-natives-syntax.
describe('the request contexts Apollo Server hands the gateway executor', () => {
  const result = JSON.parse(
    execFileSync(process.execPath, ['--allow-natives-syntax', fixture], { encoding: 'utf8' }),
  ) as { fastProperties: boolean; oneHiddenClass: boolean; statuses: number[] };

  it('are ordinary fast objects of one hidden class, so no request outlives its response in the heap', () => {
    expect(result.fastProperties).toBe(true);
    expect(result.oneHiddenClass).toBe(true);
  });

  it('still carry the status the executor sets to the HTTP response', () => {
    expect(result.statuses).toEqual([201, 202, 203, 204, 205, 206, 207, 208, 209, 210]);
  });
});
