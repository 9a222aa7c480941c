-- Every publication is a public version of its article, numbered in the
-- order it happened, with the kind of change it made (an update, a
-- correction, a clarification, an editor's note) and the note readers are
-- shown. Publications and the audit log become append-only and
-- hash-chained: each row keeps the SHA-256 of what it recorded, chained to
-- the row before it, and may not change once sealed. Rows written before
-- this version are sealed, in order, when Quire starts.

-- +goose Up
ALTER TABLE publications ADD COLUMN kind TEXT NOT NULL DEFAULT 'update'
    CHECK (kind IN ('update', 'correction', 'clarification', 'editors_note'));
ALTER TABLE publications ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE publications ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE publications ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE publications ADD COLUMN chain_hash TEXT NOT NULL DEFAULT '';
UPDATE publications SET note = r.change_note FROM revisions r WHERE r.id = publications.revision_id;
UPDATE publications SET version = n.version FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY article_id ORDER BY id) AS version FROM publications) n
    WHERE n.id = publications.id;
CREATE UNIQUE INDEX publications_version_idx ON publications (article_id, version);
CREATE INDEX publications_kind_idx ON publications (kind, published_at);

ALTER TABLE schedules ADD COLUMN kind TEXT NOT NULL DEFAULT 'update';
ALTER TABLE schedules ADD COLUMN note TEXT NOT NULL DEFAULT '';

ALTER TABLE audit_events ADD COLUMN chain_hash TEXT NOT NULL DEFAULT '';

CREATE TRIGGER publications_kept BEFORE DELETE ON publications
    FOR EACH ROW EXECUTE FUNCTION refuse('publications are kept forever');
CREATE TRIGGER publications_sealed BEFORE UPDATE ON publications
    FOR EACH ROW WHEN (OLD.content_hash <> '') EXECUTE FUNCTION refuse('publications are immutable');
CREATE TRIGGER audit_events_kept BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION refuse('the audit log is append-only');
CREATE TRIGGER audit_events_sealed BEFORE UPDATE ON audit_events
    FOR EACH ROW WHEN (OLD.chain_hash <> '') EXECUTE FUNCTION refuse('the audit log is append-only');

-- +goose Down
DROP TRIGGER audit_events_sealed ON audit_events;
DROP TRIGGER audit_events_kept ON audit_events;
DROP TRIGGER publications_sealed ON publications;
DROP TRIGGER publications_kept ON publications;
ALTER TABLE audit_events DROP COLUMN chain_hash;
ALTER TABLE schedules DROP COLUMN note;
ALTER TABLE schedules DROP COLUMN kind;
DROP INDEX publications_kind_idx;
DROP INDEX publications_version_idx;
ALTER TABLE publications DROP COLUMN chain_hash;
ALTER TABLE publications DROP COLUMN content_hash;
ALTER TABLE publications DROP COLUMN version;
ALTER TABLE publications DROP COLUMN note;
ALTER TABLE publications DROP COLUMN kind;
