package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/sealed"
)

var _ concern.Service = (*ConcernService)(nil)

// ConcernService is the social-services register of reports of concern.
// Its personal data is sealed with package sealed (register.go), and every
// read is audited; who may do what is in the doc comment of
// concern.Service.
type ConcernService struct{ db *DB }

// NewConcernService returns the register on db.
func NewConcernService(db *DB) *ConcernService { return &ConcernService{db: db} }

// objectConcern is the audit log's object type for the register.
const objectConcern = "concern"

// concernRegister is the register's sealed columns: a report's identities
// (with the child's blind index) and its steps, bound to the report's ref.
var concernRegister = declareRegister(sealedRegister{name: "concern", label: "orosanmälningsregistret", object: objectConcern,
	columns: []sealedColumn{
		{table: "concerns", column: "sealed", ref: "t.ref", record: boundToRef, index: "child_index",
			indexOf: jsonIndex(func(id sealedIdentity) string { return id.ChildID })},
		{table: "concern_steps", column: "sealed", ref: "c.ref", join: "JOIN concerns c ON c.id = t.concern_id", record: boundToRef},
	}})

// concernKeyring returns the keyring of the register of reports of concern.
func (db *DB) concernKeyring() (*sealed.Keyring, error) { return db.keyring(concernRegister) }

// registerCaller is a caller allowed into the register.
type registerCaller struct {
	identity
	orgID   int64
	manager bool
}

// registerAccess returns the caller if it may use the register: a signed-in
// user with role socialtjänst or arbetsledare whose organisation is of type
// socialtjänst. The operator may not; nobody else learns that the register
// holds anything.
func registerAccess(ctx context.Context, q queryer) (registerCaller, error) {
	c := caller(ctx)
	if c.user == nil || !c.user.Has(concern.RegisterRoles...) {
		return registerCaller{}, c.denied()
	}
	var orgType string
	err := q.QueryRowContext(ctx, "SELECT type FROM organisations WHERE id = $1", c.user.OrgID).Scan(&orgType)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && trygg.OrgType(orgType) != trygg.OrgSocialServices) {
		return registerCaller{}, trygg.NotFound()
	} else if err != nil {
		return registerCaller{}, err
	}
	return registerCaller{identity: c, orgID: c.user.OrgID, manager: c.user.Has(trygg.RoleArbetsledare)}, nil
}

// sealedIdentity is what the concerns.sealed column holds.
type sealedIdentity struct {
	ChildIDKind       string `json:"child_id_kind"`
	ChildID           string `json:"child_id"`
	ChildName         string `json:"child_name"`
	Guardians         string `json:"guardians,omitempty"`
	ReporterName      string `json:"reporter_name,omitempty"`
	ReporterContact   string `json:"reporter_contact,omitempty"`
	ReporterProtected bool   `json:"reporter_protected,omitempty"`
	Description       string `json:"description"`
}

