-- In-app notices ("Att göra"): when each user last marked their list read.
-- The notices themselves are computed from the actions when asked for.
-- job_runs: one row per scheduled job and period (day or ISO week); the
-- instance whose INSERT adds the row runs the job, every other one skips it.

-- +goose Up
CREATE TABLE notice_reads (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    read_at BIGINT NOT NULL
);

CREATE TABLE job_runs (
    job TEXT NOT NULL,
    period TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    PRIMARY KEY (job, period)
);

-- +goose Down
DROP TABLE job_runs;
DROP TABLE notice_reads;
