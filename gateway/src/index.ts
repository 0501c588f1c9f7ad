import { createLogger } from '@mp/kit';
import { createGateway } from './gateway.ts';
import { loadEnv, processEnv } from './env.ts';

// The gateway in its own process: `pnpm --filter @mp/gateway start`.
const env = loadEnv(processEnv());
const log = createLogger('gateway', env.LOG_LEVEL);
const gateway = await createGateway(env, log);
const port = await gateway.listen();
log.info({ port }, `gateway listening on http://localhost:${port}/graphql`);
const shutdown = async () => {
  await gateway.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
