// Rule-based auto-moderation of new reviews: pure, so every rule is unit-tested. A review that trips any
// rule waits as PENDING for an admin, with the reasons; everything else is APPROVED at once. The rules
// err on the side of holding: a false alarm costs an admin one look, a missed spam link is public.
import { quote } from './review-input.ts';

export type Verdict = { status: 'APPROVED'; reason: null } | { status: 'PENDING'; reason: string };

/** Words that hold a review (spam or abuse); matched whole, with common endings (-s, -ed, -ing, -er…). */
export const BANNED_WORDS: readonly string[] = [
  'fuck',
  'shit',
  'bitch',
  'bastard',
  'asshole',
  'cunt',
  'wanker',
  'dickhead',
  'viagra',
  'cialis',
  'casino',
  'porn',
];

/** Shouting: at least this many letters, and this share of them capitals. */
export const SHOUTING_MIN_LETTERS = 20;
export const SHOUTING_UPPERCASE_SHARE = 0.7;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;

// A scheme or "www.", or a bare host name under a top-level domain common in spam. The list leaves out
// endings that are English words ("to", "me", "top"), so a missing space after a full stop ("it.To be
// honest") is not taken for a link.
const LINK_WITH_SCHEME = /\b(?:https?:\/\/|www\.)[^\s"'<>]+/i;
const BARE_DOMAIN =
  /\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|net|org|info|biz|io|co|shop|store|online|site|xyz|ru|cn|de|uk|eu|ly)\b(?:\/[^\s"'<>]*)?/i;

// Digits with the separators people write phone numbers with; counted afterwards (9–15 digits), so dates
// ("2026-11-21"), prices and model numbers stay clear.
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}])\+?\(?\d[\d ()./-]*\d(?![\p{L}\p{N}])/gu;
const PHONE_DIGITS = { min: 9, max: 15 };

const BANNED = new RegExp(`\\b(?:${BANNED_WORDS.join('|')})(?:s|es|ed|ing|ings|er|ers|ty|y)?\\b`, 'i');

function findEmail(text: string): string | null {
  return EMAIL.exec(text)?.[0] ?? null;
}

function findLink(text: string): string | null {
  return LINK_WITH_SCHEME.exec(text)?.[0] ?? BARE_DOMAIN.exec(text)?.[0] ?? null;
}

function findPhoneNumber(text: string): string | null {
  for (const [candidate] of text.matchAll(PHONE_CANDIDATE)) {
    const digits = candidate.replace(/\D/g, '').length;
    if (digits >= PHONE_DIGITS.min && digits <= PHONE_DIGITS.max) return candidate.trim();
  }
  return null;
}

function findBannedWord(text: string): string | null {
  return BANNED.exec(text)?.[0] ?? null;
}

function isShouting(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const capitals = text.match(/\p{Lu}/gu)?.length ?? 0;
  return letters >= SHOUTING_MIN_LETTERS && capitals / letters >= SHOUTING_UPPERCASE_SHARE;
}

/** Every reason to hold the review, naming what was found; empty when it can be published at once. */
export function moderationReasons(review: { title: string; body: string }): string[] {
  // NFKC folds look-alikes (full-width letters, ligatures) so they cannot slip past the patterns.
  const text = `${review.title}\n${review.body}`.normalize('NFKC');
  const reasons: string[] = [];
  const email = findEmail(text);
  if (email) reasons.push(`contains an e-mail address: ${quote(email)}`);
  // An e-mail address also looks like a host name; look for links in the rest.
  const link = findLink(email ? text.split(email).join(' ') : text);
  if (link) reasons.push(`contains a link: ${quote(link)}`);
  const phone = findPhoneNumber(text);
  if (phone) reasons.push(`contains a phone number: ${quote(phone)}`);
  const banned = findBannedWord(text);
  if (banned) reasons.push(`contains a banned word: ${quote(banned)}`);
  if (isShouting(text)) reasons.push('is written in capitals');
  return reasons;
}

export function autoModerate(review: { title: string; body: string }): Verdict {
  const reasons = moderationReasons(review);
  return reasons.length === 0
    ? { status: 'APPROVED', reason: null }
    : { status: 'PENDING', reason: reasons.join('; ') };
}
