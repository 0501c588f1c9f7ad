// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.
import type { UserRow } from './repositories/user.repository.ts';

export interface UserModel extends UserRow {
  /**
   * Set on the user returned by `register`/`login`: the caller just proved to be this user with a
   * password, although the request itself carries no access token yet.
   */
  viewerIsSelf?: boolean;
}

export const mappers = {
  User: '../mappers.ts#UserModel',
};
