-- mail_outbox: every reminder and digest a scheduled job decides to send
-- is written here in the transaction that claims the job's period, then
-- sent and marked; a mail that fails stays unsent and is tried again, so
-- that a claimed period's mails go out exactly once even if an instance
-- stops between claiming and sending.
-- routine_documents: the signed document (PDF) of a version of the
-- routines for operational collaboration.
-- commitments.override_published_at: when the samordnare approved a
-- manual traffic light and its reason for the public page.

-- +goose Up
CREATE TABLE mail_outbox (
    id {{id}},
    job TEXT NOT NULL,
    period TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_attempt_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);

CREATE TABLE routine_documents (
    routine_id BIGINT PRIMARY KEY REFERENCES operativ_routines (id),
    name TEXT NOT NULL,
    content {{blob}} NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id)
);

ALTER TABLE commitments ADD COLUMN override_published_at BIGINT;

-- +goose Down
ALTER TABLE commitments DROP COLUMN override_published_at;
DROP TABLE routine_documents;
DROP TABLE mail_outbox;
