import { Worker } from 'node:worker_threads';
import type { RealtimeMessage } from '@mp/gateway';
import type { EnvSource } from '@mp/kit';

export interface GatewayHandle {
  port: number;
  /** Hands a realtime change to the gateway's subscribers. */
  publish: (channel: string, message: RealtimeMessage) => void;
  stop: () => Promise<void>;
}

/** A realtime change for the gateway thread (the bus lives on the main thread). */
export interface RealtimeToGateway {
  type: 'realtime';
  channel: string;
  message: RealtimeMessage;
}

type FromGateway = { type: 'listening'; port: number } | { type: 'failed'; error: string };

/**
 * Starts the gateway on its own thread (gateway-thread.worker.ts): query planning and response
 * assembly get their own event loop instead of queueing behind the subgraphs' work. The gateway talks
 * to the subgraphs over HTTP anyway; nothing is shared but the environment.
 */
export function startGatewayThread(source: EnvSource): Promise<GatewayHandle> {
  // The worker registers tsx itself before loading the TypeScript entry, so it runs the same way under
  // `node --import tsx` and under a test runner.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./gateway-thread.worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { source } });
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new Error(`the gateway thread exited with code ${code} before listening`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', (message: FromGateway) => {
      if (message.type === 'failed')
        return reject(new Error(`the gateway failed to start: ${message.error}`));
      worker.off('exit', onExit);
      resolve({
        port: message.port,
        publish: (channel, realtime) =>
          worker.postMessage({ type: 'realtime', channel, message: realtime } satisfies RealtimeToGateway),
        stop: () =>
          new Promise<void>((done) => {
            worker.once('exit', () => done());
            worker.postMessage('stop');
          }),
      });
    });
  });
}
