-- Who made the current version of a report, so that an edit can file the
-- earlier version under its own author in report_versions.

-- +goose Up
ALTER TABLE reports ADD COLUMN updated_by BIGINT REFERENCES users (id);
UPDATE reports SET updated_by = reporter_id;

-- +goose Down
ALTER TABLE reports DROP COLUMN updated_by;
