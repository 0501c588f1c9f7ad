export interface SubgraphHealth {
  name: string;
  ok: boolean;
  error?: string;
}

/** Asks every subgraph's `/health` (which checks its database); ok only when all answer 200. */
export async function checkSubgraphs(
  urls: Readonly<Record<string, string>>,
  timeoutMs = 2_000,
): Promise<SubgraphHealth[]> {
  return Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
        return response.ok ? { name, ok: true } : { name, ok: false, error: `HTTP ${response.status}` };
      } catch (error) {
        return { name, ok: false, error: (error as Error).message };
      }
    }),
  );
}
