-- Retention of tracks (PIPL): whole months of pings older than the cut-off are detached and dropped. Returns the
-- partitions dropped (a month still partly inside the retention is kept whole).
CREATE OR REPLACE FUNCTION lo_field_drop_partitions_before(cutoff timestamptz, dry_run boolean DEFAULT false) RETURNS SETOF text
    LANGUAGE plpgsql AS
$$
DECLARE
    part record;
BEGIN
    FOR part IN
        SELECT c.relname AS name
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relname = 'field_pings' AND c.relname ~ '^field_pings_[0-9]{6}$'
           -- the partition's month ends on or before the cut-off
           AND to_date(substr(c.relname, 13), 'YYYYMM') + interval '1 month' <= (cutoff AT TIME ZONE 'UTC')
         ORDER BY c.relname
    LOOP
        IF NOT dry_run THEN
            EXECUTE format('ALTER TABLE field_pings DETACH PARTITION %I', part.name);
            EXECUTE format('DROP TABLE %I', part.name);
        END IF;
        RETURN NEXT part.name;
    END LOOP;
END
$$;
