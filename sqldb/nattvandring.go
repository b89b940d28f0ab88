package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/sealed"
)

var _ nattvandring.Service = (*NattvandringService)(nil)

// nattvandringRegister is the night walks' register of volunteers: it
// seals their names, phone numbers and e-mail addresses, bound to the
// volunteer's row; a removed volunteer's value is NULL.
var nattvandringRegister = declareRegister(sealedRegister{name: "nattvandring", label: "nattvandrarregistret", object: objectVolunteer,
	columns: []sealedColumn{
		{table: "nattvandring_volunteers", column: "sealed", record: func(id int64, _ string) string { return volunteerRecord(id) }},
	}})

const (
	objectVolunteer  = "nattvandring_frivillig"
	objectNightGroup = "nattvandring_grupp"
	objectWalk       = "nattvandring_vandring"
	objectItem       = "nattvandring_utrustning"
)

// NattvandringService stores the night walks.
type NattvandringService struct {
	db *DB
	// Validity is how long each kind of training stays valid;
	// nattvandring.DefaultValidity unless the operator configures another.
	Validity nattvandring.Validity
}

// NewNattvandringService returns the night walks of db.
func NewNattvandringService(db *DB) *NattvandringService {
	db.startCommitter()
	return &NattvandringService{db: db, Validity: nattvandring.DefaultValidity}
}

// TrainingValidity returns the validity the service applies.
func (s *NattvandringService) TrainingValidity() nattvandring.Validity { return s.Validity }

// volunteerRecord is the record a volunteer's sealed fields are bound to.
func volunteerRecord(id int64) string { return "frivillig/" + strconv.FormatInt(id, 10) }

// sealedVolunteer is what is sealed of a volunteer.
type sealedVolunteer struct {
	Name  string `json:"n"`
	Phone string `json:"p"`
	Email string `json:"e,omitempty"`
}

// nightAccess is what a caller may do with a group.
type nightAccess struct {
	c      identity
	leader bool // manages the group and sees names
}

// canSeeAllGroups: the samordnare, admins and the operator see every
// group's numbers.
func canSeeAllGroups(c identity) bool {
	return c.operator || c.user.Has(trygg.RoleSamordnare, trygg.RoleAdmin)
}

// isLeaderOf reports whether the caller leads the groups of organisation
// orgID. The operator acts as every group's leader (the demo loader, the
// CLI).
func isLeaderOf(c identity, orgID int64) bool {
	return c.operator || (c.user.Has(trygg.RoleNattvandrare) && c.user.OrgID == orgID)
}

const groupColumns = `g.id, g.org_id, o.code, g.name, g.contact, g.min_adults, g.insurer, g.policy,
	g.insurance_from, g.insurance_to, g.insurance_all`

func scanGroup(s interface{ Scan(...any) error }) (*nattvandring.Group, error) {
	var g nattvandring.Group
	var from, to int64
	var all int
	if err := s.Scan(&g.ID, &g.OrgID, &g.OrgCode, &g.Name, &g.Contact, &g.MinAdults, &g.Insurance.Insurer,
		&g.Insurance.Policy, &from, &to, &all); err != nil {
		return nil, err
	}
	g.Insurance.ValidFrom, g.Insurance.ValidTo, g.Insurance.CoversAll = trygg.Day(from), trygg.Day(to), all == 1
	return &g, nil
}

// loadGroup reads a group with its districts and numbers as of today;
// ENOTFOUND when the caller may not see it.
func (s *NattvandringService) loadGroup(ctx context.Context, q queryer, c identity, id int64, today trygg.Day) (*nattvandring.Group, nightAccess, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, "SELECT "+groupColumns+
		" FROM nattvandring_groups g JOIN organisations o ON o.id = g.org_id WHERE g.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nightAccess{}, c.denied()
	}
	if err != nil {
		return nil, nightAccess{}, err
	}
	acc := nightAccess{c: c, leader: isLeaderOf(c, g.OrgID)}
	if !acc.leader && !canSeeAllGroups(c) {
		return nil, nightAccess{}, c.denied()
	}
	if err := s.fillGroup(ctx, q, g, today); err != nil {
		return nil, nightAccess{}, err
	}
	return g, acc, nil
}

// fillGroup reads the group's districts and numbers.
func (s *NattvandringService) fillGroup(ctx context.Context, q queryer, g *nattvandring.Group, today trygg.Day) error {
	var err error
	if g.Districts, err = queryColumn[string](ctx, q, "SELECT area_code FROM nattvandring_group_districts WHERE group_id = $1 ORDER BY area_code", g.ID); err != nil {
		return err
	}
	trainings, err := s.trainingsOf(ctx, q, "v.group_id = $1 AND v.removed_at IS NULL", g.ID)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, "SELECT id FROM nattvandring_volunteers WHERE group_id = $1 AND removed_at IS NULL", g.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	g.Volunteers, g.Trained = 0, 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		g.Volunteers++
		if nattvandring.TrainingValid(s.Validity, trainings[id], nattvandring.TrainingIntroduction, today) {
			g.Trained++
		}
	}
	return rows.Err()
}

