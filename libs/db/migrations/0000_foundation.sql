CREATE SCHEMA "registry";
--> statement-breakpoint
CREATE SCHEMA "sessions";
--> statement-breakpoint
CREATE SCHEMA "audit";
--> statement-breakpoint
CREATE TABLE "registry"."submodules" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"git_url" text,
	"last_sync_at" timestamp with time zone,
	"sync_status" text DEFAULT 'ACTIVE' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions"."archive" (
	"entity_id" uuid PRIMARY KEY NOT NULL,
	"submodule_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"reason" text,
	"gdpr" boolean DEFAULT false NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"purge_after" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions"."changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"entity_id" uuid NOT NULL,
	"submodule_id" text NOT NULL,
	"privacy_level" text NOT NULL,
	"previous_privacy_level" text,
	"op" text NOT NULL,
	"version" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_changes_op" CHECK ("sessions"."changes"."op" in ('UPSERT', 'DELETE'))
);
--> statement-breakpoint
CREATE TABLE "sessions"."mutations" (
	"submodule_id" text NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mutations_submodule_id_key_pk" PRIMARY KEY("submodule_id","key")
);
--> statement-breakpoint
CREATE TABLE "sessions"."sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"submodule_id" text NOT NULL,
	"privacy_level" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp with time zone,
	"title" text NOT NULL,
	"description" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"content" jsonb,
	"content_hash" text,
	"content_bytes" integer DEFAULT 0 NOT NULL,
	"redaction" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "sessions_privacy_level" CHECK ("sessions"."sessions"."privacy_level" in ('PUBLIC', 'TEAM', 'PRIVATE')),
	CONSTRAINT "sessions_version" CHECK ("sessions"."sessions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "audit"."events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text,
	"submodule_id" text,
	"reason" text,
	"request_id" text,
	"outcome" text NOT NULL,
	"details" jsonb,
	CONSTRAINT "events_outcome" CHECK ("audit"."events"."outcome" in ('SUCCESS', 'DENIED', 'FAILED'))
);
--> statement-breakpoint
CREATE INDEX "archive_purge_after_index" ON "sessions"."archive" USING btree ("purge_after");--> statement-breakpoint
CREATE INDEX "changes_entity_id_index" ON "sessions"."changes" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "mutations_created_at_index" ON "sessions"."mutations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sessions_submodule_id_privacy_level_index" ON "sessions"."sessions" USING btree ("submodule_id","privacy_level");--> statement-breakpoint
CREATE INDEX "sessions_created_at_id_index" ON "sessions"."sessions" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "sessions_tags_index" ON "sessions"."sessions" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "events_resource_type_resource_id_index" ON "audit"."events" USING btree ("resource_type","resource_id");--> statement-breakpoint
CREATE INDEX "events_actor_at_index" ON "audit"."events" USING btree ("actor","at");