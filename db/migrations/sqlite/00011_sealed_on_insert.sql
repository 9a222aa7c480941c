-- A publication or audit entry is written sealed. Refusing one without its
-- hashes stops an older Quire, still running during an upgrade, from
-- writing rows the record could never seal: stop every instance first.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER publications_written_sealed BEFORE INSERT ON publications WHEN NEW.content_hash = '' OR NEW.chain_hash = ''
BEGIN
    SELECT RAISE(ABORT, 'a publication is written with its hashes: is an older Quire still running?');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_written_sealed BEFORE INSERT ON audit_events WHEN NEW.chain_hash = ''
BEGIN
    SELECT RAISE(ABORT, 'an audit entry is written with its chain hash: is an older Quire still running?');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_events_written_sealed;
DROP TRIGGER publications_written_sealed;
