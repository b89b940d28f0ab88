-- Early intervention (tidiga insatser, SSPF): teams per district, cases
-- about one young person, consents, shares, team meetings and actions.
-- Like the register of reports of concern, the young person's identity
-- (number and name), the shared texts, the action titles and the signed
-- consent documents are sealed with AES-256-GCM under the register key
-- before they reach the database; youth_index is the blind index
-- (HMAC-SHA-256) of the identity number. The other columns are codes and
-- days that lists, the share rule and the statistics need unsealed. Days
-- are Stockholm calendar days since 1970-01-01 (trygg.Day). Retention
-- empties sealed, youth_index and every row that belongs to a case, and
-- keeps the codes and days the statistics count (purged_at set).

-- +goose Up
CREATE TABLE sspf_teams (
    id {{id}},
    name TEXT NOT NULL UNIQUE,
    area_id BIGINT NOT NULL REFERENCES areas (id),
    created_at BIGINT NOT NULL
);

-- Members of a team; a user may be in several teams.
CREATE TABLE sspf_team_members (
    team_id BIGINT NOT NULL REFERENCES sspf_teams (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX sspf_team_members_user ON sspf_team_members (user_id);

CREATE TABLE sspf_cases (
    id {{id}},
    ref TEXT NOT NULL UNIQUE, -- opaque handle used in URLs
    team_id BIGINT NOT NULL REFERENCES sspf_teams (id),
    coordinator_id BIGINT NOT NULL REFERENCES users (id),
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    referring_part TEXT NOT NULL,
    guardians INTEGER NOT NULL,
    sealed TEXT, -- sealed JSON of the identity; NULL after retention
    youth_index TEXT, -- blind index of the identity number; NULL after retention
    referred_on INTEGER NOT NULL,
    active_on INTEGER,
    closed_on INTEGER,
    outcome TEXT,
    complete_consent INTEGER NOT NULL DEFAULT 0, -- had a valid, complete consent
    purged_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX sspf_cases_youth ON sspf_cases (youth_index);
CREATE INDEX sspf_cases_team ON sspf_cases (team_id, state);
CREATE INDEX sspf_cases_closed ON sspf_cases (closed_on);

CREATE TABLE sspf_consents (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES sspf_cases (id),
    purpose TEXT NOT NULL,
    scope TEXT NOT NULL, -- ScopeItem codes, comma-separated
    given_on INTEGER NOT NULL,
    expires_on INTEGER NOT NULL,
    withdrawn_on INTEGER,
    document_meta TEXT NOT NULL, -- sealed JSON: name, type, size, SHA-256
    document TEXT NOT NULL, -- the sealed signed document
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id)
);
CREATE INDEX sspf_consents_case ON sspf_consents (case_id);

CREATE TABLE sspf_signatures (
    consent_id BIGINT NOT NULL REFERENCES sspf_consents (id),
    signer TEXT NOT NULL,
    signed_on INTEGER NOT NULL,
    PRIMARY KEY (consent_id, signer)
);

CREATE TABLE sspf_shares (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES sspf_cases (id),
    info TEXT NOT NULL,
    from_part TEXT NOT NULL,
    by_id BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    consent_id BIGINT REFERENCES sspf_consents (id),
    ground TEXT,
    sealed TEXT NOT NULL -- the shared text
);
CREATE INDEX sspf_shares_case ON sspf_shares (case_id, id);

CREATE TABLE sspf_meetings (
    id {{id}},
    team_id BIGINT NOT NULL REFERENCES sspf_teams (id),
    day INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sspf_meetings_team ON sspf_meetings (team_id, day);

CREATE TABLE sspf_actions (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES sspf_cases (id),
    meeting_id BIGINT REFERENCES sspf_meetings (id),
    title TEXT NOT NULL, -- sealed: a title may name the young person
    owner_part TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX sspf_actions_case ON sspf_actions (case_id);
CREATE INDEX sspf_actions_deadline ON sspf_actions (deadline, done);

-- +goose Down
DROP TABLE sspf_actions;
DROP TABLE sspf_meetings;
DROP TABLE sspf_shares;
DROP TABLE sspf_signatures;
DROP TABLE sspf_consents;
DROP TABLE sspf_cases;
DROP TABLE sspf_team_members;
DROP TABLE sspf_teams;
