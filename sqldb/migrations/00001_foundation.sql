-- One schema for SQLite and PostgreSQL. The only dialect difference is the
-- auto-incrementing key, written {{id}} and expanded by sqldb/dialect.go.
-- Times are BIGINT milliseconds since the Unix epoch, UTC.

-- +goose Up
CREATE TABLE organisations (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id {{id}},
    email TEXT NOT NULL UNIQUE, -- stored lower-case
    name TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    password_hash TEXT NOT NULL DEFAULT '',
    disabled_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    id {{id}},
    token_hash TEXT NOT NULL UNIQUE, -- SHA-256 of the cookie value
    csrf_token TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {{id}},
    token_hash TEXT NOT NULL UNIQUE, -- SHA-256 of the secret
    user_id BIGINT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins, for rate limits shared by all instances. The key is a
-- SHA-256 of "email:<address>" or "ip:<address>", never the plain value.
CREATE TABLE login_failures (
    id {{id}},
    key_hash TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, at);

CREATE TABLE areas (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    population INTEGER NOT NULL DEFAULT 0,
    geometry TEXT, -- GeoJSON Polygon or MultiPolygon, WGS 84
    approximate INTEGER NOT NULL DEFAULT 0, -- 1: outline or population is approximate
    updated_at BIGINT NOT NULL
);

CREATE TABLE categories (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    grp TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    archived_at BIGINT
);

CREATE TABLE reports (
    id {{id}},
    occurred_at BIGINT NOT NULL,
    occurred_end BIGINT,
    reported_at BIGINT NOT NULL,
    area_code TEXT NOT NULL REFERENCES areas (code),
    lat DOUBLE PRECISION, -- rounded to about 50 m
    lon DOUBLE PRECISION,
    place_type TEXT NOT NULL,
    category TEXT NOT NULL REFERENCES categories (code),
    severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 3),
    description TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    reporter_id BIGINT REFERENCES users (id), -- NULL for imported reports
    version INTEGER NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT,
    deleted_by BIGINT REFERENCES users (id),
    delete_reason TEXT
);
CREATE INDEX reports_occurred ON reports (occurred_at, id);
CREATE INDEX reports_org_occurred ON reports (org_id, occurred_at);
CREATE INDEX reports_area_occurred ON reports (area_code, occurred_at);

-- Each edit copies the earlier state here as JSON (trygg.Report).
CREATE TABLE report_versions (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    edited_by BIGINT REFERENCES users (id),
    edited_at BIGINT NOT NULL,
    PRIMARY KEY (report_id, version)
);

-- Append-only and hash-chained: hash = SHA-256(prev_hash | fields).
CREATE TABLE audit_log (
    id {{id}},
    at BIGINT NOT NULL,
    user_id BIGINT,
    role TEXT NOT NULL DEFAULT '',
    org_id BIGINT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE report_versions;
DROP TABLE reports;
DROP TABLE categories;
DROP TABLE areas;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE organisations;
