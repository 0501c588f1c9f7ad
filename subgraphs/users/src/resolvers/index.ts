import type { Resolvers } from '../generated/graphql.ts';
import { login } from '../services/login.service.ts';
import { register } from '../services/registration.service.ts';
import * as sessionService from '../services/session.service.ts';
import * as userService from '../services/user.service.ts';

export const resolvers: Resolvers = {
  Query: {
    me: (_, __, ctx) => userService.me(ctx),
  },
  Mutation: {
    register: (_, { input }, ctx) => register(ctx, input),
    login: (_, { input }, ctx) => login(ctx, input),
    refreshSession: (_, { refreshToken }, ctx) => sessionService.refreshSession(ctx, refreshToken),
    logout: (_, { refreshToken }, ctx) => sessionService.logout(ctx, refreshToken),
  },
  User: {
    __resolveReference: (ref, ctx) => ctx.loaders.userById.load(ref.id),
    email: (user, _, ctx) => userService.readPrivate(ctx, user, 'email'),
    roles: (user, _, ctx) => userService.readPrivate(ctx, user, 'roles'),
    createdAt: (user) => user.createdAt.toISOString(),
  },
};