// queryColumn reads the one column that query selects.
func queryColumn[T any](ctx context.Context, q queryer, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// trainingsOf returns the trainings of the volunteers v matching where.
func (s *NattvandringService) trainingsOf(ctx context.Context, q queryer, where string, args ...any) (map[int64][]nattvandring.Training, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.volunteer_id, t.kind, t.taken_on FROM nattvandring_trainings t
		JOIN nattvandring_volunteers v ON v.id = t.volunteer_id WHERE `+where+` ORDER BY t.taken_on, t.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]nattvandring.Training{}
	for rows.Next() {
		var id, on int64
		var kind string
		if err := rows.Scan(&id, &kind, &on); err != nil {
			return nil, err
		}
		out[id] = append(out[id], nattvandring.Training{Kind: kind, On: trygg.Day(on)})
	}
	return out, rows.Err()
}

func today(tx *Tx) trygg.Day { return trygg.DayOf(tx.now) }

// FindGroups returns the groups the caller may see, by name.
func (s *NattvandringService) FindGroups(ctx context.Context) ([]*nattvandring.Group, error) {
	c := caller(ctx)
	if c.anonymous() {
		return nil, c.denied()
	}
	where, args := "", []any{}
	switch {
	case canSeeAllGroups(c):
	case c.user.Has(trygg.RoleNattvandrare):
		where, args = " WHERE g.org_id = $1", []any{c.user.OrgID}
	default:
		return nil, nil
	}
	rows, err := s.db.read.QueryContext(ctx, "SELECT "+groupColumns+
		" FROM nattvandring_groups g JOIN organisations o ON o.id = g.org_id"+where+" ORDER BY g.name, g.id", args...)
	if err != nil {
		return nil, err
	}
	var groups []*nattvandring.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	day := trygg.DayOf(s.db.Now())
	for _, g := range groups {
		if err := s.fillGroup(ctx, s.db.read, g, day); err != nil {
			return nil, err
		}
	}
	return groups, nil
}

// FindGroupByID returns a group the caller may see.
func (s *NattvandringService) FindGroupByID(ctx context.Context, id int64) (*nattvandring.Group, error) {
	g, _, err := s.loadGroup(ctx, s.db.read, caller(ctx), id, trygg.DayOf(s.db.Now()))
	return g, err
}

// checkDistricts adds an error on field for each code that is no area.
func checkDistricts(ctx context.Context, tx *Tx, v *trygg.Validation, field string, codes []string) error {
	for _, code := range codes {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE code = $1", code).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			v.Add(field, "Området %q finns inte. Välj ett område i listan.", code)
			return nil
		}
	}
	return nil
}

func (s *NattvandringService) writeGroup(ctx context.Context, tx *Tx, id int64, in nattvandring.GroupInput) error {
	_, err := tx.ExecContext(ctx, `UPDATE nattvandring_groups SET name = $1, contact = $2, min_adults = $3, insurer = $4,
		policy = $5, insurance_from = $6, insurance_to = $7, insurance_all = $8, updated_at = $9 WHERE id = $10`,
		in.Name, in.Contact, in.MinAdults, in.Insurance.Insurer, in.Insurance.Policy, int64(in.Insurance.ValidFrom),
		int64(in.Insurance.ValidTo), boolInt(in.Insurance.CoversAll), millis(tx.now), id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM nattvandring_group_districts WHERE group_id = $1", id); err != nil {
		return err
	}
	for _, d := range in.Districts {
		if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_group_districts (group_id, area_code) VALUES ($1, $2)", id, d); err != nil {
			return err
		}
	}
	return nil
}

// CreateGroup creates a group for an organisation of type nattvandring.
func (s *NattvandringService) CreateGroup(ctx context.Context, in nattvandring.GroupInput) (*nattvandring.Group, error) {
	c := caller(ctx)
	leader := c.user.Has(trygg.RoleNattvandrare)
	if !canSeeAllGroups(c) && !leader {
		return nil, c.denied()
	}
	var id int64
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if err := in.Validate(); err != nil {
			return err
		}
		var v trygg.Validation
		var orgID int64
		var orgType trygg.OrgType
		if leader && !canSeeAllGroups(c) {
			orgID = c.user.OrgID
			if err := tx.QueryRowContext(ctx, "SELECT type FROM organisations WHERE id = $1", orgID).Scan(&orgType); err != nil {
				return err
			}
		} else {
			err := tx.QueryRowContext(ctx, "SELECT id, type FROM organisations WHERE code = $1", strings.TrimSpace(in.OrgCode)).Scan(&orgID, &orgType)
			if errors.Is(err, sql.ErrNoRows) {
				v.Add("org", "Välj organisationen som gruppen hör till.")
			} else if err != nil {
				return err
			}
		}
		if orgID != 0 && orgType != trygg.OrgNightwalk {
			v.Add("org", "Organisationen måste vara av typen %s.", trygg.OrgNightwalk.Label())
		}
		if err := checkDistricts(ctx, tx, &v, "districts", in.Districts); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO nattvandring_groups (org_id, name, contact, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, orgID, in.Name, in.Contact, millis(tx.now)).Scan(&id); err != nil {
			return err
		}
		if err := s.writeGroup(ctx, tx, id, in); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: objectNightGroup, objectID: objectID(id)})
	})
	if err != nil {
		return nil, err
	}
	return s.FindGroupByID(ctx, id)
}

