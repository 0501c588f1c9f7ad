import { createLogger } from '@mp/kit';
import { loadEnv, processEnv } from './env.ts';
import { startPaymentSandbox } from './server.ts';

// The sandbox provider in its own process: `pnpm --filter @mp/payment-sandbox start`.
const env = loadEnv(processEnv());
const log = createLogger('payment-sandbox', env.LOG_LEVEL);
const sandbox = await startPaymentSandbox({
  host: env.HOST,
  port: env.PORT,
  apiKey: env.PAYMENT_SANDBOX_API_KEY,
  dataFile: env.PAYMENT_SANDBOX_DATA_FILE,
  unavailableDelayMs: env.PAYMENT_SANDBOX_UNAVAILABLE_DELAY_MS,
  log,
});

const shutdown = async () => {
  await sandbox.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
