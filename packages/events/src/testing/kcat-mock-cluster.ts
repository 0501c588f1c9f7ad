import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The state letter of /proc/<pid>/stat ('T' = stopped); undefined where there is no /proc. */
function processState(pid: number | undefined): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Waits until `done()` holds, or 300 ms at most (no /proc: the signal has surely landed by then). */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 300; waited += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface KafkaMockCluster {
  /** `host:port` of each mock broker, for `KAFKA_BROKERS` / `createKafkaBus({ brokers })`. */
  brokers: string[];
  /**
   * Freezes every broker (SIGSTOP): connections stay open but nothing answers, as in a network outage.
   * Resolves once the process is actually stopped (signals are delivered asynchronously).
   */
  pause(): Promise<void>;
  /** Lets the frozen brokers answer again (SIGCONT), with their topics and committed offsets intact. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'The Kafka transport tests need kcat (Debian: `apt-get install -y kcat`); .ci/run installs it.';

/**
 * A real Kafka wire-protocol cluster on loopback: librdkafka's mock cluster, started through kcat
 * (which keeps it alive while it waits on a topic). Topics are auto-created with 4 partitions; consumer
 * groups, offset commits and rebalances work; admin topic creation and transactions do not.
 */
export async function startKcatMockCluster(options: { brokers?: number } = {}): Promise<KafkaMockCluster> {
  const child = spawn(
    'kcat',
    [
      '-X',
      `test.mock.num.brokers=${options.brokers ?? 3}`,
      '-b',
      'unused:9092',
      '-C',
      '-q',
      '-t',
      '__keepalive',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const brokers = await new Promise<string[]>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat did not report its mock brokers within 10 s; it said: ${stderr.trim()}`));
    }, 10_000);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error(`kcat is not installed. ${INSTALL_HINT}`) : error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kcat exited (code ${code}) before starting its mock cluster: ${stderr.trim()}`));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /replaced with (\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].split(','));
      }
    });
  });

  return {
    brokers,
    async pause() {
      child.kill('SIGSTOP');
      await until(() => processState(child.pid) === 'T');
    },
    async resume() {
      child.kill('SIGCONT');
      await until(() => processState(child.pid) !== 'T');
    },
    async stop() {
      process.off('exit', killOnExit);
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
