import { randomUUID } from 'node:crypto';
import { enqueueEvent } from '@mp/events';
import { unauthenticated, userError, type UserError as KitUserError } from '@mp/kit';
import type { Context } from '../context.ts';
import type { UserErrorCode } from '../generated/graphql.ts';
import { Prisma, type SellerStatus } from '../generated/prisma/client.ts';
import * as sellers from '../repositories/seller.repository.ts';
import type { SellerRow } from '../repositories/seller.repository.ts';

type UserError = KitUserError<UserErrorCode>;

export interface SellerPayload {
  seller: SellerRow | null;
  userErrors: UserError[];
}

const NAME_MIN = 2;
const NAME_MAX = 80;
const DESCRIPTION_MAX = 2000;

function validate(input: { name: string; description?: string | null }): UserError[] {
  const errors: UserError[] = [];
  const name = input.name.trim();
  if (name.length < NAME_MIN || name.length > NAME_MAX) {
    errors.push(
      userError(
        ['input', 'name'],
        `Shop name must be ${NAME_MIN}–${NAME_MAX} characters, got ${name.length}`,
        'INVALID_INPUT',
      ),
    );
  }
  if ((input.description?.length ?? 0) > DESCRIPTION_MAX) {
    errors.push(
      userError(
        ['input', 'description'],
        `Description must be at most ${DESCRIPTION_MAX} characters, got ${input.description?.length}`,
        'INVALID_INPUT',
      ),
    );
  }
  return errors;
}

function isUniqueViolation(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  return JSON.stringify(error.meta ?? {}).includes(field);
}

/** Opens a shop for the caller: the row and its `seller.created` event commit together. */
export async function createSeller(
  ctx: Context,
  input: { name: string; description?: string | null },
): Promise<SellerPayload> {
  if (!ctx.identity) throw unauthenticated();
  const ownerId = ctx.identity.userId;
  const errors = validate(input);
  if (errors.length > 0) return { seller: null, userErrors: errors };
  if (await ctx.loaders.sellerByOwnerId.load(ownerId)) {
    return {
      seller: null,
      userErrors: [userError(null, 'You already own a shop; each user can own one', 'ALREADY_EXISTS')],
    };
  }
  try {
    const seller = await ctx.prisma.$transaction(async (tx) => {
      const created = await sellers.create(tx, {
        id: randomUUID(),
        ownerId,
        name: input.name.trim(),
        description: input.description?.trim() || null,
        status: 'ACTIVE',
      });
      await enqueueEvent(tx, 'seller.created', created.id, {
        sellerId: created.id,
        ownerId,
        name: created.name,
        status: created.status,
      });
      return created;
    });
    return { seller, userErrors: [] };
  } catch (error) {
    // Two concurrent requests can both pass the checks above; the unique indexes decide.
    if (isUniqueViolation(error, 'name')) {
      return {
        seller: null,
        userErrors: [
          userError(['input', 'name'], `The shop name "${input.name.trim()}" is taken`, 'NAME_TAKEN'),
        ],
      };
    }
    if (isUniqueViolation(error, 'owner')) {
      return {
        seller: null,
        userErrors: [userError(null, 'You already own a shop; each user can own one', 'ALREADY_EXISTS')],
      };
    }
    throw error;
  }
}

/** Admin decision on a shop; emits `seller.status_changed` so other subgraphs can react. */
export async function setSellerStatus(
  ctx: Context,
  id: string,
  status: SellerStatus,
): Promise<SellerPayload> {
  const current = await ctx.loaders.sellerById.load(id);
  if (!current)
    return { seller: null, userErrors: [userError(['id'], `Seller "${id}" was not found`, 'NOT_FOUND')] };
  if (current.status === status) return { seller: current, userErrors: [] };
  const seller = await ctx.prisma.$transaction(async (tx) => {
    const updated = await sellers.updateStatus(tx, id, status);
    await enqueueEvent(tx, 'seller.status_changed', id, {
      sellerId: id,
      ownerId: updated.ownerId,
      status,
      previousStatus: current.status,
    });
    return updated;
  });
  return { seller, userErrors: [] };
}
