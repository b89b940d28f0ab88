package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

var _ samverkan.MeetingService = (*MeetingService)(nil)

// MeetingService keeps the weekly meetings.
type MeetingService struct{ db *DB }

// NewMeetingService returns the meeting service of db.
func NewMeetingService(db *DB) *MeetingService { return &MeetingService{db: db} }

const meetingColumns = `m.id, m.day, m.minutes, m.closed_at, COALESCE(u.name, ''), m.created_at, m.updated_at`

const meetingFrom = " FROM meetings m LEFT JOIN users u ON u.id = m.closed_by"

func scanMeeting(s interface{ Scan(...any) error }) (*samverkan.Meeting, error) {
	var m samverkan.Meeting
	var closed sql.NullInt64
	var created, updated int64
	if err := s.Scan(&m.ID, &m.Day, &m.Minutes, &closed, &m.ClosedByName, &created, &updated); err != nil {
		return nil, err
	}
	m.ClosedAt, m.CreatedAt, m.UpdatedAt = timePtr(closed), fromMillis(created), fromMillis(updated)
	m.Attendees, m.Decisions = []samverkan.Party{}, []*samverkan.Decision{}
	return &m, nil
}

// FindMeetings returns the meetings, newest first, without their
// decisions. Readers of samverkan.
func (s *MeetingService) FindMeetings(ctx context.Context) ([]*samverkan.Meeting, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	var out []*samverkan.Meeting
	err := eachRow(ctx, s.db.read, "SELECT "+meetingColumns+meetingFrom+" ORDER BY m.day DESC, m.id DESC", nil,
		func(row interface{ Scan(...any) error }) error {
			m, err := scanMeeting(row)
			out = append(out, m)
			return err
		})
	return out, err
}

