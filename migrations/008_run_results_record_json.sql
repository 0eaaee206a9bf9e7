-- A run's records are stored to be read back whole (results pages, CSV export, the dashboard's
-- failed records), never searched inside, so json (checked, kept as sent) serves them as well as
-- jsonb (parsed into a binary form on the way in) and costs less to write: COPY of the bench's
-- 50,000 records ~0.6 s as jsonb, ~0.4 s as json. It also keeps each record's keys in the order
-- the CRM sent them, which the CSV export's columns follow.
ALTER TABLE run_results ALTER COLUMN record TYPE json USING record::json;
