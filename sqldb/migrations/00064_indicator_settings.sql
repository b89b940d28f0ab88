-- The samordnare's settings of an indicator series (docs/indikatorer.md):
-- the name shown and the polarity that decides the rank, over what the
-- source says, and whether the yearly document takes the series
-- (in_yearly 1 or 0). Keyed by the series code, so that Trygg's own series,
-- which are computed and never stored, have settings too, and so that a
-- re-import, which rewrites indicator_series, never undoes them.

-- +goose Up
CREATE TABLE indicator_settings (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    polarity TEXT NOT NULL,
    in_yearly INTEGER NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);

-- +goose Down
DROP TABLE indicator_settings;