// sealedStep is what concern_steps.sealed holds: a step's texts and flags.
type sealedStep struct {
	Open          bool      `json:"open,omitempty"`
	ProtectNeeded bool      `json:"protect_needed,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	Exceptional   string    `json:"exceptional,omitempty"`
	NewDue        trygg.Day `json:"new_due,omitempty"`
	Decision      string    `json:"decision,omitempty"`
	Interventions string    `json:"interventions,omitempty"`
	AssigneeID    int64     `json:"assignee_id,omitempty"`
}

// newRef makes an opaque, unguessable handle for a report.
func newRef() string {
	b := make([]byte, 10)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// CreateReport records a new report in the caller's register and audits
// it. A case worker's report is assigned to the case worker; a manager's
// (arbetsledare without role socialtjänst) to nobody yet. A report filed
// from an operativ task completes that task in the same transaction.
func (s *ConcernService) CreateReport(ctx context.Context, in concern.Input) (*concern.Report, error) {
	rc, err := registerAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	keys, err := s.db.concernKeyring()
	if err != nil {
		return nil, err
	}
	var created *concern.Report
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		if err := in.Validate(tx.now); err != nil {
			return err
		}
		uid := rc.user.ID
		c := &concern.Report{
			Ref: newRef(), OrgID: rc.orgID, ReceivedAt: fromMillis(millis(in.ReceivedAt)), Channel: in.Channel,
			ReporterCategory: in.ReporterCategory, ReporterMandatory: in.ReporterMandatory,
			ReporterName: in.ReporterName, ReporterContact: in.ReporterContact, ReporterProtected: in.ReporterProtected,
			ChildIDKind: in.ChildIDKind, ChildID: in.ChildID, ChildName: in.ChildName, Guardians: in.Guardians,
			Categories: slices.Clone(in.Categories), Description: in.Description,
			AssigneeID: &uid, AssigneeName: rc.user.Name, CreatedAt: tx.now,
		}
		if !concern.AssignedOnIntake(rc.user) {
			c.AssigneeID, c.AssigneeName = nil, ""
		}
		plain, err := json.Marshal(sealedIdentity{ChildIDKind: c.ChildIDKind, ChildID: c.ChildID, ChildName: c.ChildName,
			Guardians: c.Guardians, ReporterName: c.ReporterName, ReporterContact: c.ReporterContact,
			ReporterProtected: c.ReporterProtected, Description: c.Description})
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO concerns (ref, org_id, received_at, received_day, channel,
			reporter_category, reporter_mandatory, sealed, child_index, assignee_id, stage, next_due, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			c.Ref, c.OrgID, millis(c.ReceivedAt), int64(c.ReceivedDay()), c.Channel,
			c.ReporterCategory, boolInt(c.ReporterMandatory), keys.Seal(plain, c.Ref), keys.BlindIndex(c.ChildID),
			c.AssigneeID, int(c.Stage()), int64(c.NextDue()), millis(tx.now), uid).Scan(&c.ID)
		if err != nil {
			return err
		}
		for _, cat := range c.Categories {
			if _, err := tx.ExecContext(ctx, "INSERT INTO concern_categories (concern_id, category) VALUES ($1, $2)", c.ID, cat); err != nil {
				return err
			}
		}
		if err := countConcern(ctx, tx, c, c.IntakeCounts()...); err != nil {
			return err
		}
		if err := completeConcernTask(ctx, tx, rc.identity, in.TaskID, c.ID); err != nil {
			return err
		}
		created = c
		return tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditCreate, objectType: objectConcern, objectID: objectID(c.ID)})
	})
	return created, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const concernColumns = `c.id, c.ref, c.org_id, c.received_at, c.channel, c.reporter_category, c.reporter_mandatory,
	c.sealed, c.assignee_id, COALESCE(u.name, ''), c.created_at`

const concernFrom = " FROM concerns c LEFT JOIN users u ON u.id = c.assignee_id"

// scanConcern reads a row of concernColumns and opens its sealed fields.
func (s *ConcernService) scanConcern(row interface{ Scan(...any) error }) (*concern.Report, error) {
	var c concern.Report
	var received, created int64
	var mandatory int
	var sealed string
	var assignee sql.NullInt64
	if err := row.Scan(&c.ID, &c.Ref, &c.OrgID, &received, &c.Channel, &c.ReporterCategory, &mandatory,
		&sealed, &assignee, &c.AssigneeName, &created); err != nil {
		return nil, err
	}
	c.ReceivedAt, c.CreatedAt, c.ReporterMandatory, c.AssigneeID = fromMillis(received), fromMillis(created), mandatory == 1, int64Ptr(assignee)
	var id sealedIdentity
	if err := s.open(sealed, c.Ref, &id); err != nil {
		return nil, err
	}
	c.ChildIDKind, c.ChildID, c.ChildName, c.Guardians = id.ChildIDKind, id.ChildID, id.ChildName, id.Guardians
	c.ReporterName, c.ReporterContact, c.ReporterProtected, c.Description = id.ReporterName, id.ReporterContact, id.ReporterProtected, id.Description
	return &c, nil
}

// open unseals a value of the report ref into v with any configured key.
func (s *ConcernService) open(value, ref string, v any) error {
	keys, err := s.db.concernKeyring()
	if err != nil {
		return err
	}
	plain, err := keys.Open(value, ref)
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, v)
}

// loadConcern reads a report of the caller's organisation with its
// categories and steps; ENOTFOUND if there is none.
func (s *ConcernService) loadConcern(ctx context.Context, q queryer, orgID int64, where string, arg any) (*concern.Report, error) {
	c, err := s.scanConcern(q.QueryRowContext(ctx, "SELECT "+concernColumns+concernFrom+" WHERE c.org_id = $1 AND "+where, orgID, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	} else if err != nil {
		return nil, err
	}
	if err := s.loadDetails(ctx, q, []*concern.Report{c}); err != nil {
		return nil, err
	}
	return c, nil
}

// loadDetails fills in the categories and steps of reports, with one
// query for each, whatever the number of reports.
func (s *ConcernService) loadDetails(ctx context.Context, q queryer, cs []*concern.Report) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[int64]*concern.Report, len(cs))
	ids := make([]any, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
		c.Categories, c.Steps = nil, nil
	}
	in := " IN (" + placeholders(1, len(ids)) + ")"
	rows, err := q.QueryContext(ctx, "SELECT concern_id, category FROM concern_categories WHERE concern_id"+in, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var cat string
		if err := rows.Scan(&id, &cat); err != nil {
			rows.Close()
			return err
		}
		byID[id].Categories = append(byID[id].Categories, cat)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cs {
		concern.SortCategories(c.Categories)
	}
	rows, err = q.QueryContext(ctx, `SELECT s.concern_id, s.kind, s.at, s.by_id, COALESCE(u.name, ''), s.sealed
		FROM concern_steps s LEFT JOIN users u ON u.id = s.by_id WHERE s.concern_id`+in+` ORDER BY s.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, at int64
		var st concern.Step
		var sealed string
		if err := rows.Scan(&id, &st.Kind, &at, &st.ByID, &st.ByName, &sealed); err != nil {
			return err
		}
		c := byID[id]
		var d sealedStep
		if err := s.open(sealed, c.Ref, &d); err != nil {
			return err
		}
		st.At = fromMillis(at)
		st.Open, st.ProtectNeeded, st.Reason, st.Exceptional = d.Open, d.ProtectNeeded, d.Reason, d.Exceptional
		st.NewDue, st.Decision, st.Interventions, st.AssigneeID = d.NewDue, d.Decision, d.Interventions, d.AssigneeID
		c.Steps = append(c.Steps, st)
	}
	return rows.Err()
}

