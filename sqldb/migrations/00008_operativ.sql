-- Operativ samverkan: joint police and social-services operations against
-- the sex trade, the anonymous contacts met, referrals to the support chain
-- and the tasks a suspected minor raises (see docs/operativ.md). Nothing
-- here names a person. Times are BIGINT milliseconds, days INTEGER day
-- numbers (trygg.Day), flags INTEGER 0/1.

-- +goose Up
-- Versions of the written routines; a version is never changed.
CREATE TABLE operativ_routines (
    id {{id}},
    version INTEGER NOT NULL UNIQUE CHECK (version >= 1),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    valid_from INTEGER NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);

-- The services people are referred to. org_id is the organisation that
-- receives the referrals and confirms a first contact by its code.
CREATE TABLE support_services (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    org_id BIGINT REFERENCES organisations (id),
    position INTEGER NOT NULL
);
INSERT INTO support_services (code, name, kind, position) VALUES
    ('kast', 'KAST – köpare av sexuell tjänst', 'kast', 1),
    ('cmv_kvinnomottagning', 'Centrum mot våld: kvinnomottagningen', 'centrum_mot_vald', 2),
    ('cmv_barnahus', 'Centrum mot våld: Barnahus', 'centrum_mot_vald', 3),
    ('cmv_trappan', 'Centrum mot våld: Trappan', 'centrum_mot_vald', 4),
    ('cmv_mansmottagning', 'Centrum mot våld: mansmottagningen', 'centrum_mot_vald', 5),
    ('prostitution', 'Specialiserat stöd för personer i prostitution', 'specialiserat', 6),
    ('beroende', 'Beroendevård', 'beroende', 7);

CREATE TABLE operations (
    id {{id}},
    at BIGINT NOT NULL,
    area_code TEXT NOT NULL REFERENCES areas (code),
    place_type TEXT NOT NULL,
    type TEXT NOT NULL,
    social_services INTEGER NOT NULL DEFAULT 0,
    informed_in_advance INTEGER NOT NULL DEFAULT 0,
    support_offered_all INTEGER NOT NULL DEFAULT 0,
    interpreter_needed INTEGER NOT NULL DEFAULT 0,
    interpreter_available INTEGER NOT NULL DEFAULT 0,
    trafficking_signs INTEGER NOT NULL DEFAULT 0,
    suspected_minor INTEGER NOT NULL DEFAULT 0,
    routine_id BIGINT NOT NULL REFERENCES operativ_routines (id),
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX operations_at ON operations (at);

CREATE TABLE operation_participants (
    operation_id BIGINT NOT NULL REFERENCES operations (id),
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    staff INTEGER NOT NULL CHECK (staff >= 1),
    PRIMARY KEY (operation_id, org_id)
);

CREATE TABLE operation_contacts (
    id {{id}},
    operation_id BIGINT NOT NULL REFERENCES operations (id),
    role TEXT NOT NULL,
    age_band TEXT NOT NULL,
    suspected_minor INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL DEFAULT '',
    support_offered INTEGER NOT NULL DEFAULT 0,
    support_accepted INTEGER NOT NULL DEFAULT 0,
    support TEXT NOT NULL DEFAULT ''
);
CREATE INDEX operation_contacts_operation ON operation_contacts (operation_id);

CREATE TABLE referrals (
    id {{id}},
    contact_id BIGINT NOT NULL REFERENCES operation_contacts (id),
    service_id BIGINT NOT NULL REFERENCES support_services (id),
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('erbjuden', 'accepterad', 'forsta_kontakt', 'pagaende', 'avslutad')),
    created_at BIGINT NOT NULL
);
CREATE INDEX referrals_contact ON referrals (contact_id);

CREATE TABLE referral_steps (
    referral_id BIGINT NOT NULL REFERENCES referrals (id),
    status TEXT NOT NULL,
    day INTEGER NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (referral_id, status)
);

-- Tasks: a suspected minor requires an immediate report of concern.
-- contact_id is NULL when the operation's checklist raised it.
CREATE TABLE operativ_tasks (
    id {{id}},
    operation_id BIGINT NOT NULL REFERENCES operations (id),
    contact_id BIGINT REFERENCES operation_contacts (id),
    created_at BIGINT NOT NULL,
    done_at BIGINT,
    done_by BIGINT REFERENCES users (id)
);
CREATE INDEX operativ_tasks_operation ON operativ_tasks (operation_id);

-- The advertising indicator: ads offering sex in the municipality, and
-- sugar-dating ads where a minor is suspected, per ISO week (the Monday).
CREATE TABLE ad_counts (
    week INTEGER PRIMARY KEY,
    ads INTEGER NOT NULL CHECK (ads >= 0),
    sugar_minor INTEGER NOT NULL CHECK (sugar_minor >= 0),
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

-- The KAST reception log: anonymous counselling contacts. code is the
-- self-chosen code a person gives to be recognised next time.
CREATE TABLE kast_contacts (
    id {{id}},
    day INTEGER NOT NULL,
    channel TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL,
    outcome TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX kast_contacts_day ON kast_contacts (day);

-- +goose Down
DROP TABLE kast_contacts;
DROP TABLE ad_counts;
DROP TABLE operativ_tasks;
DROP TABLE referral_steps;
DROP TABLE referrals;
DROP TABLE operation_contacts;
DROP TABLE operation_participants;
DROP TABLE operations;
DROP TABLE support_services;
DROP TABLE operativ_routines;
