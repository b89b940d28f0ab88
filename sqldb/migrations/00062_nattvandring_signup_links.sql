-- Nattvandring: a volunteer's personal sign-up link (docs/nattvandring.md).
-- Volunteers have no accounts; a leader gives one a link with a long
-- random token, and the volunteer signs up for walks with it. Only the
-- token's SHA-256 (hex) is stored. One link per volunteer: a new one
-- replaces the old, revoking deletes it, and removing the volunteer (on
-- request or by the retention job) deletes it too.

-- +goose Up
CREATE TABLE nattvandring_signup_links (
    volunteer_id BIGINT PRIMARY KEY REFERENCES nattvandring_volunteers (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE nattvandring_signup_links;
