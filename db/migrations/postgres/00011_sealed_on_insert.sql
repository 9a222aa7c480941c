-- A publication or audit entry is written sealed. Refusing one without its
-- hashes stops an older Quire, still running during an upgrade, from
-- writing rows the record could never seal: stop every instance first.
-- Neither table may be emptied by TRUNCATE, which row triggers do not see.

-- +goose Up
CREATE TRIGGER publications_written_sealed BEFORE INSERT ON publications
    FOR EACH ROW WHEN (NEW.content_hash = '' OR NEW.chain_hash = '')
    EXECUTE FUNCTION refuse('a publication is written with its hashes: is an older Quire still running?');
CREATE TRIGGER audit_events_written_sealed BEFORE INSERT ON audit_events
    FOR EACH ROW WHEN (NEW.chain_hash = '')
    EXECUTE FUNCTION refuse('an audit entry is written with its chain hash: is an older Quire still running?');
CREATE TRIGGER publications_not_truncated BEFORE TRUNCATE ON publications
    FOR EACH STATEMENT EXECUTE FUNCTION refuse('publications are kept forever');
CREATE TRIGGER audit_events_not_truncated BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse('the audit log is append-only');

-- +goose Down
DROP TRIGGER audit_events_not_truncated ON audit_events;
DROP TRIGGER publications_not_truncated ON publications;
DROP TRIGGER audit_events_written_sealed ON audit_events;
DROP TRIGGER publications_written_sealed ON publications;
