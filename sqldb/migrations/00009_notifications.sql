-- In-app notices ("Att göra"): when each user last marked their list read.
-- The notices themselves are computed from the actions when asked for.

-- +goose Up
CREATE TABLE notice_reads (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    read_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE notice_reads;
