-- The audit chain is sealed at COMMIT instead of at INSERT: rows go in unsealed (seq 0) without any lock, and a
-- deferred constraint trigger numbers and hashes them when the transaction commits. The chain lock is then held
-- only while the transaction commits, not across its remaining statements and round trips, so audited writers no
-- longer serialize on the chain. Kept in step with LoanOffice.Domain.Auditing.AuditChain.

DROP TRIGGER IF EXISTS audit_log_chain ON audit_log;
DROP FUNCTION IF EXISTS audit_log_chain();

-- Unsealed placeholders: whatever the client sent for the chain fields is discarded.
CREATE OR REPLACE FUNCTION audit_log_unsealed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.seq := 0;
    NEW.previous_hash := '';
    NEW.hash := '';
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION audit_log_seal() RETURNS trigger
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    last_seq  bigint;
    last_hash text;
    row_      audit_log%ROWTYPE;
    next_seq  bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7412001);
    SELECT * INTO row_ FROM audit_log WHERE id = NEW.id;
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log WHERE seq > 0 ORDER BY seq DESC LIMIT 1;
    IF last_seq IS NULL THEN
        last_seq := 0;
        last_hash := repeat('0', 64);
    END IF;
    next_seq := last_seq + 1;
    PERFORM set_config('loanoffice.audit_sealing', 'on', true);
    UPDATE audit_log
       SET seq = next_seq,
           previous_hash = last_hash,
           hash = encode(sha256(convert_to(
                last_hash
                || audit_field(next_seq::text)
                || audit_field(((extract(epoch FROM row_.occurred_at) * 1000000)::bigint)::text)
                || audit_field(row_.actor)
                || audit_field(coalesce(row_.client_ip, ''))
                || audit_field(row_.entity_type)
                || audit_field(row_.entity_key)
                || audit_field(row_.action)
                || audit_field(row_.changes), 'UTF8')), 'hex')
     WHERE id = NEW.id;
    PERFORM set_config('loanoffice.audit_sealing', 'off', true);
    RETURN NULL;
END
$$;

-- Append-only, except the seal itself: an unsealed row may receive its chain fields, nothing else changes.
CREATE OR REPLACE FUNCTION audit_log_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.seq = 0
       AND current_setting('loanoffice.audit_sealing', true) = 'on'
       AND (NEW.id, NEW.occurred_at, NEW.actor, NEW.client_ip, NEW.entity_type, NEW.entity_key, NEW.action, NEW.changes)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.actor, OLD.client_ip, OLD.entity_type, OLD.entity_key, OLD.action, OLD.changes) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_unsealed BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_unsealed();
CREATE CONSTRAINT TRIGGER audit_log_seal AFTER INSERT ON audit_log
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION audit_log_seal();
