-- Destinations are written only by a load (replaceDestinations), for prospect ids the same
-- transaction's upsert has just answered, so those prospect rows are locked by it until commit:
-- no other transaction can delete them in between, and checking the foreign key for every
-- destination row proves nothing new. The check was a quarter to a third of storing them
-- (90,000 destinations by COPY with the bench's indexes: ~0.6 s of ~2.3 s). Claims and outcomes
-- only update destinations.
-- The cascade stays: a trigger deletes a deleted prospect's destinations, set-based, once per
-- statement (as migration 005 does for run results).
ALTER TABLE destinations DROP CONSTRAINT destinations_prospect_id_fkey;

CREATE FUNCTION destinations_follow_prospects() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM destinations d USING gone g WHERE d.prospect_id = g.prospect_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER prospects_delete_destinations AFTER DELETE ON prospects
  REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION destinations_follow_prospects();
