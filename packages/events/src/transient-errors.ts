/**
 * Whether an error says the database (not the event) is the problem: connection lost or refused, the
 * server shutting down or out of connections, a deadlock or serialization failure. The consumer retries
 * those without spending the event's attempts, so an outage never sends good events to dead letter.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (typeof current !== 'object') break;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && isTransientCode(code)) return true;
    if (typeof message === 'string' && TRANSIENT_MESSAGE.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
// PostgreSQL: admin/crash shutdown, cannot connect now, too many connections, deadlock, serialization.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
// Prisma: can't reach / timed out / connection closed / pool timeout.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const TRANSIENT_MESSAGE =
  /Connection terminated|connection (?:is )?closed|Can't reach database server|timeout exceeded when trying to connect/i;

function isTransientCode(code: string): boolean {
  return NODE_CODES.has(code) || SQLSTATES.has(code) || PRISMA_CODES.has(code) || code.startsWith('08');
}
