import { randomUUID } from 'node:crypto';
import { startKcatMockCluster, type KafkaMockCluster } from '../src/testing/index.ts';
import { describeDurability } from './durability.suite.ts';

let cluster: KafkaMockCluster | undefined;

describeDurability({
  name: 'kafka',
  setup: async () => {
    cluster = await startKcatMockCluster();
  },
  teardown: async () => {
    await cluster?.stop();
  },
  target: () => ({
    transport: 'kafka',
    brokers: cluster?.brokers ?? [],
    topicPrefix: `t${randomUUID().slice(0, 8)}.`,
  }),
  // Every broker stops answering (SIGSTOP of the mock cluster); open connections just go silent.
  brokerDown: async () => cluster?.pause(),
  brokerUp: async () => cluster?.resume(),
});
