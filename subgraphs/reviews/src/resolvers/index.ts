import type { Resolvers } from '../generated/graphql.ts';
import * as ratingService from '../services/rating.service.ts';
import * as moderationService from '../services/review-moderation.service.ts';
import * as submissionService from '../services/review-submission.service.ts';
import * as reviewService from '../services/review.service.ts';

export const resolvers: Resolvers = {
  Query: {
    review: (_, { id }, ctx) => reviewService.findVisibleReview(ctx, id),
    pendingReviews: (_, args, ctx) => moderationService.pendingReviews(ctx, args),
  },
  Mutation: {
    addReview: (_, { input }, ctx) => submissionService.addReview(ctx, input),
    moderateReview: (_, { id, decision }, ctx) => moderationService.moderateReview(ctx, id, decision),
  },
  Review: {
    __resolveReference: (ref, ctx) => reviewService.findVisibleReview(ctx, ref.id),
    createdAt: (review) => review.createdAt.toISOString(),
    product: (review) => ({ id: review.productId }),
    author: (review) => ({ id: review.authorId }),
  },
  ReviewConnection: {
    totalCount: (connection) => connection.totalCount(),
  },
  Product: {
    __resolveReference: (ref) => ({ id: ref.id }),
    reviews: (product, args, ctx) => reviewService.productReviews(ctx, product.id, args),
    rating: (product, _, ctx) => ratingService.productRating(ctx, product.id),
  },
  Seller: {
    __resolveReference: (ref) => ({ id: ref.id }),
    rating: (seller, _, ctx) => ratingService.sellerRating(ctx, seller.id),
  },
};
