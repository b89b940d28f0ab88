-- Weekly reports (veckorapporter). The samordnare's texts of a week live in
-- weekly_drafts and may change; each publishing copies them, with the
-- week's situational picture as JSON, into a new row of
-- weekly_report_versions, which nothing updates or deletes afterwards.

-- +goose Up
CREATE TABLE weekly_drafts (
    id {{id}},
    iso_year INTEGER NOT NULL,
    iso_week INTEGER NOT NULL,
    analysis TEXT NOT NULL,
    conclusions TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    UNIQUE (iso_year, iso_week)
);

CREATE TABLE weekly_report_versions (
    id {{id}},
    iso_year INTEGER NOT NULL,
    iso_week INTEGER NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    analysis TEXT NOT NULL,
    conclusions TEXT NOT NULL,
    picture TEXT NOT NULL, -- JSON, see package lagesbild
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES users (id), -- NULL: the operator
    publisher_name TEXT NOT NULL,
    UNIQUE (iso_year, iso_week, version)
);

-- +goose Down
DROP TABLE weekly_report_versions;
DROP TABLE weekly_drafts;
