CREATE SCHEMA "patterns";
--> statement-breakpoint
CREATE SCHEMA "checkpoints";
--> statement-breakpoint
CREATE TABLE "registry"."feed_cursors" (
	"consumer" text NOT NULL,
	"feed" text NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feed_cursors_consumer_feed_pk" PRIMARY KEY("consumer","feed")
);
--> statement-breakpoint
CREATE TABLE "patterns"."archive" (
	"entity_id" uuid PRIMARY KEY NOT NULL,
	"submodule_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"reason" text,
	"gdpr" boolean DEFAULT false NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"purge_after" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patterns"."changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"entity_id" uuid NOT NULL,
	"submodule_id" text NOT NULL,
	"privacy_level" text NOT NULL,
	"previous_privacy_level" text,
	"op" text NOT NULL,
	"version" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patterns_changes_op" CHECK ("patterns"."changes"."op" in ('UPSERT', 'DELETE'))
);
--> statement-breakpoint
CREATE TABLE "patterns"."mutations" (
	"submodule_id" text NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mutations_submodule_id_key_pk" PRIMARY KEY("submodule_id","key")
);
--> statement-breakpoint
CREATE TABLE "patterns"."sources" (
	"pattern_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"submodule_id" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sources_pattern_id_session_id_pk" PRIMARY KEY("pattern_id","session_id")
);
--> statement-breakpoint
CREATE TABLE "patterns"."patterns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"submodule_id" text NOT NULL,
	"privacy_level" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp with time zone,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"body" jsonb,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"fingerprint" text NOT NULL,
	"merge_scope" text NOT NULL,
	"occurrences" integer DEFAULT 1 NOT NULL,
	"usage_count" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"redaction" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "patterns_privacy_level" CHECK ("patterns"."patterns"."privacy_level" in ('PUBLIC', 'TEAM', 'PRIVATE')),
	CONSTRAINT "patterns_kind" CHECK ("patterns"."patterns"."kind" in ('SOLUTION', 'ERROR_FIX', 'CONVENTION', 'WORKFLOW', 'ANTI_PATTERN'))
);
--> statement-breakpoint
CREATE TABLE "checkpoints"."archive" (
	"entity_id" uuid PRIMARY KEY NOT NULL,
	"submodule_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"reason" text,
	"gdpr" boolean DEFAULT false NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"purge_after" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "checkpoints"."changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"entity_id" uuid NOT NULL,
	"submodule_id" text NOT NULL,
	"privacy_level" text NOT NULL,
	"previous_privacy_level" text,
	"op" text NOT NULL,
	"version" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkpoints_changes_op" CHECK ("checkpoints"."changes"."op" in ('UPSERT', 'DELETE'))
);
--> statement-breakpoint
CREATE TABLE "checkpoints"."mutations" (
	"submodule_id" text NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mutations_submodule_id_key_pk" PRIMARY KEY("submodule_id","key")
);
--> statement-breakpoint
CREATE TABLE "checkpoints"."sessions" (
	"checkpoint_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	CONSTRAINT "sessions_checkpoint_id_session_id_pk" PRIMARY KEY("checkpoint_id","session_id")
);
--> statement-breakpoint
CREATE TABLE "checkpoints"."checkpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"submodule_id" text NOT NULL,
	"privacy_level" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp with time zone,
	"title" text NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"git_ref" text,
	"summary" text,
	"content" text,
	"content_hash" text,
	"content_bytes" integer DEFAULT 0 NOT NULL,
	"redaction" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "checkpoints_privacy_level" CHECK ("checkpoints"."checkpoints"."privacy_level" in ('PUBLIC', 'TEAM', 'PRIVATE'))
);
--> statement-breakpoint
ALTER TABLE "patterns"."sources" ADD CONSTRAINT "sources_pattern_id_patterns_id_fk" FOREIGN KEY ("pattern_id") REFERENCES "patterns"."patterns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkpoints"."sessions" ADD CONSTRAINT "sessions_checkpoint_id_checkpoints_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoints"."checkpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "archive_purge_after_index" ON "patterns"."archive" USING btree ("purge_after");--> statement-breakpoint
CREATE INDEX "changes_entity_id_index" ON "patterns"."changes" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "mutations_created_at_index" ON "patterns"."mutations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sources_session_id_index" ON "patterns"."sources" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patterns_live_fingerprint" ON "patterns"."patterns" USING btree ("fingerprint","merge_scope") WHERE "patterns"."patterns"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "patterns_submodule_id_privacy_level_index" ON "patterns"."patterns" USING btree ("submodule_id","privacy_level");--> statement-breakpoint
CREATE INDEX "patterns_occurrences_id_index" ON "patterns"."patterns" USING btree ("occurrences","id");--> statement-breakpoint
CREATE INDEX "patterns_usage_count_id_index" ON "patterns"."patterns" USING btree ("usage_count","id");--> statement-breakpoint
CREATE INDEX "patterns_last_seen_at_id_index" ON "patterns"."patterns" USING btree ("last_seen_at","id");--> statement-breakpoint
CREATE INDEX "patterns_tags_index" ON "patterns"."patterns" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "archive_purge_after_index" ON "checkpoints"."archive" USING btree ("purge_after");--> statement-breakpoint
CREATE INDEX "changes_entity_id_index" ON "checkpoints"."changes" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "mutations_created_at_index" ON "checkpoints"."mutations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sessions_session_id_index" ON "checkpoints"."sessions" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "checkpoints_submodule_id_taken_at_index" ON "checkpoints"."checkpoints" USING btree ("submodule_id","taken_at");--> statement-breakpoint
CREATE INDEX "checkpoints_created_at_id_index" ON "checkpoints"."checkpoints" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "checkpoints_git_ref_index" ON "checkpoints"."checkpoints" USING btree ("git_ref");