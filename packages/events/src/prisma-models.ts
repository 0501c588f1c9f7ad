/**
 * The Prisma models every producing or consuming subgraph adds to its `prisma/<name>/schema.prisma`.
 * Producers need `OutboxEvent`; consumers need `InboxEvent` and `DeadLetterEvent`. The raw SQL in this
 * package uses the mapped snake_case table and column names, so keep the `@map`s as they are.
 */
export const OUTBOX_PRISMA_MODELS = `/// Transactional outbox (see @mp/events): rows written in the same transaction as the state change.
model OutboxEvent {
  seq         BigInt    @id @default(autoincrement())
  id          String    @unique @db.Uuid
  type        String
  version     Int
  aggregateId String    @map("aggregate_id")
  data        Json
  occurredAt  DateTime  @default(now()) @map("occurred_at") @db.Timestamptz(3)
  publishedAt DateTime? @map("published_at") @db.Timestamptz(3)

  @@index([publishedAt, seq])
  @@map("outbox_events")
}

/// Idempotent consumers (see @mp/events): one row per processed event id and consumer group.
model InboxEvent {
  eventId     String   @map("event_id") @db.Uuid
  consumer    String
  type        String
  processedAt DateTime @default(now()) @map("processed_at") @db.Timestamptz(3)

  @@id([eventId, consumer])
  @@map("inbox_events")
}

/// Events a consumer gave up on (see @mp/events): invalid, or its handler failed every retry.
model DeadLetterEvent {
  id          String   @id @db.Uuid
  consumer    String
  type        String
  aggregateId String   @map("aggregate_id")
  envelope    Json
  error       String
  attempts    Int
  failedAt    DateTime @default(now()) @map("failed_at") @db.Timestamptz(3)

  @@map("dead_letter_events")
}
`;
