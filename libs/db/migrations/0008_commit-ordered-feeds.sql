CREATE TABLE "registry"."feed_clock" (
	"single" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"shift" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "registry"."feed_cursors" ADD COLUMN "txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions"."changes" ADD COLUMN "txid" bigint DEFAULT registry.feed_txid() NOT NULL;--> statement-breakpoint
ALTER TABLE "patterns"."changes" ADD COLUMN "txid" bigint DEFAULT registry.feed_txid() NOT NULL;--> statement-breakpoint
ALTER TABLE "checkpoints"."changes" ADD COLUMN "txid" bigint DEFAULT registry.feed_txid() NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_changes_position" ON "sessions"."changes" USING btree ("txid","seq","submodule_id","privacy_level","previous_privacy_level","op","entity_id","version","at");--> statement-breakpoint
CREATE INDEX "patterns_changes_position" ON "patterns"."changes" USING btree ("txid","seq","submodule_id","privacy_level","previous_privacy_level","op","entity_id","version","at");--> statement-breakpoint
CREATE INDEX "checkpoints_changes_position" ON "checkpoints"."changes" USING btree ("txid","seq","submodule_id","privacy_level","previous_privacy_level","op","entity_id","version","at");