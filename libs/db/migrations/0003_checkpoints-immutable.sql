-- Custom migration: a checkpoint never changes once written. The only UPDATE
-- allowed is the tombstone of a deletion (deleted_at set once, content wiped).
CREATE OR REPLACE FUNCTION "checkpoints"."refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL AND NEW.id = OLD.id
     AND NEW.submodule_id = OLD.submodule_id AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'checkpoints are immutable: only a deletion may change one'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "checkpoints_immutable" BEFORE UPDATE ON "checkpoints"."checkpoints"
  FOR EACH ROW EXECUTE FUNCTION "checkpoints"."refuse_change"();
