-- The review of welfare providers (see docs/leverantorer.md). An enskild
-- firma's number is its owner's personnummer: it is sealed (org_sealed)
-- and matched by a keyed hash (org_key "p" + HMAC-SHA-256); a legal
-- entity's number is stored plainly and is its own org_key. The key
-- persons' names and numbers are sealed, person_index is the keyed hash
-- that finds the same person in other providers. score, flags (JSON of
-- the rules' explanations, never personal data), next_due and overdue are
-- recomputed from the rest after every change and once a day (leverantor_computed); days are
-- trygg.Day (Stockholm days since 1970-01-01).

-- +goose Up
CREATE TABLE leverantor_providers (
    id {{id}},
    org_key TEXT NOT NULL UNIQUE,
    org_number TEXT NOT NULL, -- '' for an enskild firma
    org_sealed TEXT NOT NULL, -- '' for a legal entity
    name TEXT NOT NULL,
    form TEXT NOT NULL,
    address TEXT NOT NULL,
    address_key TEXT NOT NULL,
    sites TEXT NOT NULL, -- JSON array of addresses
    contract_type TEXT NOT NULL,
    service_area TEXT NOT NULL,
    contract_from INTEGER NOT NULL,
    contract_to INTEGER NOT NULL, -- 0: open-ended
    contract_value BIGINT NOT NULL,
    registered INTEGER NOT NULL, -- 0: unknown
    permit_until INTEGER NOT NULL, -- 0: none recorded
    unit_id BIGINT NOT NULL REFERENCES organisations (id),
    status TEXT NOT NULL,
    score INTEGER NOT NULL DEFAULT 0,
    flags TEXT NOT NULL DEFAULT '[]',
    next_due INTEGER NOT NULL DEFAULT 0,
    overdue INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX leverantor_providers_score ON leverantor_providers (score DESC, name);

-- The units (organisations) with a contract with a provider; the
-- responsible unit is one of them.
CREATE TABLE leverantor_units (
    provider_id BIGINT NOT NULL REFERENCES leverantor_providers (id),
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (provider_id, org_id)
);
CREATE INDEX leverantor_units_org ON leverantor_units (org_id, provider_id);

CREATE TABLE leverantor_persons (
    id {{id}},
    provider_id BIGINT NOT NULL REFERENCES leverantor_providers (id),
    role TEXT NOT NULL,
    from_day INTEGER NOT NULL,
    to_day INTEGER NOT NULL, -- 0: still in the role
    sealed TEXT NOT NULL, -- sealed JSON of name and personnummer
    person_index TEXT NOT NULL
);
CREATE INDEX leverantor_persons_provider ON leverantor_persons (provider_id);
CREATE INDEX leverantor_persons_index ON leverantor_persons (person_index);

-- The configured check types; the defaults are inserted by the service
-- when the table is empty.
CREATE TABLE leverantor_check_types (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    months INTEGER NOT NULL,
    owner TEXT NOT NULL,
    areas TEXT NOT NULL, -- comma-separated service areas; '' all
    position INTEGER NOT NULL
);

CREATE TABLE leverantor_checks (
    id {{id}},
    provider_id BIGINT NOT NULL REFERENCES leverantor_providers (id),
    type TEXT NOT NULL,
    day INTEGER NOT NULL,
    result TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES organisations (id),
    by_id BIGINT REFERENCES users (id),
    doc_name TEXT NOT NULL DEFAULT '',
    doc_size INTEGER NOT NULL DEFAULT 0,
    doc_sha256 TEXT NOT NULL DEFAULT '',
    doc_sealed TEXT NOT NULL DEFAULT '', -- the PDF, sealed
    created_at BIGINT NOT NULL
);
CREATE INDEX leverantor_checks_provider ON leverantor_checks (provider_id, type, day);

CREATE TABLE leverantor_decisions (
    id {{id}},
    provider_id BIGINT NOT NULL REFERENCES leverantor_providers (id),
    action TEXT NOT NULL,
    recipient TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    reason TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES organisations (id),
    by_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL,
    day INTEGER NOT NULL
);
CREATE INDEX leverantor_decisions_provider ON leverantor_decisions (provider_id, at);

CREATE TABLE leverantor_flags (
    id {{id}},
    provider_id BIGINT NOT NULL REFERENCES leverantor_providers (id),
    reason TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES organisations (id),
    by_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX leverantor_flags_provider ON leverantor_flags (provider_id);

-- The day the scores were last computed (one row): an overdue check and
-- a young company change with the date, so the first read of a new day
-- computes them again.
CREATE TABLE leverantor_computed (
    day INTEGER NOT NULL
);
INSERT INTO leverantor_computed (day) VALUES (0);

-- Weights and thresholds that differ from leverantor.DefaultRules.
CREATE TABLE leverantor_rules (
    code TEXT PRIMARY KEY,
    weight INTEGER NOT NULL,
    threshold BIGINT NOT NULL
);

-- +goose Down
DROP TABLE leverantor_rules;
DROP TABLE leverantor_computed;
DROP TABLE leverantor_flags;
DROP TABLE leverantor_decisions;
DROP TABLE leverantor_checks;
DROP TABLE leverantor_check_types;
DROP TABLE leverantor_persons;
DROP TABLE leverantor_units;
DROP TABLE leverantor_providers;
