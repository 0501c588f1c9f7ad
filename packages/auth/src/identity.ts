/** The scopes a token can carry. A seller token is bound to exactly one seller id. */
export const SCOPES = ['buyer', 'seller', 'admin', 'carrier'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling, as proven by a verified access token. */
export interface Identity {
  userId: string;
  scopes: readonly Scope[];
  /** Present when the user owns a shop (and then `scopes` includes `seller`). */
  sellerId: string | null;
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}
