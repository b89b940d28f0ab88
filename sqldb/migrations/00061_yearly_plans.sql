-- The yearly lägesbild and åtgärdsplan of lag (2023:196), in versions
-- (docs/indikatorer.md): the content is the document as JSON; a version
-- is a draft until decided, and never changes after that (the store only
-- updates drafts); sha256 seals the content at the decision.

-- +goose Up
CREATE TABLE yearly_plans (
    id {{id}},
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('utkast', 'beslutad', 'publicerad')),
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users (id),
    published_at BIGINT,
    UNIQUE (year, version)
);

-- +goose Down
DROP TABLE yearly_plans;
