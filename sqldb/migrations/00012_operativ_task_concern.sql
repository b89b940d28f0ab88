-- operativ_tasks.concern_id: the report of concern, filed in the
-- social-services register from a suspected minor's task, that completed
-- the task in the same transaction; NULL when the task was marked done by
-- hand (a report filed outside Trygg) or is open. See docs/operativ.md.

-- +goose Up
ALTER TABLE operativ_tasks ADD COLUMN concern_id BIGINT REFERENCES concerns (id);

-- +goose Down
ALTER TABLE operativ_tasks DROP COLUMN concern_id;
