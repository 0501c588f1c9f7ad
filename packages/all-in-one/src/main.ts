import { createLogger } from '@mp/kit';
import { loadEnv, processEnv } from './env.ts';
import { startAllInOne } from './start.ts';

// `pnpm start`: the whole marketplace in one process on embedded defaults.
const startedAt = Date.now();
const env = loadEnv(processEnv());
const log = createLogger('all-in-one', env.LOG_LEVEL);
const system = await startAllInOne(env, { randomPorts: env.RANDOM_PORTS });
log.info(
  {
    seconds: (Date.now() - startedAt) / 1000,
    subgraphs: Object.fromEntries(system.subgraphs.map((s) => [s.name, s.url])),
  },
  `marketplace ready: ${system.gatewayUrl} (Apollo Sandbox in a browser; health at /health)`,
);
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await system.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
