/**
 * Remembers strings (tokens) that passed signature verification until they expire, so a token seen on
 * every request is verified once rather than each time. Signature checks are WebCrypto calls that showed
 * up in the storefront profile; a cache hit is a Map lookup. Bounded: when full it starts over.
 */
export class VerifiedCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs = Date.now()): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  set(token: string, value: T, expiresAtMs: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(token, { value, expiresAtMs });
  }
}
