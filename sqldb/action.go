package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

var _ samverkan.ActionService = (*ActionService)(nil)

// ActionService keeps actions and calendar feeds.
type ActionService struct{ db *DB }

// NewActionService returns the action service of db.
func NewActionService(db *DB) *ActionService { return &ActionService{db: db} }

const actionColumns = `a.id, a.title, a.description, o.code, o.name, a.owner_user_id, COALESCE(u.name, ''), a.areas,
	a.start_day, a.deadline, a.status, a.cancel_reason, a.outcome, a.commitment_id, COALESCE(c.text, ''), a.decision_id,
	a.created_at, a.updated_at, a.owner_org_id, md.meeting_id`

const actionFrom = ` FROM actions a JOIN organisations o ON o.id = a.owner_org_id
	LEFT JOIN users u ON u.id = a.owner_user_id LEFT JOIN commitments c ON c.id = a.commitment_id
	LEFT JOIN meeting_decisions md ON md.id = a.decision_id`

type storedAction struct {
	*samverkan.Action
	ownerID int64
}

func scanAction(s interface{ Scan(...any) error }) (storedAction, error) {
	var a samverkan.Action
	var user, commitment, decision, meeting sql.NullInt64
	var areas string
	var created, updated, owner int64
	err := s.Scan(&a.ID, &a.Title, &a.Description, &a.OwnerOrgCode, &a.OwnerOrgName, &user, &a.OwnerUserName, &areas,
		&a.Start, &a.Deadline, &a.Status, &a.CancelReason, &a.Outcome, &commitment, &a.CommitmentText, &decision,
		&created, &updated, &owner, &meeting)
	if err != nil {
		return storedAction{}, err
	}
	a.OwnerUserID, a.CommitmentID, a.DecisionID, a.MeetingID = int64Ptr(user), int64Ptr(commitment), int64Ptr(decision), int64Ptr(meeting)
	a.Areas, a.CreatedAt, a.UpdatedAt = splitCodes(areas), fromMillis(created), fromMillis(updated)
	return storedAction{Action: &a, ownerID: owner}, nil
}

func findActions(ctx context.Context, q queryer, where string, args ...any) ([]*samverkan.Action, error) {
	var out []*samverkan.Action
	err := eachRow(ctx, q, "SELECT "+actionColumns+actionFrom+where+" ORDER BY a.deadline, a.id", args,
		func(row interface{ Scan(...any) error }) error {
			a, err := scanAction(row)
			out = append(out, a.Action)
			return err
		})
	return out, err
}

func findAction(ctx context.Context, q queryer, id int64) (storedAction, error) {
	a, err := scanAction(q.QueryRowContext(ctx, "SELECT "+actionColumns+actionFrom+" WHERE a.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, trygg.NotFound()
	}
	return a, err
}

// seesAllActions reports whether the caller sees every organisation's
// actions (samordnare, läsare, the operator); partners see their own.
func seesAllActions(c identity) bool {
	return c.operator || c.user.Has(trygg.RoleSamordnare, trygg.RoleLasare)
}

// FindActions returns the visible actions matching f, by deadline.
func (s *ActionService) FindActions(ctx context.Context, f samverkan.ActionFilter) ([]*samverkan.Action, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	q := &reportQuery{}
	if !seesAllActions(c) {
		q.add("a.owner_org_id = %s", c.user.OrgID)
	}
	if f.OrgCode != "" {
		q.add("o.code = %s", f.OrgCode)
	}
	if f.CommitmentID != nil {
		q.add("a.commitment_id = %s", *f.CommitmentID)
	}
	if f.OpenOnly {
		q.add("a.status IN ('planerad', 'pagaende')")
	}
	return findActions(ctx, s.db.read, q.sql(), q.args...)
}

// FindActionByID returns the action if the caller may see it.
func (s *ActionService) FindActionByID(ctx context.Context, id int64) (*samverkan.Action, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	a, err := findAction(ctx, s.db.read, id)
	if err != nil {
		return nil, err
	}
	if !seesAllActions(c) && a.ownerID != c.user.OrgID {
		return nil, trygg.NotFound()
	}
	return a.Action, nil
}

// checkAction validates in against the database and returns the owner's ID.
func checkAction(ctx context.Context, tx *Tx, in *samverkan.ActionInput) (int64, error) {
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var v trygg.Validation
	ids, err := orgIDs(ctx, tx, &v, []string{"owner"}, []string{in.OwnerOrgCode})
	if err != nil {
		return 0, err
	}
	if err := checkCodeList(ctx, tx, &v, "areas", "areas", in.Areas); err != nil {
		return 0, err
	}
	if in.OwnerUserID != nil && len(v.Fields) == 0 {
		var n int
		err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE id = $1 AND org_id = $2 AND disabled_at IS NULL",
			*in.OwnerUserID, ids[0]).Scan(&n)
		if err != nil {
			return 0, err
		}
		if n == 0 {
			v.Add("owner_user", "Personen finns inte i den ansvariga organisationen.")
		}
	}
	if in.CommitmentID != nil {
		if _, err := findCommitment(ctx, tx, *in.CommitmentID); trygg.ErrorCode(err) == trygg.ENOTFOUND {
			v.Add("commitment", "Åtagandet finns inte.")
		} else if err != nil {
			return 0, err
		}
	}
	return ids[0], v.Err()
}

