ALTER TABLE "sessions"."sessions" ALTER COLUMN "created_at" SET DEFAULT date_trunc('milliseconds', now());--> statement-breakpoint
ALTER TABLE "patterns"."patterns" ALTER COLUMN "created_at" SET DEFAULT date_trunc('milliseconds', now());--> statement-breakpoint
ALTER TABLE "patterns"."patterns" ALTER COLUMN "first_seen_at" SET DEFAULT date_trunc('milliseconds', now());--> statement-breakpoint
ALTER TABLE "patterns"."patterns" ALTER COLUMN "last_seen_at" SET DEFAULT date_trunc('milliseconds', now());--> statement-breakpoint
ALTER TABLE "checkpoints"."checkpoints" ALTER COLUMN "created_at" SET DEFAULT date_trunc('milliseconds', now());