// UpdateGroup changes a group's fields, not its organisation.
func (s *NattvandringService) UpdateGroup(ctx context.Context, id int64, in nattvandring.GroupInput) (*nattvandring.Group, error) {
	c := caller(ctx)
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		_, acc, err := s.loadGroup(ctx, tx, c, id, today(tx))
		if err != nil {
			return err
		}
		if !acc.leader && !c.user.Has(trygg.RoleSamordnare) {
			return c.denied()
		}
		if err := in.Validate(); err != nil {
			return err
		}
		var v trygg.Validation
		if err := checkDistricts(ctx, tx, &v, "districts", in.Districts); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := s.writeGroup(ctx, tx, id, in); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectNightGroup, objectID: objectID(id)})
	})
	if err != nil {
		return nil, err
	}
	return s.FindGroupByID(ctx, id)
}

// leaderTx loads a group in tx for a change by one of its leaders;
// ENOTFOUND for anyone else.
func (s *NattvandringService) leaderTx(ctx context.Context, tx *Tx, c identity, groupID int64) (*nattvandring.Group, error) {
	g, acc, err := s.loadGroup(ctx, tx, c, groupID, today(tx))
	if err != nil {
		return nil, err
	}
	if !acc.leader {
		return nil, c.denied()
	}
	return g, nil
}

// openVolunteers unseals the names (and contacts) of vs in place.
func (s *NattvandringService) openVolunteers(vs []*nattvandring.Volunteer, sealedValues map[int64]string) error {
	keys, err := s.db.keyring(nattvandringRegister)
	if err != nil {
		return err
	}
	for _, v := range vs {
		value := sealedValues[v.ID]
		if value == "" {
			continue
		}
		plain, err := keys.Open(value, volunteerRecord(v.ID))
		if err != nil {
			return err
		}
		var sv sealedVolunteer
		if err := json.Unmarshal(plain, &sv); err != nil {
			return err
		}
		v.Name, v.Phone, v.Email = sv.Name, sv.Phone, sv.Email
	}
	return nil
}

// loadVolunteers reads the volunteers matching where, unsealed, with their
// trainings.
func (s *NattvandringService) loadVolunteers(ctx context.Context, q queryer, where string, args ...any) ([]*nattvandring.Volunteer, error) {
	rows, err := q.QueryContext(ctx, `SELECT v.id, v.group_id, v.sealed, v.created_at, v.removed_at, l.created_at
		FROM nattvandring_volunteers v LEFT JOIN nattvandring_signup_links l ON l.volunteer_id = v.id
		WHERE `+where+` ORDER BY v.removed_at IS NOT NULL, v.id`, args...)
	if err != nil {
		return nil, err
	}
	var vs []*nattvandring.Volunteer
	values := map[int64]string{}
	for rows.Next() {
		var v nattvandring.Volunteer
		var value sql.NullString
		var created int64
		var removed, link sql.NullInt64
		if err := rows.Scan(&v.ID, &v.GroupID, &value, &created, &removed, &link); err != nil {
			rows.Close()
			return nil, err
		}
		v.CreatedAt, v.RemovedAt, v.LinkCreatedAt = fromMillis(created), timePtr(removed), timePtr(link)
		values[v.ID] = value.String
		vs = append(vs, &v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.openVolunteers(vs, values); err != nil {
		return nil, err
	}
	trainings, err := s.trainingsOf(ctx, q, where, args...)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		v.Trainings = trainings[v.ID]
	}
	slices.SortStableFunc(vs, func(a, b *nattvandring.Volunteer) int {
		if (a.RemovedAt == nil) != (b.RemovedAt == nil) {
			if a.RemovedAt == nil {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return vs, nil
}

// auditNames writes that the caller was shown the names of volunteers ids.
func auditNames(ctx context.Context, tx *Tx, c identity, what string, ids []int64) error {
	shown := make([]string, len(ids))
	for i, id := range ids {
		shown[i] = objectID(id)
	}
	return tx.auditAccess(ctx, c, objectVolunteer, sealed.Access{Listing: what, Shown: shown})
}

// FindVolunteers returns a group's volunteers; the read is audited.
func (s *NattvandringService) FindVolunteers(ctx context.Context, groupID int64) ([]*nattvandring.Volunteer, error) {
	c := caller(ctx)
	var vs []*nattvandring.Volunteer
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := s.leaderTx(ctx, tx, c, groupID); err != nil {
			return err
		}
		var err error
		if vs, err = s.loadVolunteers(ctx, tx, "v.group_id = $1", groupID); err != nil {
			return err
		}
		ids := make([]int64, len(vs))
		for i, v := range vs {
			ids[i] = v.ID
		}
		return auditNames(ctx, tx, c, "frivilliga i grupp "+objectID(groupID), ids)
	})
	return vs, err
}

// CreateVolunteer registers a volunteer in the group, sealed.
func (s *NattvandringService) CreateVolunteer(ctx context.Context, groupID int64, in nattvandring.VolunteerInput) (*nattvandring.Volunteer, error) {
	c := caller(ctx)
	var v *nattvandring.Volunteer
	keys, err := s.db.keyring(nattvandringRegister)
	if err != nil {
		return nil, err
	}
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := s.leaderTx(ctx, tx, c, groupID); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		v = &nattvandring.Volunteer{GroupID: groupID, Name: in.Name, Phone: in.Phone, Email: in.Email, CreatedAt: fromMillis(millis(tx.now))}
		if err := tx.QueryRowContext(ctx, `INSERT INTO nattvandring_volunteers (group_id, created_at) VALUES ($1, $2) RETURNING id`,
			groupID, millis(tx.now)).Scan(&v.ID); err != nil {
			return err
		}
		plain, err := json.Marshal(sealedVolunteer{Name: in.Name, Phone: in.Phone, Email: in.Email})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE nattvandring_volunteers SET sealed = $1 WHERE id = $2",
			keys.Seal(plain, volunteerRecord(v.ID)), v.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: objectVolunteer, objectID: objectID(v.ID)})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// volunteerGroup returns the group of an active or removed volunteer.
func volunteerGroup(ctx context.Context, tx *Tx, c identity, volunteerID int64) (groupID int64, removed bool, err error) {
	var rem sql.NullInt64
	err = tx.QueryRowContext(ctx, "SELECT group_id, removed_at FROM nattvandring_volunteers WHERE id = $1", volunteerID).Scan(&groupID, &rem)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, c.denied()
	}
	return groupID, rem.Valid, err
}

// AddTraining records a training of a volunteer.
func (s *NattvandringService) AddTraining(ctx context.Context, volunteerID int64, in nattvandring.TrainingInput) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if err := s.leaderOfVolunteer(ctx, tx, c, volunteerID); err != nil {
			return err
		}
		if err := in.Validate(today(tx)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_trainings (volunteer_id, kind, taken_on) VALUES ($1, $2, $3)",
			volunteerID, in.Kind, int64(in.On)); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectVolunteer,
			objectID: objectID(volunteerID), detail: "utbildning " + in.Kind})
	})
}

