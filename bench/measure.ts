// Shared by the benchmark scripts: how they read figures.

/** The p-th percentile (nearest rank) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * `db_statements_total` per database from a subgraph's `/metrics` (the all-in-one process's subgraphs
 * share one registry, so any of them reports every database).
 */
export async function statementCounts(
  metricsUrl: string,
  options: { requestPoolsOnly?: boolean } = {},
): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^db_statements_total\{database="([\w-]+)"\} (\d+)/gm)) {
    // Background pools are labelled `<subgraph>-<role>` (the payments worker's): they poll on their own.
    if (options.requestPoolsOnly && match[1]!.includes('-')) continue;
    counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

/** `/metrics` next to a subgraph's or the gateway's `/graphql` URL. */
export const metricsUrlOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');
