package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

var _ samverkan.NoticeService = (*NoticeService)(nil)

// NoticeService computes each user's notices from the actions.
type NoticeService struct{ db *DB }

// NewNoticeService returns the notice service of db.
func NewNoticeService(db *DB) *NoticeService { return &NoticeService{db: db} }

// noticeUser returns the signed-in samordnare, rapportör or polis whose
// notices these are; the operator has no organisation and no list.
func noticeUser(c identity) (*trygg.User, error) {
	if c.user == nil || !c.user.Has(trygg.RoleSamordnare, trygg.RoleRapportor, trygg.RolePolis) {
		return nil, c.denied()
	}
	return c.user, nil
}

// FindNotices returns the caller's notices.
func (s *NoticeService) FindNotices(ctx context.Context) (*samverkan.NoticeList, error) {
	u, err := noticeUser(caller(ctx))
	if err != nil {
		return nil, err
	}
	now := s.db.Now()
	var read sql.NullInt64
	err = s.db.read.QueryRowContext(ctx, "SELECT read_at FROM notice_reads WHERE user_id = $1", u.ID).Scan(&read)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	list := &samverkan.NoticeList{ReadAt: timePtr(read)}
	since := samverkan.NoticeSince(list.ReadAt, now)
	today := trygg.DayOf(now)
	actions, err := noticeActions(ctx, s.db.read, u.OrgID, today, since)
	if err != nil {
		return nil, err
	}
	list.Notices = samverkan.Notices(actions, today, since)
	return list, nil
}

// noticeActions returns the open actions due by today+DueSoonDays or
// created by a meeting decision after since; only org's when org is not 0.
func noticeActions(ctx context.Context, q queryer, org int64, today trygg.Day, since time.Time) ([]*samverkan.Action, error) {
	where := ` WHERE a.status IN ('planerad', 'pagaende') AND (a.deadline <= $1 OR (a.decision_id IS NOT NULL AND a.created_at > $2))`
	args := []any{today + samverkan.DueSoonDays, millis(since)}
	if org != 0 {
		where += " AND a.owner_org_id = $3"
		args = append(args, org)
	}
	return findActions(ctx, q, where, args...)
}

// MarkNoticesRead records now as when the caller last read the list.
func (s *NoticeService) MarkNoticesRead(ctx context.Context) error {
	u, err := noticeUser(caller(ctx))
	if err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notice_reads (user_id, read_at) VALUES ($1, $2)
			ON CONFLICT (user_id) DO UPDATE SET read_at = excluded.read_at`, u.ID, millis(tx.now))
		return err
	})
}
