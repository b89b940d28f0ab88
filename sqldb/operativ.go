package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
)

var (
	_ operativ.RoutineService   = (*OperativService)(nil)
	_ operativ.OperationService = (*OperativService)(nil)
	_ operativ.ReferralService  = (*OperativService)(nil)
	_ operativ.AdService        = (*OperativService)(nil)
	_ operativ.KastService      = (*OperativService)(nil)
)

// OperativService keeps joint operations, contacts, referrals and tasks,
// the routines, the advertising indicator and the KAST log: it implements
// every service interface of package operativ.
type OperativService struct{ db *DB }

// NewOperativService returns the operativ samverkan service of db.
func NewOperativService(db *DB) *OperativService { return &OperativService{db: db} }

// worksOperations reports whether the caller reads and records operations.
func worksOperations(c identity) bool {
	return c.operator || c.user.Has(trygg.RolePolis, trygg.RoleSocialtjanst, trygg.RoleArbetsledare)
}

// readsOperativStats reports whether the caller sees the aggregates.
func readsOperativStats(c identity) bool {
	return worksOperations(c) || c.user.Has(trygg.RoleSamordnare, trygg.RoleLasare)
}

// userID is the caller's ID for created_by columns, nil for the operator.
func (c identity) userID() *int64 {
	if c.user == nil {
		return nil
	}
	return &c.user.ID
}

// FindRoutines returns every version, newest first.
func (s *OperativService) FindRoutines(ctx context.Context) ([]*operativ.Routine, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	var out []*operativ.Routine
	err := eachRow(ctx, s.db.read, `SELECT r.id, r.version, r.title, r.summary, r.valid_from, r.created_at,
		d.name, d.size, d.sha256, d.uploaded_at FROM operativ_routines r LEFT JOIN routine_documents d ON d.routine_id = r.id
		ORDER BY r.version DESC`, nil,
		func(row interface{ Scan(...any) error }) error {
			var r operativ.Routine
			var created int64
			var name, sum sql.NullString
			var size, uploaded sql.NullInt64
			err := row.Scan(&r.ID, &r.Version, &r.Title, &r.Summary, &r.ValidFrom, &created, &name, &size, &sum, &uploaded)
			r.CreatedAt = fromMillis(created)
			if name.Valid {
				r.Document = &trygg.Document{Name: name.String, Size: int(size.Int64), SHA256: sum.String, UploadedAt: fromMillis(uploaded.Int64)}
			}
			out = append(out, &r)
			return err
		})
	return out, err
}

// AttachRoutineDocument stores a version's signed document.
func (s *OperativService) AttachRoutineDocument(ctx context.Context, routineID int64, name string, content []byte) (*trygg.Document, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	name, err := checkDocument(name, "rutin.pdf", content)
	if err != nil {
		return nil, err
	}
	var out *trygg.Document
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		var version int
		if err := tx.QueryRowContext(ctx, "SELECT version FROM operativ_routines WHERE id = $1", routineID).Scan(&version); errors.Is(err, sql.ErrNoRows) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		var err error
		if out, err = tx.saveDocument(ctx, routineDocuments, routineID, name, content, c); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "operativ_routine", objectID: objectID(routineID),
			detail: fmt.Sprintf("dokument version %d, sha256 %s", version, out.SHA256)})
	})
	return out, err
}

// FindRoutineDocument returns a version's signed document; the read is
// audited.
func (s *OperativService) FindRoutineDocument(ctx context.Context, routineID int64) (*trygg.Document, []byte, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, nil, c.denied()
	}
	var doc *trygg.Document
	var content []byte
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var err error
		if doc, content, err = findDocument(ctx, tx, routineDocuments, routineID, ""); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: "operativ_routine", objectID: objectID(routineID), detail: "dokument"})
	})
	if err != nil {
		return nil, nil, err
	}
	return doc, content, nil
}

