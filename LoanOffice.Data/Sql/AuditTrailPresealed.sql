-- A bulk writer (the migration import) may append its audit rows already sealed: it takes the chain lock as the
-- last step before COMMIT, reads the chain's last link, numbers and hashes its rows with
-- LoanOffice.Domain.Auditing.AuditChain (the verifier's own definition) and COPYs them in with
-- loanoffice.audit_presealed on for that statement. Those rows keep their chain fields and queue no seal at commit
-- (the deferred trigger fires only for unsealed rows), so half a million rows cost no UPDATE and no trigger event
-- each. Every other insert is still placed unsealed and sealed at commit; the unique index on seq refuses a clash,
-- and verify-audit checks every link as before.

CREATE OR REPLACE FUNCTION audit_log_unsealed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.seq > 0 AND current_setting('loanoffice.audit_presealed', true) = 'on' THEN
        RETURN NEW;
    END IF;
    NEW.seq := 0;
    NEW.previous_hash := '';
    NEW.hash := '';
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS audit_log_seal ON audit_log;
CREATE CONSTRAINT TRIGGER audit_log_seal AFTER INSERT ON audit_log
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.seq = 0) EXECUTE FUNCTION audit_log_seal();
