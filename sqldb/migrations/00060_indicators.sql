-- Indicators (docs/indikatorer.md): yearly series imported from Kolada, BRÅ,
-- Polisen and SCB, their values per municipality (kommunkod) and year, the
-- earlier values that a later import revised, the log of imports, peer
-- groups, and the indicator a commitment may be measured by. Trygg's own
-- series are computed, not stored. Days are INTEGER day numbers, times
-- BIGINT milliseconds.

-- +goose Up
CREATE TABLE indicator_series (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    polarity TEXT NOT NULL,
    licence TEXT NOT NULL DEFAULT '',
    retrieved_on INTEGER NOT NULL,
    external TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE indicator_values (
    series_id BIGINT NOT NULL REFERENCES indicator_series (id),
    area TEXT NOT NULL,
    year INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (series_id, area, year)
) {{clustered}};

CREATE TABLE indicator_imports (
    id {{id}},
    source TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    series_count INTEGER NOT NULL,
    value_count INTEGER NOT NULL,
    added INTEGER NOT NULL,
    revised INTEGER NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by BIGINT REFERENCES users (id)
);

-- A value that a later import changed: the old value, kept.
CREATE TABLE indicator_revisions (
    series_id BIGINT NOT NULL REFERENCES indicator_series (id),
    area TEXT NOT NULL,
    year INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    replaced_at BIGINT NOT NULL,
    import_id BIGINT NOT NULL REFERENCES indicator_imports (id)
);
CREATE INDEX indicator_revisions_by_value ON indicator_revisions (series_id, area, year);

-- Municipalities' names, as the imported files give them.
CREATE TABLE indicator_municipalities (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

-- members: comma-separated municipality codes, without the home one.
CREATE TABLE indicator_peer_groups (
    id {{id}},
    name TEXT NOT NULL,
    municipality TEXT NOT NULL,
    members TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A commitment measured by an indicator (source 'indikator'): its series
-- code and the area whose values count.
ALTER TABLE commitments ADD COLUMN indicator_series TEXT NOT NULL DEFAULT '';
ALTER TABLE commitments ADD COLUMN indicator_series_area TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE commitments DROP COLUMN indicator_series_area;
ALTER TABLE commitments DROP COLUMN indicator_series;
DROP TABLE indicator_peer_groups;
DROP TABLE indicator_municipalities;
DROP TABLE indicator_revisions;
DROP TABLE indicator_imports;
DROP TABLE indicator_values;
DROP TABLE indicator_series;
