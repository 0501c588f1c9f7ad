import { createMemoryPubSub } from '../../src/realtime/memory-pubsub.ts';
import { describePubSubContract } from './pubsub.contract.ts';

describePubSubContract('memory', async () => createMemoryPubSub());
