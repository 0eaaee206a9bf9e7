-- suppression_numbers_list_idx (migration 020) served no query: every read and write of a number
-- entry goes through the primary key (number, list_id) -- the load's and the claim's probes, the
-- check, the history, add/remove by number -- and entry counts are kept by triggers (021), so no
-- statement counts or lists a list's numbers. It cost one WAL record and ~20 bytes on disk per
-- number imported (3 -> 2 records per row): a list's numbers, should something need them whole
-- one day, are a scan it can afford once.
DROP INDEX IF EXISTS suppression_numbers_list_idx;
