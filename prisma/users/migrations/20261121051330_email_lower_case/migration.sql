-- Hand-written (Prisma cannot express CHECK constraints). The users subgraph stores emails lower-cased so
-- the unique index on "email" is case-insensitive in effect; this keeps a stray write from breaking that.
ALTER TABLE "users" ADD CONSTRAINT "users_email_lower_case" CHECK ("email" = lower("email"));