// removeVolunteer deletes a volunteer's personal data, sign-up link and
// future sign-ups in tx, and writes why to the audit log.
func removeVolunteer(ctx context.Context, tx *Tx, c identity, volunteerID int64, why string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE nattvandring_volunteers SET sealed = NULL, removed_at = $1 WHERE id = $2",
		millis(tx.now), volunteerID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM nattvandring_signups WHERE volunteer_id = $1 AND walk_id IN
		(SELECT id FROM nattvandring_walks WHERE status IN ('planerad', 'bekraftad'))`, volunteerID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM nattvandring_signup_links WHERE volunteer_id = $1", volunteerID); err != nil {
		return err
	}
	return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditDelete, objectType: objectVolunteer, objectID: objectID(volunteerID), detail: why})
}

// RemoveVolunteer removes a volunteer on request.
func (s *NattvandringService) RemoveVolunteer(ctx context.Context, volunteerID int64) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if err := s.leaderOfVolunteer(ctx, tx, c, volunteerID); err != nil {
			return err
		}
		return removeVolunteer(ctx, tx, c, volunteerID, "borttagen på begäran")
	})
}

// PurgeVolunteers removes the volunteers whose last walk (or registration)
// is more than nattvandring.RetentionMonths ago.
func (s *NattvandringService) PurgeVolunteers(ctx context.Context) (int, error) {
	c := caller(ctx)
	if !c.operator {
		return 0, c.denied()
	}
	n := 0
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		limit := today(tx).AddMonths(-nattvandring.RetentionMonths)
		rows, err := tx.QueryContext(ctx, "SELECT id, last_walk, created_at FROM nattvandring_volunteers WHERE removed_at IS NULL ORDER BY id")
		if err != nil {
			return err
		}
		var due []int64
		for rows.Next() {
			var id, created int64
			var last sql.NullInt64
			if err := rows.Scan(&id, &last, &created); err != nil {
				rows.Close()
				return err
			}
			latest := trygg.DayOf(fromMillis(created))
			if last.Valid && trygg.Day(last.Int64) > latest {
				latest = trygg.Day(last.Int64)
			}
			if latest < limit {
				due = append(due, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range due {
			if err := removeVolunteer(ctx, tx, c, id, fmt.Sprintf("gallring: %d månader efter sista vandringen", nattvandring.RetentionMonths)); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}

// walkRow is a walk's own columns.
const walkColumns = `w.id, w.group_id, g.name, w.walk_date, w.start_min, w.end_min, w.meeting_point, w.status,
	w.published, w.youth_contacts, w.log_filed_at`

func scanWalk(s interface{ Scan(...any) error }) (*nattvandring.Walk, sql.NullInt64, sql.NullInt64, error) {
	var w nattvandring.Walk
	var date int64
	var published int
	var youth, filed sql.NullInt64
	err := s.Scan(&w.ID, &w.GroupID, &w.GroupName, &date, &w.Start, &w.End, &w.MeetingPoint, &w.Status, &published, &youth, &filed)
	w.Date, w.Published = trygg.Day(date), published == 1
	return &w, youth, filed, err
}

// fillWalk reads a walk's districts, sign-ups (names when names), check
// and log, and returns the volunteer IDs whose names it shows.
func (s *NattvandringService) fillWalk(ctx context.Context, q queryer, g *nattvandring.Group, w *nattvandring.Walk,
	youth, filed sql.NullInt64, names bool) ([]int64, error) {
	var err error
	if w.Districts, err = queryColumn[string](ctx, q, "SELECT area_code FROM nattvandring_walk_districts WHERE walk_id = $1 ORDER BY area_code", w.ID); err != nil {
		return nil, err
	}
	where := "v.id IN (SELECT volunteer_id FROM nattvandring_signups WHERE walk_id = $1)"
	vs, err := s.loadVolunteers(ctx, q, where, w.ID)
	if err != nil {
		return nil, err
	}
	var shown []int64
	w.SignUps = nil
	for _, v := range vs {
		su := nattvandring.SignUp{VolunteerID: v.ID, Trained: nattvandring.TrainingValid(s.Validity, v.Trainings, nattvandring.TrainingIntroduction, w.Date)}
		if names {
			su.Name = v.DisplayName()
			shown = append(shown, v.ID)
		}
		w.SignUps = append(w.SignUps, su)
	}
	w.Check = nattvandring.CheckWalk(g, w)
	if w.ReportIDs, err = queryColumn[int64](ctx, q, "SELECT report_id FROM nattvandring_observations WHERE walk_id = $1 ORDER BY report_id", w.ID); err != nil {
		return nil, err
	}
	if filed.Valid {
		l := &nattvandring.WalkLog{WalkID: w.ID, YouthContacts: int(youth.Int64), FiledAt: fromMillis(filed.Int64), ReportIDs: w.ReportIDs}
		if l.Districts, err = queryColumn[string](ctx, q, "SELECT area_code FROM nattvandring_log_districts WHERE walk_id = $1 ORDER BY area_code", w.ID); err != nil {
			return nil, err
		}
		walkers, err := s.loadVolunteers(ctx, q, "v.id IN (SELECT volunteer_id FROM nattvandring_log_walkers WHERE walk_id = $1)", w.ID)
		if err != nil {
			return nil, err
		}
		minutes := map[int64]int{}
		rows, err := q.QueryContext(ctx, "SELECT volunteer_id, minutes FROM nattvandring_log_walkers WHERE walk_id = $1", w.ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var m int
			if err := rows.Scan(&id, &m); err != nil {
				rows.Close()
				return nil, err
			}
			minutes[id] = m
		}
		rows.Close()
		for _, v := range walkers {
			wk := nattvandring.Walker{VolunteerID: v.ID, Minutes: minutes[v.ID]}
			if names {
				wk.Name = v.DisplayName()
				shown = append(shown, v.ID)
			}
			l.Walkers = append(l.Walkers, wk)
		}
		w.Log = l
	}
	return shown, nil
}

// findWalks reads the walks matching where in tx; with names for the
// group's leaders, whose read is audited.
func (s *NattvandringService) findWalks(ctx context.Context, tx *Tx, c identity, where string, args ...any) ([]*nattvandring.Walk, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+walkColumns+` FROM nattvandring_walks w
		JOIN nattvandring_groups g ON g.id = w.group_id WHERE `+where+" ORDER BY w.walk_date, w.start_min, w.id", args...)
	if err != nil {
		return nil, err
	}
	type found struct {
		w            *nattvandring.Walk
		youth, filed sql.NullInt64
	}
	var all []found
	for rows.Next() {
		w, youth, filed, err := scanWalk(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, found{w, youth, filed})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	groups := map[int64]*nattvandring.Group{}
	leaders := map[int64]bool{}
	var walks []*nattvandring.Walk
	var shown []int64
	for _, f := range all {
		g, ok := groups[f.w.GroupID]
		if !ok {
			var acc nightAccess
			g, acc, err = s.loadGroup(ctx, tx, c, f.w.GroupID, today(tx))
			if trygg.ErrorCode(err) == trygg.ENOTFOUND {
				groups[f.w.GroupID] = nil
				continue
			}
			if err != nil {
				return nil, err
			}
			groups[f.w.GroupID], leaders[f.w.GroupID] = g, acc.leader
		}
		if g == nil {
			continue
		}
		ids, err := s.fillWalk(ctx, tx, g, f.w, f.youth, f.filed, leaders[f.w.GroupID])
		if err != nil {
			return nil, err
		}
		shown = append(shown, ids...)
		walks = append(walks, f.w)
	}
	if len(shown) > 0 {
		slices.Sort(shown)
		if err := auditNames(ctx, tx, c, "vandringar", slices.Compact(shown)); err != nil {
			return nil, err
		}
	}
	return walks, nil
}

// FindWalks returns the walks matching f that the caller may see.
func (s *NattvandringService) FindWalks(ctx context.Context, f nattvandring.WalkFilter) ([]*nattvandring.Walk, error) {
	c := caller(ctx)
	if c.anonymous() {
		return nil, c.denied()
	}
	conds, args := []string{"1 = 1"}, []any{}
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.GroupID != 0 {
		add("w.group_id = $%d", f.GroupID)
	}
	if f.District != "" {
		add("w.id IN (SELECT walk_id FROM nattvandring_walk_districts WHERE area_code = $%d)", f.District)
	}
	if f.From != 0 {
		add("w.walk_date >= $%d", int64(f.From))
	}
	if f.To != 0 {
		add("w.walk_date <= $%d", int64(f.To))
	}
	if !canSeeAllGroups(c) {
		if !c.user.Has(trygg.RoleNattvandrare) {
			return nil, nil
		}
		add("g.org_id = $%d", c.user.OrgID)
	}
	var walks []*nattvandring.Walk
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var err error
		walks, err = s.findWalks(ctx, tx, c, strings.Join(conds, " AND "), args...)
		return err
	})
	return walks, err
}

// FindWalkByID returns a walk the caller may see.
func (s *NattvandringService) FindWalkByID(ctx context.Context, id int64) (*nattvandring.Walk, error) {
	c := caller(ctx)
	var w *nattvandring.Walk
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var err error
		w, err = s.walkTx(ctx, tx, c, id)
		return err
	})
	return w, err
}

func (s *NattvandringService) walkTx(ctx context.Context, tx *Tx, c identity, id int64) (*nattvandring.Walk, error) {
	walks, err := s.findWalks(ctx, tx, c, "w.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(walks) == 0 {
		return nil, c.denied()
	}
	return walks[0], nil
}

// leaderWalk loads a walk and its group in tx for a change by a leader.
func (s *NattvandringService) leaderWalk(ctx context.Context, tx *Tx, c identity, walkID int64) (*nattvandring.Group, *nattvandring.Walk, error) {
	var groupID int64
	err := tx.QueryRowContext(ctx, "SELECT group_id FROM nattvandring_walks WHERE id = $1", walkID).Scan(&groupID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, c.denied()
	}
	if err != nil {
		return nil, nil, err
	}
	g, err := s.leaderTx(ctx, tx, c, groupID)
	if err != nil {
		return nil, nil, err
	}
	w, err := s.walkTx(ctx, tx, c, walkID)
	return g, w, err
}

// ScheduleWalk plans a walk for the group.
func (s *NattvandringService) ScheduleWalk(ctx context.Context, groupID int64, in nattvandring.WalkInput) (*nattvandring.Walk, error) {
	c := caller(ctx)
	var id int64
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		g, err := s.leaderTx(ctx, tx, c, groupID)
		if err != nil {
			return err
		}
		if err := in.Validate(today(tx), g.Districts); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO nattvandring_walks (group_id, walk_date, start_min, end_min, meeting_point,
			published, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			groupID, int64(in.Date), in.Start, in.End, in.MeetingPoint, boolInt(in.Published), millis(tx.now)).Scan(&id); err != nil {
			return err
		}
		for _, d := range in.Districts {
			if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_walk_districts (walk_id, area_code) VALUES ($1, $2)", id, d); err != nil {
				return err
			}
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: objectWalk, objectID: objectID(id)})
	})
	if err != nil {
		return nil, err
	}
	return s.FindWalkByID(ctx, id)
}

// open reports whether a walk still takes sign-ups and changes.
func walkOpen(w *nattvandring.Walk) string {
	switch w.Status {
	case nattvandring.WalkCancelled:
		return "Vandringen är inställd."
	case nattvandring.WalkDone:
		return "Vandringen är redan genomförd."
	}
	return ""
}

// SignUp puts a volunteer on a walk, or says why not.
func (s *NattvandringService) SignUp(ctx context.Context, walkID, volunteerID int64) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		_, w, err := s.leaderWalk(ctx, tx, c, walkID)
		if err != nil {
			return err
		}
		return s.signUpTx(ctx, tx, actorOf(c), w, volunteerID, false)
	})
}

// signUpTx is the one sign-up rule, for a leader's sign-up and the
// volunteer's own (self): the walk must be open and the volunteer's
// introduction valid on the walk's day. It needs of w only its ID, group,
// day and status.
func (s *NattvandringService) signUpTx(ctx context.Context, tx *Tx, a actor, w *nattvandring.Walk, volunteerID int64, self bool) error {
	var v trygg.Validation
	if why := walkOpen(w); why != "" {
		v.Add("volunteer", "%s", why)
		return v.Err()
	}
	vs, err := s.loadVolunteers(ctx, tx, "v.id = $1 AND v.group_id = $2", volunteerID, w.GroupID)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		v.Add("volunteer", "Välj en person i gruppen.")
		return v.Err()
	}
	if why := nattvandring.SignUpRefusal(s.Validity, vs[0], w.Date); why != "" {
		if self {
			v.Add("volunteer", "Du kan inte anmäla dig: %s", why)
		} else {
			v.Add("volunteer", "%s kan inte anmälas: %s", vs[0].DisplayName(), why)
		}
		return v.Err()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO nattvandring_signups (walk_id, volunteer_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (walk_id, volunteer_id) DO NOTHING`, w.ID, volunteerID, millis(tx.now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already signed up
	}
	return tx.audit(ctx, a, auditEntry{action: trygg.AuditUpdate, objectType: objectWalk, objectID: objectID(w.ID),
		detail: "anmälan frivillig " + objectID(volunteerID)})
}

