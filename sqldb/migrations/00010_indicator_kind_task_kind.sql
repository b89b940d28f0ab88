-- A series indicator holds either counts per period (compared as Poisson
-- rates) or measured values (compared as means); see docs/samverkan.md.
-- An operation's task is either a report of concern for a suspected minor
-- or the routine for human trafficking; see docs/operativ.md.

-- +goose Up
ALTER TABLE commitments ADD COLUMN indicator_kind TEXT NOT NULL DEFAULT 'antal';
ALTER TABLE operativ_tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'orosanmalan';

-- +goose Down
ALTER TABLE operativ_tasks DROP COLUMN kind;
ALTER TABLE commitments DROP COLUMN indicator_kind;
