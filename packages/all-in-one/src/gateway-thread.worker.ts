// The gateway's thread in all-in-one mode (see gateway-thread.ts): start, report the port, stop on request.
import { parentPort, workerData } from 'node:worker_threads';
import { createGateway, loadEnv } from '@mp/gateway';
import { createLogger, type EnvSource } from '@mp/kit';
import type { RealtimeToGateway } from './gateway-thread.ts';

const port = parentPort;
if (!port) throw new Error('gateway-thread.worker.ts runs only as a worker thread');
const { source } = workerData as { source: EnvSource };

try {
  const env = loadEnv(source);
  const gateway = await createGateway(env, createLogger('gateway', env.LOG_LEVEL));
  const listening = await gateway.listen();
  port.on('message', (message: 'stop' | RealtimeToGateway) => {
    if (message === 'stop') {
      void gateway.stop().finally(() => port.close()); // nothing else keeps the thread alive
      return;
    }
    void gateway.pubsub.publish(message.channel, message.message);
  });
  port.postMessage({ type: 'listening', port: listening });
} catch (error) {
  port.postMessage({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  port.close();
}