// errPurpose asks for the purpose of opening someone else's report.
var errPurpose = &trygg.Error{Code: concern.EPURPOSE, Message: "Anmälan är inte tilldelad dig. Ange syftet med att öppna den; det loggas.",
	Fields: []trygg.FieldError{{Field: "purpose", Message: "Välj ett syfte."}}}

// FindReport reads a report, with the child's other reports, and audits
// the read: with the purpose when the report is not assigned to the
// caller.
func (s *ConcernService) FindReport(ctx context.Context, ref, purpose string) (*concern.Report, error) {
	rc, err := registerAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	var found *concern.Report
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		c, err := s.loadConcern(ctx, tx, rc.orgID, "c.ref = $2", ref)
		if err != nil {
			return err
		}
		reason, err := sealed.ReasonFor(c.AssigneeID != nil && *c.AssigneeID == rc.user.ID, purpose, concern.ValidPurpose)
		switch {
		case errors.Is(err, sealed.ErrPurposeMissing):
			return errPurpose
		case errors.Is(err, sealed.ErrPurposeUnknown):
			return &trygg.Error{Code: trygg.EINVALID, Message: "Välj ett syfte i listan.", Fields: []trygg.FieldError{{Field: "purpose", Message: "Välj ett syfte i listan."}}}
		}
		earlier, err := s.childConcerns(ctx, tx, rc.orgID, c)
		if err != nil {
			return err
		}
		if e := concern.ChainedInvestigation(c, earlier); e != nil {
			c.Chained = e.Summary()
		}
		read := sealed.Access{Record: objectID(c.ID), Reason: reason, ShownAs: "tidigare anmälningar"}
		for _, e := range earlier {
			c.Earlier = append(c.Earlier, e.Summary())
			read.Shown = append(read.Shown, objectID(e.ID))
		}
		found = c
		return tx.auditAccess(ctx, rc.identity, objectConcern, read)
	})
	return found, err
}