// findMeeting loads a meeting with its attendees, decisions and their
// actions. Actions are filtered as FindActions filters them for c.
func findMeeting(ctx context.Context, q queryer, c identity, id int64) (*samverkan.Meeting, error) {
	m, err := scanMeeting(q.QueryRowContext(ctx, "SELECT "+meetingColumns+meetingFrom+" WHERE m.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	} else if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, `SELECT o.code, o.name FROM meeting_attendees a JOIN organisations o ON o.id = a.org_id
		WHERE a.meeting_id = $1 ORDER BY o.name`, []any{id}, func(row interface{ Scan(...any) error }) error {
		var p samverkan.Party
		err := row.Scan(&p.OrgCode, &p.OrgName)
		m.Attendees = append(m.Attendees, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*samverkan.Decision{}
	err = eachRow(ctx, q, "SELECT id, text, created_at FROM meeting_decisions WHERE meeting_id = $1 ORDER BY id", []any{id},
		func(row interface{ Scan(...any) error }) error {
			d := &samverkan.Decision{MeetingID: id, Actions: []*samverkan.Action{}}
			var created int64
			err := row.Scan(&d.ID, &d.Text, &created)
			d.CreatedAt = fromMillis(created)
			m.Decisions = append(m.Decisions, d)
			byID[d.ID] = d
			return err
		})
	if err != nil {
		return nil, err
	}
	where := " WHERE a.decision_id IN (SELECT id FROM meeting_decisions WHERE meeting_id = $1)"
	args := []any{id}
	if !seesAllActions(c) {
		where += " AND a.owner_org_id = $2"
		args = append(args, c.user.OrgID)
	}
	actions, err := findActions(ctx, q, where, args...)
	for _, a := range actions {
		d := byID[*a.DecisionID]
		d.Actions = append(d.Actions, a)
	}
	return m, err
}

// FindMeetingByID returns the meeting. Readers of samverkan.
func (s *MeetingService) FindMeetingByID(ctx context.Context, id int64) (*samverkan.Meeting, error) {
	c := caller(ctx)
	if !readsSamverkan(c) {
		return nil, c.denied()
	}
	return findMeeting(ctx, s.db.read, c, id)
}

// CreateMeeting opens a meeting on day. Samordnare and the operator.
func (s *MeetingService) CreateMeeting(ctx context.Context, day trygg.Day) (*samverkan.Meeting, error) {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return nil, c.denied()
	}
	if day < trygg.DateDay(2000, 1, 1) || day > trygg.DateDay(2100, 1, 1) {
		var v trygg.Validation
		v.Add("day", "Ange mötets datum.")
		return nil, v.Err()
	}
	var m *samverkan.Meeting
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO meetings (day, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id",
			day, millis(tx.now)).Scan(&id); err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "meeting", objectID: objectID(id)}); err != nil {
			return err
		}
		var err error
		m, err = findMeeting(ctx, tx, c, id)
		return err
	})
	return m, err
}

// openMeeting checks in tx that the meeting exists and is not closed.
func openMeeting(ctx context.Context, tx *Tx, id int64) error {
	var closed sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT closed_at FROM meetings WHERE id = $1", id).Scan(&closed)
	if errors.Is(err, sql.ErrNoRows) {
		return trygg.NotFound()
	} else if err != nil {
		return err
	}
	return (&samverkan.Meeting{ClosedAt: timePtr(closed)}).CheckOpen()
}

// UpdateMeeting records attendance and minutes. Samordnare and the operator.
func (s *MeetingService) UpdateMeeting(ctx context.Context, id int64, in samverkan.MeetingInput) (*samverkan.Meeting, error) {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return nil, c.denied()
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var m *samverkan.Meeting
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if err := openMeeting(ctx, tx, id); err != nil {
			return err
		}
		var v trygg.Validation
		fields := make([]string, len(in.Attendees))
		for i := range fields {
			fields[i] = "attendees"
		}
		orgs, err := orgIDs(ctx, tx, &v, fields, in.Attendees)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET minutes = $1, updated_at = $2 WHERE id = $3", in.Minutes, millis(tx.now), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM meeting_attendees WHERE meeting_id = $1", id); err != nil {
			return err
		}
		for _, org := range orgs {
			if _, err := tx.ExecContext(ctx, "INSERT INTO meeting_attendees (meeting_id, org_id) VALUES ($1, $2)", id, org); err != nil {
				return err
			}
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "meeting", objectID: objectID(id)}); err != nil {
			return err
		}
		m, err = findMeeting(ctx, tx, c, id)
		return err
	})
	return m, err
}

// AddDecision records a decision and creates its action in the same
// transaction. Samordnare and the operator.
func (s *MeetingService) AddDecision(ctx context.Context, meetingID int64, in samverkan.DecisionInput) (*samverkan.Decision, error) {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return nil, c.denied()
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	d := &samverkan.Decision{MeetingID: meetingID, Text: in.Text, Actions: []*samverkan.Action{}}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if err := openMeeting(ctx, tx, meetingID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "INSERT INTO meeting_decisions (meeting_id, text, created_at) VALUES ($1, $2, $3) RETURNING id",
			meetingID, in.Text, millis(tx.now)).Scan(&d.ID); err != nil {
			return err
		}
		d.CreatedAt = tx.now
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "meeting_decision", objectID: objectID(d.ID)}); err != nil {
			return err
		}
		if in.Action != nil {
			ai := *in.Action
			ai.DecisionID = &d.ID
			a, err := tx.createAction(ctx, c, ai)
			if err != nil {
				return err
			}
			d.Actions = append(d.Actions, a.Action)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// CloseMeeting locks the meeting. Samordnare and the operator.
func (s *MeetingService) CloseMeeting(ctx context.Context, id int64) error {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if err := openMeeting(ctx, tx, id); err != nil {
			return err
		}
		var by *int64
		if c.user != nil {
			by = &c.user.ID
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET closed_at = $1, closed_by = $2, updated_at = $1 WHERE id = $3",
			millis(tx.now), by, id); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "meeting", objectID: objectID(id), detail: "stängt"})
	})
}
