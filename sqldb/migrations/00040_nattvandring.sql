-- Nattvandring (issue 15): night-walking groups, their volunteers and
-- trainings, equipment and loans, walks with sign-ups, and the walk logs
-- whose observations are filed as incident reports (see
-- docs/nattvandring.md). The volunteers' name, phone and e-mail are the
-- only personal data, sealed with the register key (package sealed) and
-- set to NULL when the volunteer is removed. Times are BIGINT
-- milliseconds, days INTEGER day numbers (trygg.Day), flags INTEGER 0/1.

-- +goose Up
CREATE TABLE nattvandring_groups (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    min_adults INTEGER NOT NULL DEFAULT 3 CHECK (min_adults >= 2),
    insurer TEXT NOT NULL DEFAULT '',
    policy TEXT NOT NULL DEFAULT '',
    insurance_from INTEGER NOT NULL DEFAULT 0,
    insurance_to INTEGER NOT NULL DEFAULT 0,
    insurance_all INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX nattvandring_groups_org ON nattvandring_groups (org_id);

CREATE TABLE nattvandring_group_districts (
    group_id BIGINT NOT NULL REFERENCES nattvandring_groups (id),
    area_code TEXT NOT NULL REFERENCES areas (code),
    PRIMARY KEY (group_id, area_code)
);

-- sealed: name, phone and e-mail as JSON, sealed for record "frivillig/<id>".
-- last_walk: the day of the volunteer's last held walk, for the retention
-- job (12 months after it, or after created_at for one who never walked).
CREATE TABLE nattvandring_volunteers (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES nattvandring_groups (id),
    sealed TEXT,
    last_walk INTEGER,
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX nattvandring_volunteers_group ON nattvandring_volunteers (group_id);

CREATE TABLE nattvandring_trainings (
    id {{id}},
    volunteer_id BIGINT NOT NULL REFERENCES nattvandring_volunteers (id),
    kind TEXT NOT NULL CHECK (kind IN ('introduktion', 'forsta_hjalpen', 'konflikthantering')),
    taken_on INTEGER NOT NULL
);
CREATE INDEX nattvandring_trainings_volunteer ON nattvandring_trainings (volunteer_id);

CREATE TABLE nattvandring_walks (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES nattvandring_groups (id),
    walk_date INTEGER NOT NULL,
    start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min INTEGER NOT NULL CHECK (end_min BETWEEN 0 AND 1439),
    meeting_point TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planerad' CHECK (status IN ('planerad', 'bekraftad', 'genomford', 'installd')),
    published INTEGER NOT NULL DEFAULT 0,
    youth_contacts INTEGER,
    log_filed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX nattvandring_walks_group_date ON nattvandring_walks (group_id, walk_date);
CREATE INDEX nattvandring_walks_date ON nattvandring_walks (walk_date);

-- The districts a walk plans to go through.
CREATE TABLE nattvandring_walk_districts (
    walk_id BIGINT NOT NULL REFERENCES nattvandring_walks (id),
    area_code TEXT NOT NULL REFERENCES areas (code),
    PRIMARY KEY (walk_id, area_code)
);
CREATE INDEX nattvandring_walk_districts_area ON nattvandring_walk_districts (area_code, walk_id);

CREATE TABLE nattvandring_signups (
    walk_id BIGINT NOT NULL REFERENCES nattvandring_walks (id),
    volunteer_id BIGINT NOT NULL REFERENCES nattvandring_volunteers (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (walk_id, volunteer_id)
);

-- The filed log: who walked and for how long, the route's districts, and
-- the incident reports its observations became.
CREATE TABLE nattvandring_log_walkers (
    walk_id BIGINT NOT NULL REFERENCES nattvandring_walks (id),
    volunteer_id BIGINT NOT NULL REFERENCES nattvandring_volunteers (id),
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    PRIMARY KEY (walk_id, volunteer_id)
);

CREATE TABLE nattvandring_log_districts (
    walk_id BIGINT NOT NULL REFERENCES nattvandring_walks (id),
    area_code TEXT NOT NULL REFERENCES areas (code),
    minutes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (walk_id, area_code)
);

CREATE TABLE nattvandring_observations (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id),
    walk_id BIGINT NOT NULL REFERENCES nattvandring_walks (id)
);
CREATE INDEX nattvandring_observations_walk ON nattvandring_observations (walk_id);

CREATE TABLE nattvandring_items (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES nattvandring_groups (id),
    kind TEXT NOT NULL CHECK (kind IN ('vast', 'ficklampa', 'forsta_hjalpen_vaska')),
    size TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL,
    written_off_on INTEGER,
    write_off_reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX nattvandring_items_group ON nattvandring_items (group_id);

CREATE TABLE nattvandring_loans (
    id {{id}},
    item_id BIGINT NOT NULL REFERENCES nattvandring_items (id),
    volunteer_id BIGINT NOT NULL REFERENCES nattvandring_volunteers (id),
    lent_on INTEGER NOT NULL,
    due_on INTEGER NOT NULL,
    returned_on INTEGER
);
CREATE INDEX nattvandring_loans_item ON nattvandring_loans (item_id);

-- +goose Down
DROP TABLE nattvandring_loans;
DROP TABLE nattvandring_items;
DROP TABLE nattvandring_observations;
DROP TABLE nattvandring_log_districts;
DROP TABLE nattvandring_log_walkers;
DROP TABLE nattvandring_signups;
DROP TABLE nattvandring_walk_districts;
DROP TABLE nattvandring_walks;
DROP TABLE nattvandring_trainings;
DROP TABLE nattvandring_volunteers;
DROP TABLE nattvandring_group_districts;
DROP TABLE nattvandring_groups;
