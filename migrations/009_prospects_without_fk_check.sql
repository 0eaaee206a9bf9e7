-- Prospects are written only by upsertProspects, which first locks its skill's row (KEY SHARE,
-- held to the end of the transaction: the skill cannot be deleted under the load) by
-- lock_prospect_skill, once per slice. That is what the foreign key check did once per prospect
-- row: ~0.37 s of the ~1 s that inserting the bench's 45,000 prospects took. A skill that is
-- already gone raises the foreign key violation (23503) the check raised.
-- The cascade stays: a trigger deletes a deleted skill's prospects, set-based, once per statement
-- (their destinations follow by migration 007's trigger, their claims by their foreign key).
ALTER TABLE prospects DROP CONSTRAINT prospects_skill_no_fkey;

CREATE FUNCTION lock_prospect_skill(skill integer) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM 1 FROM skills WHERE skill_no = skill FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE foreign_key_violation USING MESSAGE = format('skill %s does not exist: no prospects can be stored for it', skill);
  END IF;
END
$$;

CREATE FUNCTION prospects_follow_skills() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM prospects p USING gone g WHERE p.skill_no = g.skill_no;
  RETURN NULL;
END
$$;

CREATE TRIGGER skills_delete_prospects AFTER DELETE ON skills
  REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION prospects_follow_skills();
