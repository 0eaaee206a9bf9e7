-- Entry counts per list, kept by the database itself (GET /v1/suppression-lists and the
-- entries-per-list gauge read them on every call and scrape; count(*) of a 10,000,000-entry list
-- reads the whole list_id index, ~1 s). Statement-level triggers with transition tables add the
-- number of rows each statement inserted or deleted, per list, whoever writes (an import slice,
-- an add call, a DoNotCall outcome): one UPDATE of the list row per statement, not per entry.
-- The UPDATE takes the row's FOR NO KEY UPDATE lock, which does not conflict with the FOR KEY
-- SHARE writers take on it, so concurrent writers of one list only queue for this one row.
-- Expired entries are counted until they are removed.

ALTER TABLE suppression_lists ADD COLUMN entry_count bigint NOT NULL DEFAULT 0;

CREATE FUNCTION suppression_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE suppression_lists l SET entry_count = l.entry_count + d.n
  FROM (SELECT list_id, count(*) AS n FROM inserted GROUP BY list_id) d
  WHERE l.list_id = d.list_id;
  RETURN NULL;
END $$;

CREATE FUNCTION suppression_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE suppression_lists l SET entry_count = l.entry_count - d.n
  FROM (SELECT list_id, count(*) AS n FROM deleted GROUP BY list_id) d
  WHERE l.list_id = d.list_id;
  RETURN NULL;
END $$;

CREATE TRIGGER suppression_numbers_counted_in AFTER INSERT ON suppression_numbers
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION suppression_count_inserted();
CREATE TRIGGER suppression_numbers_counted_out AFTER DELETE ON suppression_numbers
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION suppression_count_deleted();
CREATE TRIGGER suppression_prefixes_counted_in AFTER INSERT ON suppression_prefixes
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION suppression_count_inserted();
CREATE TRIGGER suppression_prefixes_counted_out AFTER DELETE ON suppression_prefixes
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION suppression_count_deleted();
