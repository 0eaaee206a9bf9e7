-- Which prefix lengths a list uses (issue 12, enforcement). A load chunk and every claim match a
-- number's prefix entries by equality on its leading digits, one probe of
-- suppression_prefixes_pkey per length in use by the skill's lists: this index answers "does
-- list L hold a prefix of length N" with one probe each (15 lengths x the skill's lists, per
-- statement, not per number), so a skill whose lists hold no prefix makes no prefix probe at all.
CREATE INDEX suppression_prefixes_len_idx ON suppression_prefixes (list_id, prefix_len);
