import { forbidden, unauthenticated } from '@mp/kit';
import type { Context } from '../context.ts';
import type { UserModel } from '../mappers.ts';

/** The signed-in user's row; a token for an account that no longer exists means "sign in again". */
export async function me(ctx: Context): Promise<UserModel> {
  if (!ctx.identity) throw unauthenticated('You must be signed in to read Query.me');
  const user = await ctx.loaders.userById.load(ctx.identity.userId);
  if (!user) {
    throw unauthenticated(
      `The account "${ctx.identity.userId}" of this access token no longer exists; sign in again`,
    );
  }
  return user;
}

/** Private fields (email, roles) are for the user themself and admins only. */
export function readPrivate<K extends 'email' | 'roles'>(
  ctx: Context,
  user: UserModel,
  field: K,
): UserModel[K] {
  const self = user.viewerIsSelf === true || ctx.identity?.userId === user.id;
  if (self || ctx.identity?.scopes.includes('admin')) return user[field];
  throw forbidden(`User.${field} of user "${user.id}" is visible only to that user and to admins`);
}
