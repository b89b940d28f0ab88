package sqldb

import (
	"context"

	"github.com/trygg-est/trygg"
)

// maxCommitBatch bounds how many reports share one transaction, so that a
// flood of requests still gets answers in steady steps.
const maxCommitBatch = 512

// reportCommitter files new reports by group commit: one goroutine takes
// every report waiting, stores them in one transaction with a savepoint
// each (so one bad report fails alone), commits once, and then answers
// each caller. A commit, and with SQLite synchronous=FULL its fsync, is the
// expensive part, so sharing it multiplies throughput; no caller hears
// "stored" before its report is durable.
type reportCommitter struct {
	db       *DB
	requests chan *createRequest // unbuffered: callers wait in line until taken
	quit     chan struct{}
	stopped  chan struct{}
}

type createRequest struct {
	ctx    context.Context // only checked before the report is stored
	user   *trygg.User
	in     trygg.ReportInput
	result chan createResult // buffered, so the writer never blocks on it
}

type createResult struct {
	report *trygg.Report
	err    error
}

var errClosed = trygg.Errorf(trygg.EINTERNAL, "Databasen är stängd.")

// startCommitter starts the database's report writer once.
func (db *DB) startCommitter() {
	db.committerOnce.Do(func() {
		db.committer = &reportCommitter{
			db:       db,
			requests: make(chan *createRequest),
			quit:     make(chan struct{}),
			stopped:  make(chan struct{}),
		}
		go db.committer.run()
	})
}

// stop makes new calls fail, lets the batch in hand finish and waits for
// the writer to end.
func (c *reportCommitter) stop() {
	close(c.quit)
	<-c.stopped
}

// create hands a validated report to the writer and waits for its result.
func (c *reportCommitter) create(ctx context.Context, user *trygg.User, in trygg.ReportInput) (*trygg.Report, error) {
	req := &createRequest{ctx: ctx, user: user, in: in, result: make(chan createResult, 1)}
	select {
	case c.requests <- req:
	case <-c.quit:
		return nil, errClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case res := <-req.result:
		return res.report, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *reportCommitter) run() {
	defer close(c.stopped)
	for {
		var batch []*createRequest
		select {
		case req := <-c.requests:
			batch = append(batch, req)
		case <-c.quit:
			return
		}
	collect:
		for len(batch) < maxCommitBatch {
			select {
			case req := <-c.requests:
				batch = append(batch, req)
			default:
				break collect
			}
		}
		c.commit(batch)
	}
}

// commit stores a batch in one transaction and answers every request.
func (c *reportCommitter) commit(batch []*createRequest) {
	results := make([]createResult, len(batch))
	err := c.store(batch, results)
	for i, req := range batch {
		if err != nil && results[i].err == nil {
			results[i] = createResult{err: err}
		}
		req.result <- results[i]
	}
}

// store runs the batch. A report's own failure goes into its result; an
// error return fails every report that had not already failed alone.
func (c *reportCommitter) store(batch []*createRequest, results []createResult) error {
	// The writer's work must not stop half-way because one caller gave
	// up, so it runs on its own context.
	ctx := context.Background()
	tx, err := c.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	codes, err := loadReportCodes(ctx, tx)
	if err != nil {
		return err
	}
	counts := countDeltas{}
	for i, req := range batch {
		if err := req.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		if err := tx.exec(ctx, c.db.stmts.savepoint); err != nil {
			return err
		}
		// The chain head before this report: if it is rolled back, its
		// audit entry goes with it and the next one links to this hash.
		head := tx.lastHash
		r, err := insertReport(ctx, tx, codes, counts, req.user, req.in)
		if err != nil {
			results[i].err = err
			if err := tx.exec(ctx, c.db.stmts.rollbackTo); err != nil {
				return err
			}
			tx.lastHash = head
		} else {
			results[i].report = r
		}
		if err := tx.exec(ctx, c.db.stmts.release); err != nil {
			return err
		}
	}
	if err := counts.apply(ctx, tx); err != nil {
		return err
	}
	return tx.commit()
}
