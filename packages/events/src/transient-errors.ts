/**
 * How the consumer tells an outage (retry, do not spend the event's attempts) from a failing event
 * (count the attempt, dead-letter in the end).
 *
 * `inHandler` says where the error came from. Outside a handler (starting the transaction, the inbox
 * insert, the commit) any connection-level failure is an outage. Inside, only the database's own
 * signals count: a handler's HTTP call failing with ECONNREFUSED is the event's problem, not an outage.
 */
export function isTransientDatabaseError(error: unknown, options: { inHandler: boolean }): boolean {
  for (const { code, message } of causes(error)) {
    if (code && (SQLSTATES.has(code) || code.startsWith('08') || PRISMA_CODES.has(code))) return true;
    if (code === 'P2028' && START_TIMEOUT.test(message)) return true;
    if (TERMINATED.test(message)) return true;
    if (!options.inHandler && code && NODE_CODES.has(code)) return true;
  }
  return false;
}

/** A PostgreSQL data exception (SQLSTATE class 22): the value cannot be stored as given. */
export function isDataError(error: unknown): boolean {
  return causes(error).some(({ code }) => code?.startsWith('22') === true);
}

// PostgreSQL: admin/crash shutdown, cannot connect now, too many connections, serialization, deadlock.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
// Prisma: can't reach / timed out reaching / connection closed / pool timeout.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const START_TIMEOUT = /Unable to start a transaction/i;
const TERMINATED =
  /Connection terminated|Can't reach database server|timeout exceeded when trying to connect/i;
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** `code` and `message` of the error and its causes, including Prisma's `meta.code` (the SQLSTATE). */
function causes(error: unknown): { code: string | undefined; message: string }[] {
  const found: { code: string | undefined; message: string }[] = [];
  for (
    let current = error, depth = 0;
    typeof current === 'object' && current !== null && depth < 5;
    depth += 1
  ) {
    const { code, message, meta, cause } = current as {
      code?: unknown;
      message?: unknown;
      meta?: { code?: unknown };
      cause?: unknown;
    };
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string') found.push({ code, message: text });
    if (typeof meta?.code === 'string') found.push({ code: meta.code, message: text });
    if (typeof code !== 'string' && typeof meta?.code !== 'string')
      found.push({ code: undefined, message: text });
    current = cause;
  }
  return found;
}
