-- Retention of a tip's text (docs/tips.md, "Retention"): when an accepted
-- tip was closed (åtgärdat or avslutat), which starts its retention
-- period, and when retention erased the text, the place and the reason.
-- A tip closed before this migration counts from its last change.

-- +goose Up
ALTER TABLE tips ADD COLUMN closed_at BIGINT;
ALTER TABLE tips ADD COLUMN erased_at BIGINT;
UPDATE tips SET closed_at = updated_at WHERE status IN ('atgardat', 'avslutat');

-- +goose Down
ALTER TABLE tips DROP COLUMN erased_at;
ALTER TABLE tips DROP COLUMN closed_at;
