-- Counts of reports, kept up to date in the same transaction as every
-- change to a report, so that the lägesbild never reads the reports table.
-- {{blob}} is a byte column (BLOB or BYTEA) and {{clustered}} keeps a table
-- in primary-key order on SQLite, both expanded by sqldb/dialect.go.

-- +goose Up
-- The type of the reporting organisation when the report was filed: counts
-- by organisation type must not shift when an organisation is re-typed.
ALTER TABLE reports ADD COLUMN org_type TEXT NOT NULL DEFAULT '';
UPDATE reports SET org_type = (SELECT o.type FROM organisations o WHERE o.id = reports.org_id);

-- Reports per Stockholm calendar day (days since 1970-01-01), area,
-- category and organisation type: any period, any filter.
CREATE TABLE report_day_counts (
    day INTEGER NOT NULL,
    area_code TEXT NOT NULL,
    category TEXT NOT NULL,
    org_type TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (day, area_code, category, org_type)
) {{clustered}};

-- Reports per ISO week, area, category and organisation type, one ISO
-- year per row: counts holds 53 little-endian uint32, week 1 first. The
-- rows with org_type '' hold all types together. Reading a two-year series
-- of every area and category is then a few thousand rows, not a hundred
-- thousand (ADR 0006).
CREATE TABLE report_week_counts (
    iso_year INTEGER NOT NULL,
    area_code TEXT NOT NULL,
    category TEXT NOT NULL,
    org_type TEXT NOT NULL,
    counts {{blob}} NOT NULL,
    -- org_type first: a series query asks for one type (or '') and a
    -- range of years, and must find those rows side by side.
    PRIMARY KEY (org_type, iso_year, area_code, category)
) {{clustered}};

-- Work that Migrate does in Go after the SQL migrations, once.
CREATE TABLE pending_tasks (
    name TEXT PRIMARY KEY
);
INSERT INTO pending_tasks (name) VALUES ('rebuild_counts');

-- +goose Down
DROP TABLE pending_tasks;
DROP TABLE report_week_counts;
DROP TABLE report_day_counts;
ALTER TABLE reports DROP COLUMN org_type;
