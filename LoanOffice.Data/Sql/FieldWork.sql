-- Field work: the officers' location pings, their last positions for the live map, and the signed requests seen.
-- PostGIS is created in template1 by the scripts (as the cluster's superuser), so every database made here has it;
-- this only makes sure (a no-op when it exists, which needs no superuser).
CREATE EXTENSION IF NOT EXISTS postgis;
--;;
-- Pings, partitioned by month of the device time (UTC): a month's partition can be detached for the archive and
-- dropped when the retention ends. A point is its device's sequence number at its time: a resent point is the same
-- key and is ignored. Positions are WGS-84 geography (distances in metres).
CREATE TABLE IF NOT EXISTS field_pings (
    officer_id  uuid                   NOT NULL,
    device_id   uuid                   NOT NULL,
    sequence    bigint                 NOT NULL,
    recorded_at timestamptz            NOT NULL,
    received_at timestamptz            NOT NULL,
    position    geography(Point, 4326) NOT NULL,
    accuracy    real                   NOT NULL,
    speed       real,
    source      varchar(10)            NOT NULL,
    mock        boolean                NOT NULL,
    PRIMARY KEY (device_id, sequence, recorded_at)
) PARTITION BY RANGE (recorded_at);
--;;
-- one officer, one day
CREATE INDEX IF NOT EXISTS ix_field_pings_officer_time ON field_pings (officer_id, recorded_at);
--;;
CREATE INDEX IF NOT EXISTS ix_field_pings_time_brin ON field_pings USING brin (recorded_at);
--;;
-- The month's partition of a time (made when the first point of the month arrives; safe under concurrency).
CREATE OR REPLACE FUNCTION lo_field_ping_partition(at timestamptz) RETURNS text
    LANGUAGE plpgsql AS
$$
DECLARE
    month timestamp := date_trunc('month', at AT TIME ZONE 'UTC');
    name  text := 'field_pings_' || to_char(month, 'YYYYMM');
BEGIN
    IF to_regclass(name) IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext(name));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF field_pings FOR VALUES FROM (%L) TO (%L)', name,
                           (month AT TIME ZONE 'UTC'), ((month + interval '1 month') AT TIME ZONE 'UTC'));
        END IF;
    END IF;
    RETURN name;
END
$$;
--;;
SELECT lo_field_ping_partition(now());
--;;
SELECT lo_field_ping_partition(now() + interval '1 month');
--;;
-- The live map's table: one row per officer, the last point and the last heartbeat (so the map never reads pings).
CREATE TABLE IF NOT EXISTS field_last_positions (
    officer_id   uuid PRIMARY KEY,
    device_id    uuid        NOT NULL,
    recorded_at  timestamptz,
    position     geography(Point, 4326),
    accuracy     real,
    speed        real,
    source       varchar(10),
    mock         boolean,
    heartbeat_at timestamptz,
    gps_enabled  boolean,
    battery      smallint,
    network      varchar(20)
);
--;;
-- Each signed request once: its signature per device, kept for the window (older ones are pruned as requests come).
CREATE TABLE IF NOT EXISTS field_request_nonces (
    device_id uuid        NOT NULL,
    signature varchar(64) NOT NULL,
    seen_at   timestamptz NOT NULL,
    PRIMARY KEY (device_id, signature)
);
--;;
CREATE INDEX IF NOT EXISTS ix_field_request_nonces_seen ON field_request_nonces (seen_at);
