-- The audit trail is append-only and hash-chained. Kept in step with LoanOffice.Domain.Auditing.AuditChain.

CREATE OR REPLACE FUNCTION audit_field(v text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT octet_length(v)::text || ':' || v || '|' $$;

-- Before each insert: take the chain lock (held to the end of the transaction), link to the last row,
-- number the row and hash it. Whatever the client sent for seq/previous_hash/hash is overwritten.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    last_seq  bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(7412001);
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    IF last_seq IS NULL THEN
        last_seq := 0;
        last_hash := repeat('0', 64);
    END IF;
    NEW.seq := last_seq + 1;
    NEW.previous_hash := last_hash;
    NEW.hash := encode(sha256(convert_to(
        last_hash
        || audit_field(NEW.seq::text)
        || audit_field(((extract(epoch FROM NEW.occurred_at) * 1000000)::bigint)::text)
        || audit_field(NEW.actor)
        || audit_field(coalesce(NEW.client_ip, ''))
        || audit_field(NEW.entity_type)
        || audit_field(NEW.entity_key)
        || audit_field(NEW.action)
        || audit_field(NEW.changes), 'UTF8')), 'hex');
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION audit_log_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change();