// CancelSignUp takes a volunteer off a walk not yet held.
func (s *NattvandringService) CancelSignUp(ctx context.Context, walkID, volunteerID int64) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		_, w, err := s.leaderWalk(ctx, tx, c, walkID)
		if err != nil {
			return err
		}
		return cancelSignUpTx(ctx, tx, actorOf(c), w, volunteerID)
	})
}

// cancelSignUpTx takes a volunteer off an open walk w (its ID and status),
// for a leader or the volunteer; ENOTFOUND when not signed up.
func cancelSignUpTx(ctx context.Context, tx *Tx, a actor, w *nattvandring.Walk, volunteerID int64) error {
	if why := walkOpen(w); why != "" {
		return &trygg.Error{Code: trygg.EINVALID, Message: why}
	}
	if err := updatedOne(tx.ExecContext(ctx, "DELETE FROM nattvandring_signups WHERE walk_id = $1 AND volunteer_id = $2", w.ID, volunteerID)); err != nil {
		return err
	}
	// A confirmed walk that falls below its minimum is planned again,
	// so that the page shows it red and it must be confirmed anew.
	if _, err := tx.ExecContext(ctx, "UPDATE nattvandring_walks SET status = 'planerad', updated_at = $1 WHERE id = $2 AND status = 'bekraftad'",
		millis(tx.now), w.ID); err != nil {
		return err
	}
	return tx.audit(ctx, a, auditEntry{action: trygg.AuditUpdate, objectType: objectWalk, objectID: objectID(w.ID),
		detail: "avanmälan frivillig " + objectID(volunteerID)})
}