// childConcerns returns the other reports about c's child, newest first,
// with their steps.
func (s *ConcernService) childConcerns(ctx context.Context, q queryer, orgID int64, c *concern.Report) ([]*concern.Report, error) {
	cs, err := s.findByChild(ctx, q, orgID, c.ChildID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(cs, func(e *concern.Report) bool { return e.ID == c.ID }), nil
}

// findByChild returns every report about the child with that number, by
// the blind index under each configured key, newest first.
func (s *ConcernService) findByChild(ctx context.Context, q queryer, orgID int64, childID string) ([]*concern.Report, error) {
	keys, err := s.db.concernKeyring()
	if err != nil {
		return nil, err
	}
	args := []any{orgID}
	for _, index := range keys.BlindIndexes(childID) {
		args = append(args, index)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+concernColumns+concernFrom+" WHERE c.org_id = $1 AND c.child_index IN ("+
		placeholders(2, len(args)-1)+") ORDER BY c.received_at DESC, c.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []*concern.Report
	for rows.Next() {
		c, err := s.scanConcern(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return cs, s.loadDetails(ctx, q, cs)
}

// FindReports returns a work queue, or the reports about one child, and
// audits the read with the IDs it showed.
func (s *ConcernService) FindReports(ctx context.Context, f concern.Filter) ([]*concern.Summary, error) {
	rc, err := registerAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	limit := f.ListLimit()
	var out []*concern.Summary
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		var cs []*concern.Report
		what := ""
		if f.ChildID != "" {
			found, err := s.findByChild(ctx, tx, rc.orgID, concern.SearchChildID(f.ChildID, tx.now))
			if err != nil {
				return err
			}
			cs, what = found[:min(len(found), limit)], "sökning på barnets nummer"
		} else {
			where, args, err := queueWhere(rc, f, trygg.DayOf(tx.now))
			if err != nil {
				return err
			}
			args = append(args, limit)
			rows, err := tx.QueryContext(ctx, "SELECT "+concernColumns+concernFrom+" WHERE "+where+
				" ORDER BY COALESCE(c.next_due, 0), c.received_at, c.id LIMIT $"+strconv.Itoa(len(args)), args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				c, err := s.scanConcern(rows)
				if err != nil {
					rows.Close()
					return err
				}
				cs = append(cs, c)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if err := s.loadDetails(ctx, tx, cs); err != nil {
				return err
			}
			what = "lista " + string(f.Queue)
		}
		ids := make([]string, len(cs))
		out = make([]*concern.Summary, len(cs))
		for i, c := range cs {
			out[i], ids[i] = c.Summary(), objectID(c.ID)
		}
		return tx.auditAccess(ctx, rc.identity, objectConcern, sealed.Access{Listing: what, Shown: ids})
	})
	return out, err
}

// queueWhere is the WHERE clause of a work queue.
func queueWhere(rc registerCaller, f concern.Filter, today trygg.Day) (string, []any, error) {
	where := []string{"c.org_id = $1"}
	args := []any{rc.orgID}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
		}
		where = append(where, cond)
	}
	switch f.Queue {
	case concern.QueueToday:
		add("c.closed_at IS NULL AND c.next_due = ?", int64(today))
	case concern.QueueOverdue:
		add("c.closed_at IS NULL AND c.next_due < ?", int64(today))
	case concern.QueueMine:
		add("c.closed_at IS NULL AND c.assignee_id = ?", rc.user.ID)
	case concern.QueueOpen, "":
		add("c.closed_at IS NULL")
	case concern.QueueUnassign:
		add("c.closed_at IS NULL AND c.assignee_id IS NULL")
	case concern.QueueClosed:
		add("c.closed_at IS NOT NULL")
	default:
		return "", nil, &trygg.Error{Code: trygg.EINVALID, Message: "Okänd arbetskö.", Fields: []trygg.FieldError{{Field: "queue", Message: "Okänd arbetskö."}}}
	}
	if f.AssigneeID != nil {
		add("c.assignee_id = ?", *f.AssigneeID)
	}
	return strings.Join(where, " AND "), args, nil
}

// RecordStep records a step of the clock or an assignment (managers only)
// and updates the columns the queues and statistics read.
func (s *ConcernService) RecordStep(ctx context.Context, ref string, in concern.StepInput) (*concern.Report, error) {
	rc, err := registerAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	if in.Kind == concern.StepAssign && !rc.manager {
		return nil, trygg.Errorf(trygg.EINVALID, "Bara arbetsledare fördelar anmälningar.")
	}
	keys, err := s.db.concernKeyring()
	if err != nil {
		return nil, err
	}
	var updated *concern.Report
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		c, err := s.loadConcern(ctx, tx, rc.orgID, "c.ref = $2", ref)
		if err != nil {
			return err
		}
		if err := c.ValidateStep(&in, tx.now); err != nil {
			return err
		}
		if in.Kind == concern.StepAssign {
			workers, err := caseWorkers(ctx, tx, rc.orgID)
			if err != nil {
				return err
			}
			i := slices.IndexFunc(workers, func(u *trygg.User) bool { return u.ID == in.AssigneeID })
			if i < 0 {
				return &trygg.Error{Code: trygg.EINVALID, Message: "Välj en handläggare i listan.", Fields: []trygg.FieldError{{Field: "assignee", Message: "Välj en handläggare i listan."}}}
			}
			c.AssigneeID, c.AssigneeName = &in.AssigneeID, workers[i].Name
		}
		step := concern.Step{Kind: in.Kind, At: fromMillis(millis(in.At)), ByID: rc.user.ID, ByName: rc.user.Name,
			Open: in.Open, ProtectNeeded: in.ProtectNeeded, Reason: in.Reason, Exceptional: in.Exceptional, NewDue: in.NewDue,
			Decision: in.Decision, Interventions: in.Interventions, AssigneeID: in.AssigneeID}
		plain, err := json.Marshal(sealedStep{Open: step.Open, ProtectNeeded: step.ProtectNeeded, Reason: step.Reason,
			Exceptional: step.Exceptional, NewDue: step.NewDue, Decision: step.Decision, Interventions: step.Interventions, AssigneeID: step.AssigneeID})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO concern_steps (concern_id, kind, at, by_id, sealed, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
			c.ID, step.Kind, millis(step.At), step.ByID, keys.Seal(plain, c.Ref), millis(tx.now))
		if err != nil {
			return err
		}
		c.Steps = append(c.Steps, step)
		if err := updateClockColumns(ctx, tx, c); err != nil {
			return err
		}
		if err := countConcern(ctx, tx, c, c.StepCounts(step)...); err != nil {
			return err
		}
		updated = c
		return tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectConcern, objectID: objectID(c.ID), detail: "steg: " + in.Kind})
	})
	return updated, err
}