// CreateRoutine stores a new version of the routines.
func (s *OperativService) CreateRoutine(ctx context.Context, in operativ.RoutineInput) (*operativ.Routine, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	r := &operativ.Routine{Title: in.Title, Summary: in.Summary, ValidFrom: in.ValidFrom}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(max(version), 0) + 1 FROM operativ_routines").Scan(&r.Version); err != nil {
			return err
		}
		r.CreatedAt = tx.now
		err := tx.QueryRowContext(ctx, `INSERT INTO operativ_routines (version, title, summary, valid_from, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.Version, r.Title, r.Summary, r.ValidFrom, c.userID(), millis(tx.now)).Scan(&r.ID)
		if err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "operativ_routine", objectID: objectID(r.ID)})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

const serviceColumns = "s.id, s.code, s.name, s.kind, COALESCE(o.code, '')"
const serviceFrom = " FROM support_services s LEFT JOIN organisations o ON o.id = s.org_id"

func findServices(ctx context.Context, q queryer, where string, args ...any) ([]*operativ.SupportService, error) {
	var out []*operativ.SupportService
	err := eachRow(ctx, q, "SELECT "+serviceColumns+serviceFrom+where+" ORDER BY s.position, s.id", args,
		func(row interface{ Scan(...any) error }) error {
			var sv operativ.SupportService
			err := row.Scan(&sv.ID, &sv.Code, &sv.Name, &sv.Kind, &sv.OrgCode)
			out = append(out, &sv)
			return err
		})
	return out, err
}

// FindSupportServices returns the configured services: to everyone who
// sees the statistics, and to admin, who names their receivers.
func (s *OperativService) FindSupportServices(ctx context.Context) ([]*operativ.SupportService, error) {
	c := caller(ctx)
	if !readsOperativStats(c) && !c.isAdmin() {
		return nil, c.denied()
	}
	return findServices(ctx, s.db.read, "")
}

// ReceivedServices returns the services the caller's organisation receives.
func (s *OperativService) ReceivedServices(ctx context.Context) ([]*operativ.SupportService, error) {
	c := caller(ctx)
	if c.user == nil {
		return nil, c.denied()
	}
	return findServices(ctx, s.db.read, " WHERE s.org_id = $1", c.user.OrgID)
}

// SetServiceOrganisation names the receiving organisation. Operator and
// admin.
func (s *OperativService) SetServiceOrganisation(ctx context.Context, serviceCode, orgCode string) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		var org sql.NullInt64
		if orgCode != "" {
			var v trygg.Validation
			ids, err := orgIDs(ctx, tx, &v, []string{"org"}, []string{orgCode})
			if err != nil {
				return err
			}
			if err := v.Err(); err != nil {
				return err
			}
			org = sql.NullInt64{Int64: ids[0], Valid: true}
		}
		if err := updatedOne(tx.ExecContext(ctx, "UPDATE support_services SET org_id = $1 WHERE code = $2", org, serviceCode)); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "support_service", objectID: serviceCode, detail: "mottagare " + orgCode})
	})
}

const operationColumns = `op.id, op.at, op.area_code, a.name, op.place_type, op.type, op.social_services,
	op.informed_in_advance, op.support_offered_all, op.interpreter_needed, op.interpreter_available,
	op.trafficking_signs, op.suspected_minor, op.routine_id, r.version, r.title, op.note, op.created_at`

const operationFrom = ` FROM operations op JOIN areas a ON a.code = op.area_code JOIN operativ_routines r ON r.id = op.routine_id`

func scanOperation(s interface{ Scan(...any) error }) (*operativ.Operation, error) {
	var op operativ.Operation
	var at, created int64
	cl := &op.Checklist
	err := s.Scan(&op.ID, &at, &op.AreaCode, &op.AreaName, &op.PlaceType, &op.Type, &op.SocialServices,
		&cl.InformedInAdvance, &cl.SupportOfferedAll, &cl.InterpreterNeeded, &cl.InterpreterAvailable,
		&cl.TraffickingSigns, &cl.SuspectedMinor, &op.RoutineID, &op.RoutineVersion, &op.RoutineTitle, &op.Note, &created)
	op.At, op.CreatedAt = fromMillis(at), fromMillis(created)
	return &op, err
}

// loadOperations returns the operations matching q with their
// participants, newest first.
func loadOperations(ctx context.Context, q queryer, where *reportQuery) ([]*operativ.Operation, error) {
	var out []*operativ.Operation
	byID := map[int64]*operativ.Operation{}
	err := eachRow(ctx, q, "SELECT "+operationColumns+operationFrom+where.sql()+" ORDER BY op.at DESC, op.id DESC", where.args,
		func(row interface{ Scan(...any) error }) error {
			op, err := scanOperation(row)
			out = append(out, op)
			byID[op.ID] = op
			return err
		})
	if err != nil || len(out) == 0 {
		return out, err
	}
	pq := &reportQuery{}
	pq.in("p.operation_id", anySlice(keys(byID)))
	err = eachRow(ctx, q, `SELECT p.operation_id, o.code, o.name, p.staff FROM operation_participants p
		JOIN organisations o ON o.id = p.org_id`+pq.sql()+" ORDER BY o.name", pq.args,
		func(row interface{ Scan(...any) error }) error {
			var id int64
			var p operativ.Participant
			if err := row.Scan(&id, &p.OrgCode, &p.OrgName, &p.Staff); err != nil {
				return err
			}
			byID[id].Participants = append(byID[id].Participants, p)
			return nil
		})
	return out, err
}

func keys(m map[int64]*operativ.Operation) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// FindOperations returns operations, newest first.
func (s *OperativService) FindOperations(ctx context.Context, f operativ.OperationFilter) ([]*operativ.Operation, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	q := &reportQuery{}
	if f.From != 0 {
		q.add("op.at >= %s", millis(f.From.Start()))
	}
	if f.To != 0 {
		q.add("op.at < %s", millis((f.To + 1).Start()))
	}
	if f.AreaCode != "" {
		q.add("op.area_code = %s", f.AreaCode)
	}
	return loadOperations(ctx, s.db.read, q)
}

// FindOperationByID returns an operation with its contacts, referrals and
// tasks; the read is audited.
func (s *OperativService) FindOperationByID(ctx context.Context, id int64) (*operativ.Operation, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	var out *operativ.Operation
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		op, err := findOperation(ctx, tx, c, id)
		if err != nil {
			return err
		}
		out = op
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: "operation", objectID: objectID(id)})
	})
	return out, err
}

func findOperation(ctx context.Context, q queryer, c identity, id int64) (*operativ.Operation, error) {
	where := &reportQuery{}
	where.add("op.id = %s", id)
	ops, err := loadOperations(ctx, q, where)
	if err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, trygg.NotFound()
	}
	op := ops[0]
	byContact := map[int64]*operativ.Contact{}
	err = eachRow(ctx, q, `SELECT id, role, age_band, suspected_minor, language, support_offered, support_accepted, support
		FROM operation_contacts WHERE operation_id = $1 ORDER BY id`, []any{id},
		func(row interface{ Scan(...any) error }) error {
			ct := &operativ.Contact{OperationID: id}
			err := row.Scan(&ct.ID, &ct.Role, &ct.AgeBand, &ct.SuspectedMinor, &ct.Language, &ct.SupportOffered, &ct.SupportAccepted, &ct.Support)
			op.Contacts = append(op.Contacts, ct)
			byContact[ct.ID] = ct
			return err
		})
	if err != nil {
		return nil, err
	}
	refs, err := findReferrals(ctx, q, " WHERE c.operation_id = $1", id)
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		byContact[r.ContactID].Referrals = append(byContact[r.ContactID].Referrals, r)
	}
	op.Tasks, err = findTasks(ctx, q, c, " WHERE t.operation_id = $1", id)
	return op, err
}

const referralColumns = "rf.id, rf.contact_id, c.operation_id, s.code, s.name, rf.code, rf.status"
const referralFrom = ` FROM referrals rf JOIN operation_contacts c ON c.id = rf.contact_id JOIN support_services s ON s.id = rf.service_id`

// findReferrals returns referrals with their steps, by ID.
func findReferrals(ctx context.Context, q queryer, where string, args ...any) ([]*operativ.Referral, error) {
	var out []*operativ.Referral
	byID := map[int64]*operativ.Referral{}
	err := eachRow(ctx, q, "SELECT "+referralColumns+referralFrom+where+" ORDER BY rf.id", args,
		func(row interface{ Scan(...any) error }) error {
			var r operativ.Referral
			err := row.Scan(&r.ID, &r.ContactID, &r.OperationID, &r.ServiceCode, &r.ServiceName, &r.Code, &r.Status)
			out = append(out, &r)
			byID[r.ID] = &r
			return err
		})
	if err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, len(out))
	for i, r := range out {
		ids[i] = r.ID
	}
	sq := &reportQuery{}
	sq.in("referral_id", ids)
	err = eachRow(ctx, q, "SELECT referral_id, status, day FROM referral_steps"+sq.sql(), sq.args,
		func(row interface{ Scan(...any) error }) error {
			var id int64
			var st operativ.ReferralStep
			if err := row.Scan(&id, &st.Status, &st.Day); err != nil {
				return err
			}
			byID[id].Steps = append(byID[id].Steps, st)
			return nil
		})
	for _, r := range out {
		slices.SortFunc(r.Steps, func(a, b operativ.ReferralStep) int {
			return operativ.ReferralStage(a.Status) - operativ.ReferralStage(b.Status)
		})
	}
	return out, err
}

// taskColumns include the contact's ordinal within its operation (the
// contacts in the order of their IDs, as the operation's page numbers
// them) and the report of concern that completed the task, if any.
const taskColumns = `t.id, t.operation_id, t.kind, COALESCE(t.contact_id, 0),
	(SELECT count(*) FROM operation_contacts oc WHERE oc.operation_id = t.operation_id AND oc.id <= t.contact_id),
	op.at, a.name, t.done_at, cn.ref, cn.org_id`
const taskFrom = ` FROM operativ_tasks t JOIN operations op ON op.id = t.operation_id JOIN areas a ON a.code = op.area_code
	LEFT JOIN concerns cn ON cn.id = t.concern_id`

// findTasks returns tasks for caller c. The reference of the report of
// concern that completed a task is kept only for the register's users of
// the organisation that holds the report; others learn that one did.
func findTasks(ctx context.Context, q queryer, c identity, where string, args ...any) ([]*operativ.Task, error) {
	var out []*operativ.Task
	err := eachRow(ctx, q, "SELECT "+taskColumns+taskFrom+where+" ORDER BY t.id", args,
		func(row interface{ Scan(...any) error }) error {
			var t operativ.Task
			var at int64
			var done, concernOrg sql.NullInt64
			var ref sql.NullString
			err := row.Scan(&t.ID, &t.OperationID, &t.Kind, &t.ContactID, &t.ContactOrdinal, &at, &t.AreaName, &done, &ref, &concernOrg)
			t.OperationAt, t.DoneAt, t.ByConcern = fromMillis(at), timePtr(done), ref.Valid
			if ref.Valid && c.user != nil && c.user.Has(trygg.RoleSocialtjanst, trygg.RoleArbetsledare) && concernOrg.Int64 == c.user.OrgID {
				t.ConcernRef = ref.String
			}
			out = append(out, &t)
			return err
		})
	return out, err
}

// CreateOperation stores an operation, its participants and contacts, and
// its tasks: for suspected minors and for signs of human trafficking.
func (s *OperativService) CreateOperation(ctx context.Context, in operativ.OperationInput) (*operativ.Operation, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	if err := in.Validate(s.db.Now()); err != nil {
		return nil, err
	}
	var out *operativ.Operation
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var v trygg.Validation
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE code = $1", in.AreaCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			v.Add("area", "Det finns ingen stadsdel med koden %q.", in.AreaCode)
		}
		var validFrom trygg.Day
		err := tx.QueryRowContext(ctx, "SELECT valid_from FROM operativ_routines WHERE id = $1", in.RoutineID).Scan(&validFrom)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add("routine", "Den versionen av rutinerna finns inte.")
		case err != nil:
			return err
		case validFrom > trygg.DayOf(in.At):
			v.Add("routine", "Den versionen av rutinerna gällde från %s, efter insatsen.", validFrom)
		}
		codes := make([]string, len(in.Participants))
		fields := make([]string, len(in.Participants))
		for i, p := range in.Participants {
			codes[i], fields[i] = p.OrgCode, "participants"
		}
		orgs, err := orgIDs(ctx, tx, &v, fields, codes)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		cl := in.Checklist
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO operations (at, area_code, place_type, type, social_services,
			informed_in_advance, support_offered_all, interpreter_needed, interpreter_available, trafficking_signs, suspected_minor,
			routine_id, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			millis(in.At), in.AreaCode, in.PlaceType, in.Type, boolInt(in.SocialServices),
			boolInt(cl.InformedInAdvance), boolInt(cl.SupportOfferedAll), boolInt(cl.InterpreterNeeded), boolInt(cl.InterpreterAvailable),
			boolInt(cl.TraffickingSigns), boolInt(cl.SuspectedMinor), in.RoutineID, in.Note, c.userID(), millis(tx.now)).Scan(&id)
		if err != nil {
			return err
		}
		for i, p := range in.Participants {
			if _, err := tx.ExecContext(ctx, "INSERT INTO operation_participants (operation_id, org_id, staff) VALUES ($1, $2, $3)",
				id, orgs[i], p.Staff); err != nil {
				return err
			}
		}
		for _, ct := range in.Contacts {
			if _, err := tx.insertContact(ctx, id, ct); err != nil {
				return err
			}
		}
		if err := tx.ensureTasks(ctx, id); err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "operation", objectID: objectID(id),
			detail: fmt.Sprintf("%d kontakter", len(in.Contacts))}); err != nil {
			return err
		}
		out, err = findOperation(ctx, tx, c, id)
		return err
	})
	return out, err
}

func (tx *Tx) insertContact(ctx context.Context, operationID int64, in operativ.ContactInput) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO operation_contacts (operation_id, role, age_band, suspected_minor, language,
		support_offered, support_accepted, support) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		operationID, in.Role, in.AgeBand, boolInt(in.SuspectedMinor), in.Language,
		boolInt(in.Offered), boolInt(in.Accepted), in.What).Scan(&id)
	return id, err
}

// ensureTasks gives every contact flagged as a suspected minor a report
// of concern, the operation one when only its checklist is flagged, and
// the operation the routine for human trafficking when its checklist
// records signs of it. A contact, or an operation's checklist flag, gets
// its task once, open or done: the flags are never cleared, so a task
// made again would only be a duplicate.
func (tx *Tx) ensureTasks(ctx context.Context, operationID int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO operativ_tasks (operation_id, kind, contact_id, created_at)
		SELECT c.operation_id, $2, c.id, $3 FROM operation_contacts c
		WHERE c.operation_id = $1 AND c.suspected_minor = 1 AND NOT EXISTS (SELECT 1 FROM operativ_tasks t WHERE t.contact_id = c.id)`,
		operationID, string(operativ.TaskConcern), millis(tx.now)); err != nil {
		return err
	}
	for _, k := range []struct {
		kind operativ.TaskKind
		flag string // the checklist's column
	}{{operativ.TaskConcern, "suspected_minor"}, {operativ.TaskTrafficking, "trafficking_signs"}} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO operativ_tasks (operation_id, kind, created_at)
			SELECT id, $2, $3 FROM operations WHERE id = $1 AND `+k.flag+` = 1
			AND NOT EXISTS (SELECT 1 FROM operativ_tasks t WHERE t.operation_id = $1 AND t.kind = $2)`,
			operationID, string(k.kind), millis(tx.now)); err != nil {
			return err
		}
	}
	return nil
}

// AddContact adds a contact to an operation.
func (s *OperativService) AddContact(ctx context.Context, operationID int64, in operativ.ContactInput) (*operativ.Contact, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	var v trygg.Validation
	in.Validate(&v, "")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *operativ.Contact
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM operations WHERE id = $1", operationID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return trygg.NotFound()
		}
		id, err := tx.insertContact(ctx, operationID, in)
		if err != nil {
			return err
		}
		if in.SuspectedMinor {
			if _, err := tx.ExecContext(ctx, "UPDATE operations SET suspected_minor = 1 WHERE id = $1", operationID); err != nil {
				return err
			}
		}
		if err := tx.ensureTasks(ctx, operationID); err != nil {
			return err
		}
		out = &operativ.Contact{ID: id, OperationID: operationID, Role: in.Role, AgeBand: in.AgeBand, SuspectedMinor: in.SuspectedMinor,
			Language: in.Language, SupportOffered: in.Offered, SupportAccepted: in.Accepted, Support: in.What}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "operation", objectID: objectID(operationID),
			detail: "ny kontakt " + objectID(id)})
	})
	return out, err
}

// SetSupport records the support offered to a contact.
func (s *OperativService) SetSupport(ctx context.Context, contactID int64, in operativ.SupportInput) error {
	c := caller(ctx)
	if !worksOperations(c) {
		return c.denied()
	}
	var v trygg.Validation
	in.Validate(&v, "")
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE operation_contacts SET support_offered = $1, support_accepted = $2, support = $3 WHERE id = $4",
			boolInt(in.Offered), boolInt(in.Accepted), in.What, contactID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return trygg.NotFound()
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "operation_contact", objectID: objectID(contactID), detail: "stöd"})
	})
}

// referralAlphabet is Crockford's base 32: no I, L, O or U, so a code read
// out on the phone is not misheard.
const referralAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newReferralCode returns a random code of 8 characters (40 bits) written
// XXXX-XXXX.
func newReferralCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = referralAlphabet[b[i]%32]
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// NormaliseReferralCode reads a code as a person may say or type it: any
// case, with or without the dash or spaces, O for 0 and I or L for 1.
func NormaliseReferralCode(s string) string {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s))
	s = strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(s)
	if len(s) != 8 {
		return ""
	}
	return s[:4] + "-" + s[4:]
}

// CreateReferral refers a contact to a service.
func (s *OperativService) CreateReferral(ctx context.Context, contactID int64, serviceCode string, on trygg.Day, accepted bool) (*operativ.Referral, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	if on == 0 {
		return nil, (&trygg.Validation{Fields: []trygg.FieldError{{Field: "day", Message: "Ange vilken dag remissen erbjöds."}}}).Err()
	}
	var out *operativ.Referral
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var serviceID int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM support_services WHERE code = $1", serviceCode).Scan(&serviceID)
		if errors.Is(err, sql.ErrNoRows) {
			return (&trygg.Validation{Fields: []trygg.FieldError{{Field: "service", Message: "Välj en verksamhet i listan."}}}).Err()
		} else if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM operation_contacts WHERE id = $1", contactID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return trygg.NotFound()
		}
		status := operativ.ReferralOffered
		if accepted {
			status = operativ.ReferralAccepted
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO referrals (contact_id, service_id, code, status, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, contactID, serviceID, newReferralCode(), status, millis(tx.now)).Scan(&id); err != nil {
			return err
		}
		for _, st := range []string{operativ.ReferralOffered, operativ.ReferralAccepted}[:operativ.ReferralStage(status)+1] {
			if err := tx.insertStep(ctx, c, id, st, on); err != nil {
				return err
			}
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "referral", objectID: objectID(id), detail: serviceCode}); err != nil {
			return err
		}
		refs, err := findReferrals(ctx, tx, " WHERE rf.id = $1", id)
		if err == nil {
			out = refs[0]
		}
		return err
	})
	return out, err
}

func (tx *Tx) insertStep(ctx context.Context, c identity, referralID int64, status string, on trygg.Day) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO referral_steps (referral_id, status, day, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
		referralID, status, on, c.userID(), millis(tx.now))
	return err
}

// advance moves r on to status on a day, recording every status passed
// over on the same day.
func (tx *Tx) advance(ctx context.Context, c identity, r *operativ.Referral, status string, on trygg.Day) error {
	from, to := operativ.ReferralStage(r.Status), operativ.ReferralStage(status)
	var v trygg.Validation
	if to <= from {
		v.Add("status", "Remissen är redan %s; välj ett senare steg.", strings.ToLower(trygg.CodeLabel(operativ.ReferralStatuses, r.Status)))
	}
	if last := r.Steps[len(r.Steps)-1].Day; on < last {
		v.Add("day", "Dagen kan inte vara före förra steget (%s).", last)
	}
	if on == 0 {
		v.Add("day", "Ange dagen.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	for _, st := range operativ.ReferralStatuses[from+1 : to+1] {
		if err := tx.insertStep(ctx, c, r.ID, st.Code, on); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE referrals SET status = $1 WHERE id = $2", status, r.ID); err != nil {
		return err
	}
	return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "referral", objectID: objectID(r.ID), detail: status})
}

// AdvanceReferral moves a referral on.
func (s *OperativService) AdvanceReferral(ctx context.Context, referralID int64, status string, on trygg.Day) error {
	c := caller(ctx)
	if !worksOperations(c) {
		return c.denied()
	}
	if operativ.ReferralStage(status) < 0 {
		return (&trygg.Validation{Fields: []trygg.FieldError{{Field: "status", Message: "Välj ett steg i listan."}}}).Err()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		refs, err := findReferrals(ctx, tx, " WHERE rf.id = $1", referralID)
		if err != nil {
			return err
		}
		if len(refs) == 0 {
			return trygg.NotFound()
		}
		return tx.advance(ctx, c, refs[0], status, on)
	})
}

var errUnknownCode = &trygg.Error{Code: trygg.ENOTFOUND, Message: "Ingen remiss till er verksamhet har den koden. Kontrollera koden och försök igen."}

// ConfirmFirstContact records a first contact by its referral code.
func (s *OperativService) ConfirmFirstContact(ctx context.Context, code string, on trygg.Day) (*operativ.Referral, error) {
	c := caller(ctx)
	if c.user == nil {
		return nil, c.denied()
	}
	norm := NormaliseReferralCode(code)
	var out *operativ.Referral
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		refs, err := findReferrals(ctx, tx, " WHERE rf.code = $1 AND s.org_id = $2", norm, c.user.OrgID)
		if err != nil {
			return err
		}
		if len(refs) == 0 {
			if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: "referral", detail: "okänd kod"}); err != nil {
				return err
			}
			// The failed attempt is logged; the answer commits it.
			out = nil
			return nil
		}
		r := refs[0]
		if operativ.ReferralStage(r.Status) >= operativ.ReferralStage(operativ.ReferralFirstContact) {
			return &trygg.Error{Code: trygg.ECONFLICT, Message: "Första kontakten för den koden är redan bekräftad."}
		}
		if err := tx.advance(ctx, c, r, operativ.ReferralFirstContact, on); err != nil {
			return err
		}
		refs, err = findReferrals(ctx, tx, " WHERE rf.id = $1", r.ID)
		out = refs[0]
		return err
	})
	if err == nil && out == nil {
		err = errUnknownCode
	}
	if out != nil {
		out.Code = "" // the receiving service knows the code already; nothing else leaves
	}
	return out, err
}

// FindOpenTasks returns the open tasks, oldest first.
func (s *OperativService) FindOpenTasks(ctx context.Context) ([]*operativ.Task, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	return findTasks(ctx, s.db.read, c, " WHERE t.done_at IS NULL")
}

// FindTask returns one task.
func (s *OperativService) FindTask(ctx context.Context, id int64) (*operativ.Task, error) {
	c := caller(ctx)
	if !worksOperations(c) {
		return nil, c.denied()
	}
	ts, err := findTasks(ctx, s.db.read, c, " WHERE t.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, trygg.NotFound()
	}
	return ts[0], nil
}

// completesTask reports whether the caller may mark a task of a kind
// done: the report of concern is filed by social services, the routine
// for human trafficking is followed by the police and social services.
func completesTask(c identity, kind operativ.TaskKind) bool {
	if kind == operativ.TaskTrafficking {
		return c.user.Has(trygg.RolePolis, trygg.RoleSocialtjanst, trygg.RoleArbetsledare)
	}
	return c.user.Has(trygg.RoleSocialtjanst, trygg.RoleArbetsledare)
}

// CompleteTask marks an open task done, for a caller allowed its kind.
func (s *OperativService) CompleteTask(ctx context.Context, id int64) error {
	c := caller(ctx)
	if !completesTask(c, operativ.TaskTrafficking) { // the kind most may complete: others none
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		err := tx.completeTask(ctx, c, id, 0)
		if errors.Is(err, errTaskDone) {
			return trygg.NotFound()
		}
		return err
	})
}

// completeConcernTask completes the report-of-concern task taskID (none
// when 0) by the report concernID, for CreateReport. A task that is
// unknown, another kind, not the caller's to complete or done already is
// a field error (task), so that the report is not stored either.
func completeConcernTask(ctx context.Context, tx *Tx, c identity, taskID, concernID int64) error {
	if taskID == 0 {
		return nil
	}
	err := tx.completeTask(ctx, c, taskID, concernID)
	var v trygg.Validation
	switch {
	case errors.Is(err, errTaskDone):
		v.Add("task", "Uppgiften om orosanmälan är redan klar, så anmälan kan inte kopplas till den. Anmälan är inte registrerad; gör en ny anmälan från registret om den behövs.")
	case trygg.ErrorCode(err) == trygg.ENOTFOUND:
		v.Add("task", "Uppgiften om orosanmälan finns inte. Anmälan är inte registrerad.")
	default:
		return err
	}
	return v.Err()
}

// errTaskDone is completeTask's answer for a task that is done already.
var errTaskDone = errors.New("the task is done already")

// completeTask marks task id done by caller c; concernID, when not 0, is
// the report of concern filed for it, and the task must then ask for one.
// ENOTFOUND for an unknown task or one c may not complete, errTaskDone for
// one that is done already.
func (tx *Tx) completeTask(ctx context.Context, c identity, id, concernID int64) error {
	var kind operativ.TaskKind
	var done sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT kind, done_at FROM operativ_tasks WHERE id = $1", id).Scan(&kind, &done)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return trygg.NotFound()
	case err != nil:
		return err
	case !completesTask(c, kind) || concernID != 0 && kind != operativ.TaskConcern:
		return c.denied()
	case done.Valid:
		return errTaskDone
	}
	concern, detail := sql.NullInt64{Int64: concernID, Valid: concernID != 0}, "klar: "+string(kind)
	if concern.Valid {
		detail += ", orosanmälan " + objectID(concernID)
	}
	// Not found also when another user completed it meanwhile.
	if err := updatedOne(tx.ExecContext(ctx, "UPDATE operativ_tasks SET done_at = $1, done_by = $2, concern_id = $3 WHERE id = $4 AND done_at IS NULL",
		millis(tx.now), c.user.ID, concern, id)); err != nil {
		return err
	}
	return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "operativ_task", objectID: objectID(id), detail: detail})
}

// Stats returns the aggregates: exact for those who work the operations
// (they read every operation anyway), published by the rule of package
// disclose for samordnare and läsare, with whom they are shared. The
// volumes are a few hundred operations a year, so they are counted from
// the rows (operativ.ComputeStats).
func (s *OperativService) Stats(ctx context.Context) (*operativ.Stats, error) {
	c := caller(ctx)
	if !readsOperativStats(c) {
		return nil, c.denied()
	}
	var in operativ.StatsInput
	err := eachRow(ctx, s.db.read, "SELECT op.at, a.name FROM operations op JOIN areas a ON a.code = op.area_code", nil,
		func(row interface{ Scan(...any) error }) error {
			var at int64
			var r operativ.OperationRow
			if err := row.Scan(&at, &r.AreaName); err != nil {
				return err
			}
			r.At = fromMillis(at)
			in.Operations = append(in.Operations, r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, s.db.read, "SELECT role, support_offered, support_accepted FROM operation_contacts", nil,
		func(row interface{ Scan(...any) error }) error {
			var r operativ.ContactRow
			if err := row.Scan(&r.Role, &r.SupportOffered, &r.SupportAccepted); err != nil {
				return err
			}
			in.Contacts = append(in.Contacts, r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if in.Services, err = findServices(ctx, s.db.read, ""); err != nil {
		return nil, err
	}
	if in.Referrals, err = findReferrals(ctx, s.db.read, ""); err != nil {
		return nil, err
	}
	return operativ.ComputeStats(in, worksOperations(c)), nil
}

// editsAds reports whether the caller enters advertising counts.
func editsAds(c identity) bool {
	return worksOperations(c) || c.user.Has(trygg.RoleSamordnare)
}

// AdCounts returns the advertising indicator, oldest week first.
func (s *OperativService) AdCounts(ctx context.Context) ([]operativ.AdWeek, error) {
	c := caller(ctx)
	if !readsOperativStats(c) {
		return nil, c.denied()
	}
	return adWeeks(ctx, s.db.read)
}

// SaveAdCounts stores weeks of the advertising indicator.
func (s *OperativService) SaveAdCounts(ctx context.Context, weeks []operativ.AdWeek) error {
	c := caller(ctx)
	if !editsAds(c) {
		return c.denied()
	}
	var v trygg.Validation
	today := trygg.DayOf(s.db.Now())
	for i := range weeks {
		weeks[i].Validate(&v, fmt.Sprintf("weeks[%d].", i), today)
	}
	if len(weeks) == 0 {
		v.Add("weeks", "Ange minst en vecka.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		for _, a := range weeks {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ad_counts (week, ads, sugar_minor, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (week) DO UPDATE SET ads = excluded.ads, sugar_minor = excluded.sugar_minor,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				a.Week, a.Ads, a.SugarMinor, c.userID(), millis(tx.now)); err != nil {
				return err
			}
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditImport, objectType: "ad_counts",
			detail: fmt.Sprintf("%d veckor från %s", len(weeks), weeks[0].Week)})
	})
}

// DeleteAdWeek removes a stored week of the advertising indicator.
func (s *OperativService) DeleteAdWeek(ctx context.Context, week trygg.Day) error {
	c := caller(ctx)
	if !editsAds(c) {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if err := updatedOne(tx.ExecContext(ctx, "DELETE FROM ad_counts WHERE week = $1", week)); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditDelete, objectType: "ad_counts", objectID: week.String()})
	})
}

// kastStaff reports whether the caller's organisation receives KAST.
func (s *OperativService) kastStaff(ctx context.Context, c identity) (bool, error) {
	if c.user == nil {
		return false, nil
	}
	var n int
	err := s.db.read.QueryRowContext(ctx, "SELECT count(*) FROM support_services WHERE kind = 'kast' AND org_id = $1", c.user.OrgID).Scan(&n)
	return n > 0, err
}

// IsKastStaff reports whether the caller works at the KAST reception.
func (s *OperativService) IsKastStaff(ctx context.Context) (bool, error) {
	return s.kastStaff(ctx, caller(ctx))
}

// LogKastContact records a counselling contact.
func (s *OperativService) LogKastContact(ctx context.Context, in operativ.KastContactInput) error {
	c := caller(ctx)
	ok, err := s.kastStaff(ctx, c)
	if err != nil {
		return err
	}
	if !ok {
		return c.denied()
	}
	if err := in.Validate(trygg.DayOf(s.db.Now())); err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO kast_contacts (day, channel, code, topic, outcome, org_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, in.Day, in.Channel, operativ.KastCodeHash(in.Code), in.Topic, in.Outcome,
			c.user.OrgID, c.user.ID, millis(tx.now)).Scan(&id)
		if err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "kast_contact", objectID: objectID(id)})
	})
}

// KastStats returns the reception log's aggregates.
func (s *OperativService) KastStats(ctx context.Context) (*operativ.KastStats, error) {
	c := caller(ctx)
	staff, err := s.kastStaff(ctx, c)
	if err != nil {
		return nil, err
	}
	if !staff && !readsOperativStats(c) {
		return nil, c.denied()
	}
	var rows []operativ.KastContactRow
	err = eachRow(ctx, s.db.read, "SELECT day, channel, topic, code FROM kast_contacts", nil,
		func(row interface{ Scan(...any) error }) error {
			var r operativ.KastContactRow
			if err := row.Scan(&r.Day, &r.Channel, &r.Topic, &r.CodeHash); err != nil {
				return err
			}
			rows = append(rows, r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return operativ.ComputeKastStats(rows), nil
}
