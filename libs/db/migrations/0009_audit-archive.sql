-- Custom migration: audit events past their retention leave audit.events
-- through one door, audit.archive_events, called by the archiver once the
-- events are in an archive file. The trigger still refuses every UPDATE and
-- TRUNCATE, and every DELETE that does not run inside that function.
CREATE OR REPLACE FUNCTION "audit"."refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  stack text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    GET DIAGNOSTICS stack = PG_CONTEXT;
    IF stack LIKE '%function audit.archive_events(%' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit.events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- Removes the events up to through_seq that are older than archived_before
-- (never a newer one), and records that it did as an audit event of its own.
-- SECURITY DEFINER: a service role granted EXECUTE, but not DELETE, can archive.
CREATE OR REPLACE FUNCTION "audit"."archive_events"(through_seq bigint, archived_before timestamptz, archive_file text, archived_by text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  removed integer;
BEGIN
  IF archived_before > now() THEN
    RAISE EXCEPTION 'audit.archive_events: archived_before (%) is in the future', archived_before
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  DELETE FROM audit.events WHERE seq <= through_seq AND at < archived_before;
  GET DIAGNOSTICS removed = ROW_COUNT;
  INSERT INTO audit.events (actor, action, resource_type, resource_id, outcome, details)
    VALUES (archived_by, 'audit.archive', 'audit', archive_file, 'SUCCESS',
            jsonb_build_object('throughSeq', through_seq, 'archivedBefore', archived_before, 'removed', removed));
  RETURN removed;
END;
$$;
