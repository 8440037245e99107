-- The change feeds' clock (libs/db/src/mechanisms/feed-clock.ts): the writing transaction's id plus a
-- shift that a restore raises, so positions written after a restore come after every restored one.
-- plpgsql, so its body is checked when called: registry.feed_clock is created by the next migration.
CREATE FUNCTION registry.feed_txid() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN pg_current_xact_id()::text::bigint + coalesce((SELECT max(shift) FROM registry.feed_clock), 0);
END
$$;
