import { userError, type UserError as KitUserError } from '@mp/kit';
import type { UserErrorCode } from '../generated/graphql.ts';

type UserError = KitUserError<UserErrorCode>;

export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 100;
// Deliberately loose (one @, no spaces, a dot in the domain): the only real check is a mail that arrives.
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;
// PostgreSQL text cannot hold NUL, and no name or address needs control characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** True when the string could be stored and looked up as an email at all (no database round trip otherwise). */
export function isStorableEmail(email: string): boolean {
  return email.length <= EMAIL_MAX && !CONTROL_CHARACTERS.test(email);
}

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

const invalid = (field: string, message: string): UserError =>
  userError(['input', field], message, 'INVALID_INPUT');

function emailProblem(raw: string, email: string): UserError | null {
  if (email.length > EMAIL_MAX) {
    return invalid('email', `Email must be at most ${EMAIL_MAX} characters, got ${email.length}`);
  }
  if (!EMAIL_SHAPE.test(email) || CONTROL_CHARACTERS.test(email)) {
    return invalid('email', `${JSON.stringify(raw)} is not a valid email address`);
  }
  return null;
}

function passwordProblem(password: string): UserError | null {
  const count = length(password);
  if (count >= PASSWORD_MIN && count <= PASSWORD_MAX) return null;
  return invalid('password', `Password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters, got ${count}`);
}

function nameProblem(name: string): UserError | null {
  const count = length(name);
  if (count < 1 || count > NAME_MAX) {
    return invalid('name', `Name must be 1–${NAME_MAX} characters after trimming, got ${count}`);
  }
  if (CONTROL_CHARACTERS.test(name)) {
    return invalid('name', `Name must not contain control characters, got ${JSON.stringify(name)}`);
  }
  return null;
}

/** Every problem with a sign-up at once, or the normalised values to store. */
export function checkRegistration(input: Registration): CheckedRegistration {
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  const errors = [
    emailProblem(input.email, email),
    passwordProblem(input.password),
    nameProblem(name),
  ].filter((error): error is UserError => error !== null);
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, value: { email, password: input.password, name } };
}
