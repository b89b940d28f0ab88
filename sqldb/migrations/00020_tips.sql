-- Residents' anonymous tips (issue 13, docs/tips.md). A tip keeps no IP
-- address, user agent or account: client_hash is an HMAC of the sender's
-- address under the key of the day (tip_hash_keys), cleared after 24
-- hours, and the key itself is deleted when the day is over. Accepted tips
-- become incident reports of the organisation "medborgare", whose type
-- 'medborgare' lets every filter by organisation type count them.

-- +goose Up
CREATE TABLE open311_clients (
    id {{id}},
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    revoked_at BIGINT
);

CREATE TABLE tips (
    id {{id}},
    ref TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL CHECK (source IN ('webb', 'open311')),
    client_id BIGINT REFERENCES open311_clients (id),
    category TEXT NOT NULL REFERENCES categories (code),
    area_code TEXT NOT NULL REFERENCES areas (code),
    lat DOUBLE PRECISION, -- rounded to about 50 m
    lon DOUBLE PRECISION,
    address TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    text TEXT NOT NULL, -- as the resident wrote it, never changed
    received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    client_hash TEXT,
    status TEXT NOT NULL CHECK (status IN ('mottaget', 'granskat', 'atgardat', 'avslutat')),
    decision TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'godkand', 'sammanslagen', 'avvisad')),
    reason TEXT NOT NULL DEFAULT '',
    public_reply TEXT NOT NULL DEFAULT '',
    replied_at BIGINT,
    report_id BIGINT REFERENCES reports (id),
    duplicate_of BIGINT REFERENCES tips (id),
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users (id)
);
CREATE INDEX tips_queue ON tips (decision, received_at);
CREATE INDEX tips_received ON tips (received_at);
CREATE INDEX tips_client ON tips (client_hash, received_at);
CREATE INDEX tips_area ON tips (area_code, received_at);

-- The categories residents may choose, picked by the samordnare.
CREATE TABLE tip_categories (
    category TEXT NOT NULL PRIMARY KEY REFERENCES categories (code)
);

-- The key of the day for client_hash; only today's is kept.
CREATE TABLE tip_hash_keys (
    day BIGINT NOT NULL PRIMARY KEY,
    hash_key {{blob}} NOT NULL
);

INSERT INTO organisations (code, name, type, created_at) VALUES ('medborgare', 'Medborgare (tips)', 'medborgare', 0);

-- +goose Down
DELETE FROM organisations WHERE code = 'medborgare' AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.org_id = organisations.id);
DROP TABLE tip_hash_keys;
DROP TABLE tip_categories;
DROP TABLE tips;
DROP TABLE open311_clients;