// ConfirmWalk confirms a walk that is not red.
func (s *NattvandringService) ConfirmWalk(ctx context.Context, walkID int64) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		g, w, err := s.leaderWalk(ctx, tx, c, walkID)
		if err != nil {
			return err
		}
		if why := nattvandring.ConfirmRefusal(g, w); why != "" {
			var v trygg.Validation
			v.Add("walk", "%s", why)
			return v.Err()
		}
		if _, err := tx.ExecContext(ctx, "UPDATE nattvandring_walks SET status = 'bekraftad', updated_at = $1 WHERE id = $2", millis(tx.now), walkID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectWalk, objectID: objectID(walkID), detail: "bekräftad"})
	})
}

// CancelWalk cancels a walk not yet held.
func (s *NattvandringService) CancelWalk(ctx context.Context, walkID int64) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		_, w, err := s.leaderWalk(ctx, tx, c, walkID)
		if err != nil {
			return err
		}
		if why := walkOpen(w); why != "" {
			return &trygg.Error{Code: trygg.EINVALID, Message: why}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE nattvandring_walks SET status = 'installd', updated_at = $1 WHERE id = $2", millis(tx.now), walkID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectWalk, objectID: objectID(walkID), detail: "inställd"})
	})
}

// prefixed returns err's field errors with prefix before each field.
func prefixed(err error, prefix string) error {
	fields := trygg.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	var v trygg.Validation
	for _, f := range fields {
		v.Add(prefix+f.Field, "%s", f.Message)
	}
	return v.Err()
}