// CreateAction stores a new, planned action. Samordnare and the operator.
func (s *ActionService) CreateAction(ctx context.Context, in samverkan.ActionInput) (*samverkan.Action, error) {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return nil, c.denied()
	}
	var out *samverkan.Action
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		a, err := tx.createAction(ctx, c, in)
		out = a.Action
		return err
	})
	return out, err
}

// createAction stores a new, planned action in tx.
func (tx *Tx) createAction(ctx context.Context, c identity, in samverkan.ActionInput) (storedAction, error) {
	return writeAudited(ctx, tx, c, auditEntry{action: trygg.AuditCreate, objectType: "action"}, func() (int64, error) {
		owner, err := checkAction(ctx, tx, &in)
		if err != nil {
			return 0, err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO actions (title, description, owner_org_id, owner_user_id, areas, start_day, deadline,
			status, commitment_id, decision_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'planerad', $8, $9, $10, $10) RETURNING id`,
			in.Title, in.Description, owner, in.OwnerUserID, joinCodes(in.Areas), in.Start, in.Deadline,
			in.CommitmentID, in.DecisionID, millis(tx.now)).Scan(&id)
		return id, err
	}, findAction)
}

// UpdateAction replaces an action's fields. Samordnare and the operator.
func (s *ActionService) UpdateAction(ctx context.Context, id int64, in samverkan.ActionInput) (*samverkan.Action, error) {
	a, err := manageWrite(ctx, s.db, auditEntry{action: trygg.AuditUpdate, objectType: "action"}, func(tx *Tx) (int64, error) {
		owner, err := checkAction(ctx, tx, &in)
		if err != nil {
			return 0, err
		}
		return id, updatedOne(tx.ExecContext(ctx, `UPDATE actions SET title = $1, description = $2, owner_org_id = $3, owner_user_id = $4,
			areas = $5, start_day = $6, deadline = $7, commitment_id = $8, decision_id = $9, updated_at = $10 WHERE id = $11`,
			in.Title, in.Description, owner, in.OwnerUserID, joinCodes(in.Areas), in.Start, in.Deadline,
			in.CommitmentID, in.DecisionID, millis(tx.now), id))
	}, findAction)
	return a.Action, err
}

// SetActionStatus changes status, outcome and cancel reason. Samordnare,
// the operator, or the owning organisation's rapportör or polis.
func (s *ActionService) SetActionStatus(ctx context.Context, id int64, in samverkan.ActionStatusInput) (*samverkan.Action, error) {
	c := caller(ctx)
	if err := actsForSomeone(c); err != nil {
		return nil, err
	}
	var out *samverkan.Action
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		a, err := findAction(ctx, tx, id)
		if err != nil {
			return err
		}
		if !actsFor(c, a.ownerID) {
			return trygg.NotFound()
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE actions SET status = $1, cancel_reason = $2, outcome = $3, updated_at = $4 WHERE id = $5",
			string(in.Status), in.CancelReason, in.Outcome, millis(tx.now), id); err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "action", objectID: objectID(id), detail: "status " + string(in.Status)}); err != nil {
			return err
		}
		a, err = findAction(ctx, tx, id)
		out = a.Action
		return err
	})
	return out, err
}

// orgForCaller returns the ID of the organisation with code if the caller
// acts for it.
func orgForCaller(ctx context.Context, q queryer, c identity, code string) (int64, error) {
	if err := actsForSomeone(c); err != nil {
		return 0, err
	}
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM organisations WHERE code = $1", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actsFor(c, id)) {
		return 0, trygg.NotFound()
	}
	return id, err
}

// FindAssignees lists the active users of an organisation, by name.
func (s *ActionService) FindAssignees(ctx context.Context, orgCode string) ([]samverkan.Assignee, error) {
	c := caller(ctx)
	org, err := orgForCaller(ctx, s.db.read, c, orgCode)
	if err != nil {
		return nil, err
	}
	var out []samverkan.Assignee
	err = eachRow(ctx, s.db.read, "SELECT id, name FROM users WHERE org_id = $1 AND disabled_at IS NULL ORDER BY name, id", []any{org},
		func(row interface{ Scan(...any) error }) error {
			var a samverkan.Assignee
			err := row.Scan(&a.ID, &a.Name)
			out = append(out, a)
			return err
		})
	return out, err
}

// feedHash is the stored form of a calendar secret.
func feedHash(secret string) string {
	sum := sha256.Sum256([]byte("calendar:" + secret))
	return hex.EncodeToString(sum[:])
}

// CreateCalendarFeed makes a feed and returns its secret once.
func (s *ActionService) CreateCalendarFeed(ctx context.Context, orgCode string) (*samverkan.CalendarFeed, string, error) {
	c := caller(ctx)
	b := make([]byte, 32)
	rand.Read(b)
	secret := base64.RawURLEncoding.EncodeToString(b)
	feed := &samverkan.CalendarFeed{OrgCode: orgCode}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		org, err := orgForCaller(ctx, tx, c, orgCode)
		if err != nil {
			return err
		}
		var by *int64
		if c.user != nil {
			by = &c.user.ID
		}
		if err := tx.QueryRowContext(ctx, "INSERT INTO calendar_feeds (org_id, token_hash, created_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id",
			org, feedHash(secret), millis(tx.now), by).Scan(&feed.ID); err != nil {
			return err
		}
		feed.CreatedAt = tx.now
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "calendar_feed", objectID: objectID(feed.ID)})
	})
	if err != nil {
		return nil, "", err
	}
	return feed, secret, nil
}

// FindCalendarFeeds lists an organisation's feeds, newest first.
func (s *ActionService) FindCalendarFeeds(ctx context.Context, orgCode string) ([]*samverkan.CalendarFeed, error) {
	c := caller(ctx)
	org, err := orgForCaller(ctx, s.db.read, c, orgCode)
	if err != nil {
		return nil, err
	}
	var out []*samverkan.CalendarFeed
	err = eachRow(ctx, s.db.read, "SELECT id, created_at, revoked_at FROM calendar_feeds WHERE org_id = $1 ORDER BY id DESC", []any{org},
		func(row interface{ Scan(...any) error }) error {
			f := &samverkan.CalendarFeed{OrgCode: orgCode}
			var created int64
			var revoked sql.NullInt64
			err := row.Scan(&f.ID, &created, &revoked)
			f.CreatedAt, f.RevokedAt = fromMillis(created), timePtr(revoked)
			out = append(out, f)
			return err
		})
	return out, err
}

// RevokeCalendarFeed stops a feed for good.
func (s *ActionService) RevokeCalendarFeed(ctx context.Context, id int64) error {
	c := caller(ctx)
	if err := actsForSomeone(c); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		var org int64
		err := tx.QueryRowContext(ctx, "SELECT org_id FROM calendar_feeds WHERE id = $1", id).Scan(&org)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actsFor(c, org)) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE calendar_feeds SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2", millis(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditDelete, objectType: "calendar_feed", objectID: objectID(id)})
	})
}

// CalendarActions returns the organisation and its actions for a live
// feed's secret. Anyone with the secret.
func (s *ActionService) CalendarActions(ctx context.Context, secret string) (*trygg.Organisation, []*samverkan.Action, error) {
	if secret == "" {
		return nil, nil, trygg.NotFound()
	}
	org, err := scanOrganisation(s.db.read.QueryRowContext(ctx, "SELECT o."+orgColumnsQualified+` FROM calendar_feeds f
		JOIN organisations o ON o.id = f.org_id WHERE f.token_hash = $1 AND f.revoked_at IS NULL`, feedHash(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, trygg.NotFound()
	} else if err != nil {
		return nil, nil, err
	}
	actions, err := findActions(ctx, s.db.read, " WHERE a.owner_org_id = $1", org.ID)
	return org, actions, err
}

// orgColumnsQualified is orgColumns for a query that names the table o.
const orgColumnsQualified = "id, o.code, o.name, o.type, o.created_at"
