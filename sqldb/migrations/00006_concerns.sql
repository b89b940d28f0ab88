-- The social-services register of reports of concern about children
-- (orosanmälningar). Identity fields (the child's number and name, the
-- guardians, the reporter's identity, the description) and the texts of
-- the recorded decisions are sealed with AES-256-GCM before they reach the
-- database; child_index is a keyed hash (HMAC-SHA-256) of the child's
-- number for look-ups, so the plain number is never stored. The other
-- columns are codes, times and days that the work queues and the
-- statistics need unsealed. Days are Stockholm calendar days since
-- 1970-01-01 (trygg.Day).

-- +goose Up
CREATE TABLE concerns (
    id {{id}},
    ref TEXT NOT NULL UNIQUE, -- opaque handle used in URLs
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    received_at BIGINT NOT NULL,
    received_day INTEGER NOT NULL,
    channel TEXT NOT NULL,
    reporter_category TEXT NOT NULL,
    reporter_mandatory INTEGER NOT NULL,
    sealed TEXT NOT NULL, -- sealed JSON of the identity fields
    child_index TEXT NOT NULL,
    assignee_id BIGINT REFERENCES users (id),
    stage INTEGER NOT NULL,
    next_due INTEGER, -- due day of the current stage; NULL when none
    investigated INTEGER NOT NULL DEFAULT 0,
    closed_at BIGINT,
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id)
);
CREATE INDEX concerns_queue ON concerns (org_id, closed_at, next_due);
CREATE INDEX concerns_assignee ON concerns (assignee_id, closed_at);
CREATE INDEX concerns_child ON concerns (child_index, org_id);
CREATE INDEX concerns_received ON concerns (received_day);

CREATE TABLE concern_categories (
    concern_id BIGINT NOT NULL REFERENCES concerns (id),
    category TEXT NOT NULL,
    PRIMARY KEY (concern_id, category)
);

-- Each recorded step of the clock; its texts are sealed.
CREATE TABLE concern_steps (
    id {{id}},
    concern_id BIGINT NOT NULL REFERENCES concerns (id),
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    by_id BIGINT NOT NULL REFERENCES users (id),
    sealed TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX concern_steps_concern ON concern_steps (concern_id, id);

-- The statistics, kept up to date in the same transaction as each report
-- and step, so that the statistics page never reads the reports: counts
-- per month of receipt (year * 100 + month) of a measure (see
-- sqldb/concern.go) and a code. They hold no personal data and outlive
-- retention.
CREATE TABLE concern_counts (
    month INTEGER NOT NULL,
    measure TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    n BIGINT NOT NULL,
    PRIMARY KEY (month, measure, code)
);

-- +goose Down
DROP TABLE concern_counts;
DROP TABLE concern_steps;
DROP TABLE concern_categories;
DROP TABLE concerns;