// FileLog files a walk's log and its observations as incident reports, in
// one transaction.
func (s *NattvandringService) FileLog(ctx context.Context, walkID int64, log nattvandring.WalkLog) (*nattvandring.WalkLog, error) {
	c := caller(ctx)
	if c.user == nil {
		return nil, c.denied() // a report needs a reporter: the operator cannot file
	}
	var filed *nattvandring.WalkLog
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		g, w, err := s.leaderWalk(ctx, tx, c, walkID)
		if err != nil {
			return err
		}
		if w.Log != nil {
			return trygg.Errorf(trygg.ECONFLICT, "Loggen för vandringen är redan inlämnad.")
		}
		if w.Status == nattvandring.WalkCancelled {
			return trygg.Errorf(trygg.EINVALID, "Vandringen är inställd.")
		}
		if w.Date > today(tx) {
			return trygg.Errorf(trygg.EINVALID, "Loggen lämnas efter vandringen; den är planerad till %s.", w.Date)
		}
		if err := log.Validate(tx.now); err != nil {
			return err
		}
		codes, err := loadReportCodes(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkLog(ctx, tx, g.ID, &log, codes); err != nil {
			return err
		}
		if err := writeLog(ctx, tx, walkID, w.Date, &log, c.user, codes); err != nil {
			return err
		}
		log.WalkID, log.FiledAt = walkID, fromMillis(millis(tx.now))
		filed = &log
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectWalk, objectID: objectID(walkID),
			detail: fmt.Sprintf("logg: %d iakttagelser", len(log.Observations))})
	})
	if err != nil {
		return nil, err
	}
	return filed, nil
}