// updateClockColumns stores what the clock says about c in the columns
// the queues and the statistics read.
func updateClockColumns(ctx context.Context, tx *Tx, c *concern.Report) error {
	var closed sql.NullInt64
	if at := c.ClosedAt(); at != nil {
		closed = sql.NullInt64{Int64: millis(*at), Valid: true}
	}
	due := c.NextDue()
	_, err := tx.ExecContext(ctx, `UPDATE concerns SET stage = $1, next_due = $2, investigated = $3, closed_at = $4, assignee_id = $5 WHERE id = $6`,
		int(c.Stage()), sql.NullInt64{Int64: int64(due), Valid: due != 0}, boolInt(c.Investigated()), closed, c.AssigneeID, c.ID)
	return err
}

// caseWorkers returns the active register users of an organisation.
func caseWorkers(ctx context.Context, q queryer, orgID int64) ([]*trygg.User, error) {
	users, err := findUsers(ctx, q, "u.org_id = $1 AND u.disabled_at IS NULL", orgID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(users, func(u *trygg.User) bool { return !u.Has(concern.RegisterRoles...) }), nil
}

// FindCaseWorkers lists the register users of the caller's organisation.
func (s *ConcernService) FindCaseWorkers(ctx context.Context) ([]*trygg.User, error) {
	rc, err := registerAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	return caseWorkers(ctx, s.db.read, rc.orgID)
}

// FindAccessLog returns the audit log of one report, for managers.
// Reading it is itself audited.
func (s *ConcernService) FindAccessLog(ctx context.Context, ref string) ([]*concern.Access, error) {
	rc, err := registerAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	if !rc.manager {
		return nil, trygg.NotFound()
	}
	var out []*concern.Access
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM concerns WHERE org_id = $1 AND ref = $2", rc.orgID, ref).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		// The report's own entries, and the lists, searches and other
		// reports' pages that showed it.
		args := []any{objectConcern, objectID(id)}
		for _, p := range sealed.ShownPatterns(objectID(id)) {
			args = append(args, p)
		}
		rows, err := tx.QueryContext(ctx, `SELECT a.at, COALESCE(u.name, ''), a.role, a.action, a.detail, a.object_id
			FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
			WHERE a.object_type = $1 AND (a.object_id = $2 OR a.detail LIKE $3 OR a.detail LIKE $4 OR a.detail LIKE $5 OR a.detail LIKE $6)
			ORDER BY a.id DESC LIMIT 1000`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a concern.Access
			var at int64
			var role, detail, object string
			if err := rows.Scan(&at, &a.UserName, &role, &a.Action, &detail, &object); err != nil {
				return err
			}
			a.At, a.Role = fromMillis(at), trygg.Role(role)
			a.Purpose = concern.AccessPurpose(object, objectID(id), detail)
			out = append(out, &a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return tx.audit(ctx, actorOf(rc.identity), auditEntry{action: trygg.AuditRead, objectType: objectConcern, objectID: objectID(id), detail: "åtkomstlogg"})
	})
	return out, err
}

// Stats loads the totals of concern_counts that concern.ComputeStats
// counts over, from every social-services register.
func (s *ConcernService) Stats(ctx context.Context, today trygg.Day) (*concern.Stats, error) {
	c := caller(ctx)
	if !c.user.Has(concern.StatsRoles...) {
		return nil, c.denied()
	}
	first, last := concern.StatsMonths(today)
	rows, err := s.db.read.QueryContext(ctx, `SELECT month, measure, code, sum(n) FROM concern_counts
		WHERE month >= $1 AND month <= $2 GROUP BY month, measure, code`, first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var counts []concern.CountRow
	for rows.Next() {
		var r concern.CountRow
		if err := rows.Scan(&r.Month, &r.Measure, &r.Code, &r.N); err != nil {
			return nil, err
		}
		counts = append(counts, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return concern.ComputeStats(counts, today), nil
}

// countConcern adds one to each key in the month c counts in.
func countConcern(ctx context.Context, tx *Tx, c *concern.Report, keys ...concern.CountKey) error {
	for _, k := range keys {
		_, err := tx.ExecContext(ctx, `INSERT INTO concern_counts (month, measure, code, n) VALUES ($1, $2, $3, 1)
			ON CONFLICT (month, measure, code) DO UPDATE SET n = concern_counts.n + 1`, c.CountMonth(), k.Measure, k.Code)
		if err != nil {
			return err
		}
	}
	return nil
}
