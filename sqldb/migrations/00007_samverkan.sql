-- Samverkan: agreements and their commitments, actions, calendar feeds and
-- the weekly meeting. Days (periods, deadlines) are INTEGER day numbers
-- (trygg.Day: Stockholm calendar days since 1970-01-01); times are BIGINT
-- milliseconds. District and category codes of an agreement, commitment or
-- action are kept as one comma-separated TEXT (codes never hold a comma),
-- checked against areas and categories by the store.

-- +goose Up
CREATE TABLE agreements (
    id {{id}},
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    from_day INTEGER NOT NULL,
    to_day INTEGER NOT NULL,
    areas TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'ended')),
    signed_on INTEGER,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (to_day >= from_day)
);

CREATE TABLE agreement_parties (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    position INTEGER NOT NULL,
    signatory TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (agreement_id, org_id)
);

-- The signed document, at most one per agreement (trygg.MaxDocumentSize).
CREATE TABLE agreement_documents (
    agreement_id BIGINT PRIMARY KEY REFERENCES agreements (id),
    name TEXT NOT NULL,
    content BYTEA NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id)
);

CREATE TABLE commitments (
    id {{id}},
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    text TEXT NOT NULL,
    owner_org_id BIGINT NOT NULL REFERENCES organisations (id),
    target_text TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_value DOUBLE PRECISION NOT NULL,
    baseline_from INTEGER,
    baseline_to INTEGER,
    indicator_source TEXT NOT NULL,
    indicator_name TEXT NOT NULL,
    indicator_areas TEXT NOT NULL DEFAULT '',
    indicator_categories TEXT NOT NULL DEFAULT '',
    override_light TEXT, -- NULL: the computed light stands
    override_reason TEXT,
    override_by BIGINT REFERENCES users (id),
    override_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX commitments_agreement ON commitments (agreement_id);

CREATE TABLE commitment_updates (
    id {{id}},
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    day INTEGER NOT NULL,
    comment TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX commitment_updates_commitment ON commitment_updates (commitment_id, day);

-- Values of manual or imported indicators.
CREATE TABLE indicator_points (
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    day INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (commitment_id, day)
);

-- The weekly samordningsmöte. closed_at locks minutes and decisions.
CREATE TABLE meetings (
    id {{id}},
    day INTEGER NOT NULL,
    minutes TEXT NOT NULL DEFAULT '',
    closed_at BIGINT,
    closed_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_day ON meetings (day);

CREATE TABLE meeting_attendees (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (meeting_id, org_id)
);

CREATE TABLE meeting_decisions (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id);

CREATE TABLE actions (
    id {{id}},
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_org_id BIGINT NOT NULL REFERENCES organisations (id),
    owner_user_id BIGINT REFERENCES users (id),
    areas TEXT NOT NULL DEFAULT '',
    start_day INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'ongoing', 'done', 'cancelled')),
    cancel_reason TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    commitment_id BIGINT REFERENCES commitments (id),
    decision_id BIGINT REFERENCES meeting_decisions (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (deadline >= start_day)
);
CREATE INDEX actions_owner_deadline ON actions (owner_org_id, deadline);
CREATE INDEX actions_commitment ON actions (commitment_id);
CREATE INDEX actions_decision ON actions (decision_id);

-- Secret calendar addresses per organisation; only a SHA-256 of the secret.
CREATE TABLE calendar_feeds (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    revoked_at BIGINT
);
CREATE INDEX calendar_feeds_org ON calendar_feeds (org_id);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE actions;
DROP TABLE meeting_decisions;
DROP TABLE meeting_attendees;
DROP TABLE meetings;
DROP TABLE indicator_points;
DROP TABLE commitment_updates;
DROP TABLE commitments;
DROP TABLE agreement_documents;
DROP TABLE agreement_parties;
DROP TABLE agreements;
