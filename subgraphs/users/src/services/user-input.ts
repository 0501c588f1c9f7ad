import { userError, type UserError as KitUserError } from '@mp/kit';
import type { UserErrorCode } from '../generated/graphql.ts';

type UserError = KitUserError<UserErrorCode>;

export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 100;
// Deliberately loose (one @, no spaces, a dot in the domain): the only real check is a mail that arrives.
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** Emails are compared and stored lower-cased and trimmed. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Length in characters as a person counts them (code points, so an emoji is one). */
function length(value: string): number {
  return [...value].length;
}

export interface Registration {
  email: string;
  password: string;
  name: string;
}

export type CheckedRegistration = { ok: true; value: Registration } | { ok: false; errors: UserError[] };

/** Every problem with a sign-up at once, or the normalised values to store. */
export function checkRegistration(input: Registration): CheckedRegistration {
  const errors: UserError[] = [];
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  if (email.length > EMAIL_MAX) {
    errors.push(
      userError(
        ['input', 'email'],
        `Email must be at most ${EMAIL_MAX} characters, got ${email.length}`,
        'INVALID_INPUT',
      ),
    );
  } else if (!EMAIL_SHAPE.test(email)) {
    errors.push(
      userError(['input', 'email'], `"${input.email}" is not a valid email address`, 'INVALID_INPUT'),
    );
  }
  const passwordLength = length(input.password);
  if (passwordLength < PASSWORD_MIN || passwordLength > PASSWORD_MAX) {
    errors.push(
      userError(
        ['input', 'password'],
        `Password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters, got ${passwordLength}`,
        'INVALID_INPUT',
      ),
    );
  }
  const nameLength = length(name);
  if (nameLength < 1 || nameLength > NAME_MAX) {
    errors.push(
      userError(
        ['input', 'name'],
        `Name must be 1–${NAME_MAX} characters after trimming, got ${nameLength}`,
        'INVALID_INPUT',
      ),
    );
  }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, value: { email, password: input.password, name } };
}
