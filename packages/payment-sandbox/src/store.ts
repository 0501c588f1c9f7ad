import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';

export type AuthorizationStatus = 'authorized' | 'captured' | 'voided' | 'refunded';

/** A hold on a card, as the provider keeps it. */
export interface Authorization {
  id: string;
  status: AuthorizationStatus;
  amountMinor: number;
  currencyCode: string;
  reference: string;
  token: string;
  createdAt: string;
  updatedAt: string;
}

/** The stored outcome of a request made with an Idempotency-Key, replayed for the same request. */
export interface IdempotentResponse {
  key: string;
  /** Method, path and body of the request that used the key first. */
  fingerprint: string;
  status: number;
  body: unknown;
}

/** One line of the data file: everything one request changed, so a torn line loses it all or nothing. */
interface Change {
  authorization?: Authorization;
  response?: IdempotentResponse;
}

/**
 * The sandbox's state: authorizations and idempotency keys, in memory, optionally journaled to an NDJSON
 * file (one line per request that changed something, written before the response is sent) and replayed
 * at start, so a restarted sandbox still knows what it authorized and which keys it answered.
 */
export class SandboxStore {
  private readonly authorizations = new Map<string, Authorization>();
  private readonly responses = new Map<string, IdempotentResponse>();

  constructor(private readonly dataFile?: string) {
    if (dataFile && existsSync(dataFile)) this.replay(dataFile);
  }

  authorization(id: string): Authorization | undefined {
    return this.authorizations.get(id);
  }

  /** The authorizations made for a reference (an order id), oldest first. */
  authorizationsFor(reference: string): Authorization[] {
    return [...this.authorizations.values()].filter((a) => a.reference === reference);
  }

  response(key: string): IdempotentResponse | undefined {
    return this.responses.get(key);
  }

  /** Applies a change and journals it first, so nothing is answered that a restart would forget. */
  commit(change: Change): void {
    if (this.dataFile) appendFileSync(this.dataFile, `${JSON.stringify(change)}\n`);
    this.apply(change);
  }

  private apply(change: Change): void {
    if (change.authorization) this.authorizations.set(change.authorization.id, change.authorization);
    if (change.response) this.responses.set(change.response.key, change.response);
  }

  private replay(file: string): void {
    const text = readFileSync(file, 'utf8');
    let end = 0;
    for (const [index, line] of text.split('\n').entries()) {
      const lineEnd = end + line.length + 1;
      if (line.trim() !== '') {
        let change: Change;
        try {
          change = JSON.parse(line) as Change;
        } catch {
          // A process killed mid-append leaves a torn last line: drop it (its request was never answered).
          if (lineEnd > text.length) break;
          throw new Error(`${file}: line ${index + 1} is not JSON; the data file is corrupt`);
        }
        if (lineEnd > text.length) break; // complete JSON but no newline: still a torn write
        this.apply(change);
      }
      end = Math.min(lineEnd, text.length);
    }
    if (end < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  }
}