// checkLog checks what a log needs the database for: the walkers are the
// group's, the districts exist, and each observation's codes are known.
func checkLog(ctx context.Context, tx *Tx, groupID int64, log *nattvandring.WalkLog, codes *reportCodes) error {
	var v trygg.Validation
	members, err := queryColumn[int64](ctx, tx, "SELECT id FROM nattvandring_volunteers WHERE group_id = $1 AND removed_at IS NULL", groupID)
	if err != nil {
		return err
	}
	for i, wk := range log.Walkers {
		if !slices.Contains(members, wk.VolunteerID) {
			v.Add(fmt.Sprintf("walkers[%d]", i), "Välj en person i gruppen.")
		}
	}
	for _, d := range log.Districts {
		if !codes.areas[d] {
			v.Add("districts", "Området %q finns inte. Välj ett område i listan.", d)
			break
		}
	}
	for i, o := range log.Observations {
		in := o.Report()
		if err := codes.check(&in); err != nil {
			for _, f := range trygg.ErrorFields(err) {
				v.Add(fmt.Sprintf("observations[%d].%s", i, f.Field), "%s", f.Message)
			}
		}
	}
	return v.Err()
}

// writeLog stores a checked log of the walk held on date, and files each
// observation as an incident report by reporter, in tx.
func writeLog(ctx context.Context, tx *Tx, walkID int64, date trygg.Day, log *nattvandring.WalkLog, reporter *trygg.User, codes *reportCodes) error {
	for _, wk := range log.Walkers {
		if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_log_walkers (walk_id, volunteer_id, minutes) VALUES ($1, $2, $3)",
			walkID, wk.VolunteerID, wk.Minutes); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nattvandring_volunteers SET last_walk = $1
			WHERE id = $2 AND (last_walk IS NULL OR last_walk < $1)`, int64(date), wk.VolunteerID); err != nil {
			return err
		}
	}
	total := log.Minutes()
	for i, d := range log.Districts {
		share := total / len(log.Districts)
		if i < total%len(log.Districts) {
			share++
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_log_districts (walk_id, area_code, minutes) VALUES ($1, $2, $3)",
			walkID, d, share); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE nattvandring_walks SET status = 'genomford', youth_contacts = $1, log_filed_at = $2,
		updated_at = $2 WHERE id = $3`, log.YouthContacts, millis(tx.now), walkID); err != nil {
		return err
	}
	counts := countDeltas{}
	log.ReportIDs = nil
	for i, o := range log.Observations {
		r, err := insertReport(ctx, tx, codes, counts, reporter, o.Report())
		if err != nil {
			return prefixed(err, fmt.Sprintf("observations[%d].", i))
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_observations (report_id, walk_id) VALUES ($1, $2)", r.ID, walkID); err != nil {
			return err
		}
		log.ReportIDs = append(log.ReportIDs, r.ID)
	}
	return counts.apply(ctx, tx)
}

// ImportWalks stores walks already held, with their sign-ups and logs.
func (s *NattvandringService) ImportWalks(ctx context.Context, groupID, reporterID int64, walks []nattvandring.HeldWalk) (int, error) {
	c := caller(ctx)
	if !c.operator {
		return 0, c.denied()
	}
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		g, err := s.leaderTx(ctx, tx, c, groupID)
		if err != nil {
			return err
		}
		users, err := findUsers(ctx, tx, "u.id = $1", reporterID)
		if err != nil {
			return err
		}
		if len(users) != 1 || users[0].OrgID != g.OrgID {
			return trygg.Errorf(trygg.EINVALID, "Rapportören hör inte till gruppens organisation.")
		}
		codes, err := loadReportCodes(ctx, tx)
		if err != nil {
			return err
		}
		for i := range walks {
			hw := &walks[i]
			prefix := fmt.Sprintf("walks[%d].", i)
			if err := hw.Walk.Validate(hw.Walk.Date, g.Districts); err != nil {
				return prefixed(err, prefix)
			}
			if hw.Walk.Date > today(tx) {
				return trygg.Errorf(trygg.EINVALID, "Vandring %d är inte genomförd än.", i+1)
			}
			if err := hw.Log.Validate(tx.now); err != nil {
				return prefixed(err, prefix)
			}
			if err := checkLog(ctx, tx, g.ID, &hw.Log, codes); err != nil {
				return prefixed(err, prefix)
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO nattvandring_walks (group_id, walk_date, start_min, end_min, meeting_point,
				published, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
				groupID, int64(hw.Walk.Date), hw.Walk.Start, hw.Walk.End, hw.Walk.MeetingPoint, boolInt(hw.Walk.Published), millis(tx.now)).Scan(&id); err != nil {
				return err
			}
			for _, d := range hw.Walk.Districts {
				if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_walk_districts (walk_id, area_code) VALUES ($1, $2)", id, d); err != nil {
					return err
				}
			}
			for _, v := range hw.SignUps {
				if _, err := tx.ExecContext(ctx, `INSERT INTO nattvandring_signups (walk_id, volunteer_id, created_at) VALUES ($1, $2, $3)
					ON CONFLICT (walk_id, volunteer_id) DO NOTHING`, id, v, millis(tx.now)); err != nil {
					return err
				}
			}
			if err := writeLog(ctx, tx, id, hw.Walk.Date, &hw.Log, users[0], codes); err != nil {
				return prefixed(err, prefix)
			}
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditImport, objectType: objectWalk,
			detail: fmt.Sprintf("grupp %d: %d genomförda vandringar", groupID, len(walks))})
	})
	if err != nil {
		return 0, err
	}
	return len(walks), nil
}
