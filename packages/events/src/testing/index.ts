export { startKcatMockCluster } from './kcat-mock-cluster.ts';
export type { KafkaMockCluster } from './kcat-mock-cluster.ts';
