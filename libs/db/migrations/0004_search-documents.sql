CREATE SCHEMA "search";
--> statement-breakpoint
CREATE TABLE "search"."documents" (
	"entity_id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"submodule_id" text NOT NULL,
	"privacy_level" text NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"tsv" "tsvector" NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "documents_tsv" ON "search"."documents" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "documents_submodule_id_privacy_level_index" ON "search"."documents" USING btree ("submodule_id","privacy_level");--> statement-breakpoint
CREATE INDEX "documents_kind_index" ON "search"."documents" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "documents_created_at_index" ON "search"."documents" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "documents_tags_index" ON "search"."documents" USING gin ("tags");