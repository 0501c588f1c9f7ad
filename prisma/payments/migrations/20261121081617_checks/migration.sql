-- Hand-written: CHECK constraints and a partial index, which Prisma cannot express (see
-- prisma/tools/diff-cli.ts).

-- Backstops for the rules in subgraphs/payments/src/services: amounts are non-negative minor units, a
-- failure reason goes with (and only with) FAILED, and once order.placed was seen the payment knows
-- whom and what it charges.
ALTER TABLE "payments" ADD CONSTRAINT "payments_amount_non_negative" CHECK ("amount_minor" >= 0);
ALTER TABLE "payments" ADD CONSTRAINT "payments_failure_reason_iff_failed"
  CHECK (("status" = 'FAILED') = ("failure_reason" IS NOT NULL));
ALTER TABLE "payments" ADD CONSTRAINT "payments_placed_is_complete"
  CHECK (NOT "order_placed" OR ("buyer_id" IS NOT NULL AND "amount_minor" IS NOT NULL
    AND "currency_code" IS NOT NULL AND "token" IS NOT NULL AND "order_placed_at" IS NOT NULL));
ALTER TABLE "provider_calls" ADD CONSTRAINT "provider_calls_attempts_non_negative" CHECK ("attempts" >= 0);

-- The worker's poll: due calls still to make, soonest first. Finished calls (nearly all rows) stay out.
CREATE INDEX "provider_calls_due_idx" ON "provider_calls" ("next_attempt_at") WHERE "status" = 'PENDING';
