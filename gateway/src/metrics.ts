/** What the gateway reports at GET /metrics, in Prometheus's text format. */
export interface GatewayStats {
  connections: number;
  subscriptions: number;
  groups: number;
}

export function metricsText(stats: GatewayStats): string {
  const memory = process.memoryUsage();
  const metrics: [name: string, help: string, value: number][] = [
    ['gateway_ws_connections', 'Open graphql-ws connections', stats.connections],
    ['gateway_ws_subscriptions', 'Live subscriptions', stats.subscriptions],
    [
      'gateway_ws_subscription_groups',
      'Distinct payloads resolved per change (subscribers sharing one)',
      stats.groups,
    ],
    ['gateway_heap_used_bytes', 'V8 heap in use by the gateway (its own isolate)', memory.heapUsed],
    ['process_resident_memory_bytes', 'Resident memory of the whole process', memory.rss],
  ];
  return metrics
    .map(([name, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`)
    .join('');
}
