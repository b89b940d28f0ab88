package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sealed"
	"github.com/trygg-est/trygg/sspf"
)

var _ sspf.Service = (*SSPFService)(nil)

// SSPFService is early intervention's register (tidiga insatser). Its
// personal data is sealed with package sealed under its own keys derived
// from the register key (register.go), found by blind index, and every
// read is audited, as in the register of reports of concern; who may do
// what is in the doc comment of sspf.Service.
type SSPFService struct {
	db *DB
	// Months is the longest a consent may last.
	Months int
	// Grounds are the legal grounds a member may share on without consent.
	Grounds []sspf.LegalGround
}

// NewSSPFService returns the register on db with the default consent
// validity and legal grounds.
func NewSSPFService(db *DB) *SSPFService {
	return &SSPFService{db: db, Months: sspf.DefaultValidityMonths, Grounds: sspf.DefaultLegalGrounds}
}

// objectSSPF is the register's audit object type.
const objectSSPF = "sspf"

// sspfRegister is the register's sealed columns, every one bound to its
// case's ref: the young person (with the blind index of the number), the
// consents' documents, what was shared and the actions' titles. A purged
// case's columns are NULL.
var sspfRegister = declareRegister(sealedRegister{name: "sspf", label: "SSPF-registret", object: objectSSPF,
	columns: []sealedColumn{
		{table: "sspf_cases", column: "sealed", ref: "t.ref", record: boundToRef, index: "youth_index",
			indexOf: jsonIndex(func(y sealedYouth) string { return y.ID })},
		{table: "sspf_consents", column: "document_meta", ref: "c.ref", join: "JOIN sspf_cases c ON c.id = t.case_id", record: boundToRef},
		{table: "sspf_consents", column: "document", ref: "c.ref", join: "JOIN sspf_cases c ON c.id = t.case_id", record: boundToRef},
		{table: "sspf_shares", column: "sealed", ref: "c.ref", join: "JOIN sspf_cases c ON c.id = t.case_id", record: boundToRef},
		{table: "sspf_actions", column: "title", ref: "c.ref", join: "JOIN sspf_cases c ON c.id = t.case_id", record: boundToRef},
	}})

func (db *DB) sspfKeyring() (*sealed.Keyring, error) { return db.keyring(sspfRegister) }

// sspfCaller is a caller allowed into the register.
type sspfCaller struct {
	identity
	coordinator bool
	part        string
	teams       []int64 // a member's teams
}

// sees reports whether the caller may see a case of team.
func (sc sspfCaller) sees(team int64) bool { return sc.coordinator || slices.Contains(sc.teams, team) }

// sspfAccess returns the caller if it may use the register: a coordinator
// (role sspf in an organisation of type socialtjänst) or a member (role
// sspf_medlem in an organisation that plays a part in a team). Everyone
// else, the operator included, learns nothing.
func sspfAccess(ctx context.Context, q queryer) (sspfCaller, error) {
	c := caller(ctx)
	if c.user == nil || !c.user.Has(trygg.RoleSSPF, trygg.RoleSSPFMember) {
		return sspfCaller{}, c.denied()
	}
	var orgType string
	err := q.QueryRowContext(ctx, "SELECT type FROM organisations WHERE id = $1", c.user.OrgID).Scan(&orgType)
	if errors.Is(err, sql.ErrNoRows) {
		return sspfCaller{}, trygg.NotFound()
	} else if err != nil {
		return sspfCaller{}, err
	}
	part, ok := sspf.PartOf(trygg.OrgType(orgType))
	if !ok {
		return sspfCaller{}, trygg.NotFound()
	}
	sc := sspfCaller{identity: c, part: part, coordinator: c.user.Has(trygg.RoleSSPF) && part == sspf.PartSocial}
	if sc.coordinator {
		return sc, nil
	}
	if !c.user.Has(trygg.RoleSSPFMember) {
		return sspfCaller{}, trygg.NotFound()
	}
	err = eachRow(ctx, q, "SELECT team_id FROM sspf_team_members WHERE user_id = $1 ORDER BY team_id", []any{c.user.ID},
		func(row interface{ Scan(...any) error }) error {
			var id int64
			err := row.Scan(&id)
			sc.teams = append(sc.teams, id)
			return err
		})
	return sc, err
}

// coordinatorAccess is sspfAccess for the coordinators' methods.
func coordinatorAccess(ctx context.Context, q queryer) (sspfCaller, error) {
	sc, err := sspfAccess(ctx, q)
	if err != nil {
		return sc, err
	}
	if !sc.coordinator {
		return sspfCaller{}, trygg.NotFound()
	}
	return sc, nil
}

// sealedYouth is what sspf_cases.sealed holds.
type sealedYouth struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// sealedDocument is what sspf_consents.document_meta holds.
type sealedDocument struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
	At     int64  `json:"at"`
}

// FindTeams returns the teams the caller sees, with their members.
func (s *SSPFService) FindTeams(ctx context.Context) ([]*sspf.Team, error) {
	sc, err := sspfAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	return s.teams(ctx, s.db.read, sc)
}

func (s *SSPFService) teams(ctx context.Context, q queryer, sc sspfCaller) ([]*sspf.Team, error) {
	var teams []*sspf.Team
	err := eachRow(ctx, q, `SELECT t.id, t.name, a.code, a.name FROM sspf_teams t JOIN areas a ON a.id = t.area_id ORDER BY t.name`, nil,
		func(row interface{ Scan(...any) error }) error {
			var t sspf.Team
			if err := row.Scan(&t.ID, &t.Name, &t.AreaCode, &t.AreaName); err != nil {
				return err
			}
			if sc.sees(t.ID) {
				teams = append(teams, &t)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		if t.Members, err = teamMembers(ctx, q, t.ID); err != nil {
			return nil, err
		}
	}
	return teams, nil
}

// CreateTeam makes a team for a district.
func (s *SSPFService) CreateTeam(ctx context.Context, name, areaCode string) (*sspf.Team, error) {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	t := &sspf.Team{Name: strings.TrimSpace(name), AreaCode: areaCode}
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		var v trygg.Validation
		trygg.CheckText(&v, "name", t.Name, 100, "Ange teamets namn.")
		var areaID int64
		err := tx.QueryRowContext(ctx, "SELECT id, name FROM areas WHERE code = $1", areaCode).Scan(&areaID, &t.AreaName)
		if errors.Is(err, sql.ErrNoRows) {
			v.Add("area", "Välj ett område i listan.")
		} else if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "INSERT INTO sspf_teams (name, area_id, created_at) VALUES ($1, $2, $3) RETURNING id",
			t.Name, areaID, millis(tx.now)).Scan(&t.ID); err != nil {
			if trygg.ErrorCode(translate(err)) == trygg.ECONFLICT {
				return fieldError("name", "Det finns redan ett team med det namnet.")
			}
			return err
		}
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditCreate, objectType: "sspf_team", objectID: objectID(t.ID)})
	})
	return t, err
}

// SetMember adds a user to a team or takes them off it.
func (s *SSPFService) SetMember(ctx context.Context, teamID int64, email string, member bool) error {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sspf_teams WHERE id = $1", teamID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return trygg.NotFound()
		}
		users, err := findUsers(ctx, tx, "u.email = $1 AND u.disabled_at IS NULL", trygg.NormalizeEmail(email))
		if err != nil {
			return err
		}
		if len(users) != 1 || !users[0].Has(trygg.RoleSSPFMember) {
			return fieldError("email", "Ingen aktiv användare med rollen SSPF-teammedlem har den e-postadressen.")
		}
		u := users[0]
		var orgType string
		if err := tx.QueryRowContext(ctx, "SELECT type FROM organisations WHERE id = $1", u.OrgID).Scan(&orgType); err != nil {
			return err
		}
		if _, ok := sspf.PartOf(trygg.OrgType(orgType)); !ok {
			return fieldError("email", "Användarens organisation är varken skola, socialtjänst, polis eller kommunens fritidsverksamhet.")
		}
		q, detail := "DELETE FROM sspf_team_members WHERE team_id = $1 AND user_id = $2", "medlem bort: "
		if member {
			q, detail = "INSERT INTO sspf_team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", "medlem: "
		}
		if _, err := tx.ExecContext(ctx, q, teamID, u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditUpdate, objectType: "sspf_team", objectID: objectID(teamID),
			detail: detail + objectID(u.ID)})
	})
}

// teamMembers returns a team's active members with their parts.
func teamMembers(ctx context.Context, q queryer, team int64) ([]sspf.Member, error) {
	var out []sspf.Member
	err := eachRow(ctx, q, `SELECT u.id, u.name, u.email, o.name, o.type FROM sspf_team_members m JOIN users u ON u.id = m.user_id
		JOIN organisations o ON o.id = u.org_id WHERE m.team_id = $1 AND u.disabled_at IS NULL ORDER BY u.name`, []any{team},
		func(row interface{ Scan(...any) error }) error {
			var m sspf.Member
			var orgType string
			if err := row.Scan(&m.UserID, &m.Name, &m.Email, &m.OrgName, &orgType); err != nil {
				return err
			}
			m.Part, _ = sspf.PartOf(trygg.OrgType(orgType))
			out = append(out, m)
			return nil
		})
	return out, err
}

// CreateCase registers a case on a team, with the caller as coordinator.
func (s *SSPFService) CreateCase(ctx context.Context, in sspf.Input) (*sspf.Case, error) {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	keys, err := s.db.sspfKeyring()
	if err != nil {
		return nil, err
	}
	var created *sspf.Case
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		today := trygg.DayOf(tx.now)
		if err := in.Validate(today); err != nil {
			return err
		}
		var teamName, areaName string
		err := tx.QueryRowContext(ctx, "SELECT t.name, a.name FROM sspf_teams t JOIN areas a ON a.id = t.area_id WHERE t.id = $1", in.TeamID).
			Scan(&teamName, &areaName)
		if errors.Is(err, sql.ErrNoRows) {
			return fieldError("team", "Välj ett SSPF-team i listan.")
		} else if err != nil {
			return err
		}
		c := &sspf.Case{Ref: newRef(), YouthIDKind: in.Kind(), YouthID: in.YouthID, YouthName: in.YouthName, Guardians: in.Guardians,
			State: sspf.StateReferred, Reason: in.Reason, ReferringPart: in.ReferringPart, TeamID: in.TeamID, TeamName: teamName,
			AreaName: areaName, CoordinatorID: sc.user.ID, Coordinator: sc.user.Name, ReferredOn: in.ReferredOn, CreatedAt: tx.now}
		plain, err := json.Marshal(sealedYouth{Kind: c.YouthIDKind, ID: c.YouthID, Name: c.YouthName})
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO sspf_cases (ref, team_id, coordinator_id, state, reason, referring_part, guardians,
			sealed, youth_index, referred_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			c.Ref, c.TeamID, c.CoordinatorID, c.State, c.Reason, c.ReferringPart, c.Guardians,
			keys.Seal(plain, c.Ref), keys.BlindIndex(c.YouthID), int64(c.ReferredOn), millis(tx.now)).Scan(&c.ID)
		if err != nil {
			return err
		}
		created = c
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditCreate, objectType: objectSSPF, objectID: objectID(c.ID)})
	})
	return created, err
}

func fieldError(field, msg string) error {
	return &trygg.Error{Code: trygg.EINVALID, Message: msg, Fields: []trygg.FieldError{{Field: field, Message: msg}}}
}

const sspfCaseColumns = `c.id, c.ref, c.team_id, t.name, a.code, a.name, c.coordinator_id, COALESCE(u.name, ''), c.state, c.reason,
	c.referring_part, c.guardians, COALESCE(c.sealed, ''), c.referred_on, COALESCE(c.active_on, 0), COALESCE(c.closed_on, 0),
	COALESCE(c.outcome, ''), c.created_at`

const sspfCaseFrom = ` FROM sspf_cases c JOIN sspf_teams t ON t.id = c.team_id JOIN areas a ON a.id = t.area_id
	LEFT JOIN users u ON u.id = c.coordinator_id`

// queryCases reads the cases that the WHERE and ORDER BY of clauses select.
func (s *SSPFService) queryCases(ctx context.Context, tx *Tx, clauses string, args ...any) ([]*sspf.Case, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+sspfCaseColumns+sspfCaseFrom+clauses, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []*sspf.Case
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// scanCase reads a row of sspfCaseColumns and opens the identity.
func (s *SSPFService) scanCase(row interface{ Scan(...any) error }) (*sspf.Case, error) {
	var c sspf.Case
	var referred, active, closed, created int64
	var sealedID string
	if err := row.Scan(&c.ID, &c.Ref, &c.TeamID, &c.TeamName, &c.AreaCode, &c.AreaName, &c.CoordinatorID, &c.Coordinator, &c.State,
		&c.Reason, &c.ReferringPart, &c.Guardians, &sealedID, &referred, &active, &closed, &c.Outcome, &created); err != nil {
		return nil, err
	}
	c.ReferredOn, c.ActiveOn, c.ClosedOn, c.CreatedAt = trygg.Day(referred), trygg.Day(active), trygg.Day(closed), fromMillis(created)
	if sealedID == "" {
		c.YouthName = "(gallrad)"
		return &c, nil
	}
	var y sealedYouth
	if err := s.open(sealedID, c.Ref, &y); err != nil {
		return nil, err
	}
	c.YouthIDKind, c.YouthID, c.YouthName = y.Kind, y.ID, y.Name
	return &c, nil
}

// open unseals a JSON value of case ref into v.
func (s *SSPFService) open(value, ref string, v any) error {
	plain, err := s.openBytes(value, ref)
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, v)
}

func (s *SSPFService) openBytes(value, ref string) ([]byte, error) {
	keys, err := s.db.sspfKeyring()
	if err != nil {
		return nil, err
	}
	return keys.Open(value, ref)
}

// loadCase reads a case the caller sees, with its consents, shares and
// actions; ENOTFOUND if there is none or the caller may not see it.
func (s *SSPFService) loadCase(ctx context.Context, q queryer, sc sspfCaller, ref string) (*sspf.Case, error) {
	c, err := s.scanCase(q.QueryRowContext(ctx, "SELECT "+sspfCaseColumns+sspfCaseFrom+" WHERE c.ref = $1 AND c.purged_at IS NULL", ref))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	} else if err != nil {
		return nil, err
	}
	if !sc.sees(c.TeamID) {
		return nil, trygg.NotFound()
	}
	if err := s.loadConsents(ctx, q, c); err != nil {
		return nil, err
	}
	if err := s.loadShares(ctx, q, c); err != nil {
		return nil, err
	}
	c.Actions, err = s.actions(ctx, q, "x.case_id = $1", c.ID)
	return c, err
}

func (s *SSPFService) loadConsents(ctx context.Context, q queryer, c *sspf.Case) error {
	c.Consents = nil
	err := eachRow(ctx, q, `SELECT id, purpose, scope, given_on, expires_on, COALESCE(withdrawn_on, 0), document_meta
		FROM sspf_consents WHERE case_id = $1 ORDER BY id`, []any{c.ID},
		func(row interface{ Scan(...any) error }) error {
			var k sspf.Consent
			var scope, meta string
			var given, expires, withdrawn int64
			if err := row.Scan(&k.ID, &k.Purpose, &scope, &given, &expires, &withdrawn, &meta); err != nil {
				return err
			}
			k.GivenOn, k.ExpiresOn, k.WithdrawnOn = trygg.Day(given), trygg.Day(expires), trygg.Day(withdrawn)
			for code := range strings.SplitSeq(scope, ",") {
				if it, ok := sspf.ParseScopeItem(code); ok {
					k.Scope = append(k.Scope, it)
				}
			}
			var d sealedDocument
			if err := s.open(meta, c.Ref, &d); err != nil {
				return err
			}
			k.Document = &trygg.Document{Name: d.Name, Size: d.Size, SHA256: d.SHA256, UploadedAt: fromMillis(d.At)}
			c.Consents = append(c.Consents, &k)
			return nil
		})
	if err != nil || len(c.Consents) == 0 {
		return err
	}
	byID := map[int64]*sspf.Consent{}
	ids := make([]any, len(c.Consents))
	for i, k := range c.Consents {
		byID[k.ID], ids[i] = k, k.ID
	}
	return eachRow(ctx, q, "SELECT consent_id, signer, signed_on FROM sspf_signatures WHERE consent_id IN ("+placeholders(1, len(ids))+
		") ORDER BY consent_id, signed_on, signer", ids,
		func(row interface{ Scan(...any) error }) error {
			var id, on int64
			var signer string
			if err := row.Scan(&id, &signer, &on); err != nil {
				return err
			}
			k := byID[id]
			k.Signed = append(k.Signed, sspf.Signature{Signer: signer, On: trygg.Day(on)})
			return nil
		})
}

func (s *SSPFService) loadShares(ctx context.Context, q queryer, c *sspf.Case) error {
	c.Shares = nil
	return eachRow(ctx, q, `SELECT s.id, s.info, s.from_part, s.by_id, COALESCE(u.name, ''), s.at, COALESCE(s.consent_id, 0),
		COALESCE(s.ground, ''), s.sealed FROM sspf_shares s LEFT JOIN users u ON u.id = s.by_id WHERE s.case_id = $1 ORDER BY s.id DESC`,
		[]any{c.ID}, func(row interface{ Scan(...any) error }) error {
			var sh sspf.Share
			var at int64
			var text string
			if err := row.Scan(&sh.ID, &sh.Info, &sh.FromPart, &sh.ByID, &sh.ByName, &at, &sh.ConsentID, &sh.Ground, &text); err != nil {
				return err
			}
			sh.At = fromMillis(at)
			plain, err := s.openBytes(text, c.Ref)
			if err != nil {
				return err
			}
			sh.Text = string(plain)
			c.Shares = append(c.Shares, &sh)
			return nil
		})
}

// actions returns the actions matching where, with their case refs,
// deadline first.
func (s *SSPFService) actions(ctx context.Context, q queryer, where string, args ...any) ([]*sspf.Action, error) {
	var out []*sspf.Action
	err := eachRow(ctx, q, `SELECT x.id, c.ref, x.title, x.owner_part, x.deadline, x.done, COALESCE(x.meeting_id, 0)
		FROM sspf_actions x JOIN sspf_cases c ON c.id = x.case_id WHERE `+where+` ORDER BY x.deadline, x.id`, args,
		func(row interface{ Scan(...any) error }) error {
			var a sspf.Action
			var title string
			var deadline int64
			var done int
			if err := row.Scan(&a.ID, &a.CaseRef, &title, &a.OwnerPart, &deadline, &done, &a.MeetingID); err != nil {
				return err
			}
			plain, err := s.openBytes(title, a.CaseRef)
			if err != nil {
				return err
			}
			a.Title, a.Deadline, a.Done = string(plain), trygg.Day(deadline), done == 1
			out = append(out, &a)
			return nil
		})
	return out, err
}

// FindCase reads a case and audits the read with its purpose. Shares on a
// withdrawn consent keep their entry but lose their text for members
// outside social services.
func (s *SSPFService) FindCase(ctx context.Context, ref, purpose string) (*sspf.Case, error) {
	sc, err := sspfAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	var found *sspf.Case
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		c, err := s.loadCase(ctx, tx, sc, ref)
		if err != nil {
			return err
		}
		if purpose == "" {
			purpose = sspf.AccessPurposes[0].Code
		}
		reason, err := sealed.ReasonFor(c.CoordinatorID == sc.user.ID, purpose, func(p string) bool { return trygg.HasCode(sspf.AccessPurposes, p) })
		if err != nil {
			return fieldError("purpose", "Välj ett syfte i listan.")
		}
		today := trygg.DayOf(tx.now)
		read := sealed.Access{Record: objectID(c.ID), Reason: reason, ShownAs: "delade uppgifter"}
		for _, sh := range c.Shares {
			if !sspf.Visible(c, sh, sc.part, today) {
				sh.Text, sh.Hidden = "", true
				continue
			}
			read.Shown = append(read.Shown, "d"+objectID(sh.ID))
		}
		found = c
		return tx.auditAccess(ctx, sc.identity, objectSSPF, read)
	})
	return found, err
}

// FindCases lists the caller's cases, or searches by identity number, and
// audits the read with the IDs it showed.
func (s *SSPFService) FindCases(ctx context.Context, f sspf.Filter) ([]*sspf.Summary, error) {
	sc, err := sspfAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	keys, err := s.db.sspfKeyring()
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	var out []*sspf.Summary
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		where, args := []string{"c.purged_at IS NULL"}, []any{}
		add := func(cond string, v ...any) {
			for _, x := range v {
				args = append(args, x)
				cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
			}
			where = append(where, cond)
		}
		what := "lista"
		switch {
		case f.YouthID != "":
			id := strings.TrimSpace(f.YouthID)
			if digits, _, ok := parseIdentity(id, tx); ok {
				id = digits
			}
			idx := keys.BlindIndexes(id)
			cond := "c.youth_index IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(idx)), ", ") + ")"
			v := make([]any, len(idx))
			for i, x := range idx {
				v[i] = x
			}
			add(cond, v...)
			what = "sökning på den ungas nummer"
		case f.State == "":
			add("c.state <> ?", sspf.StateClosed)
			what = "lista öppna"
		case trygg.HasCode(sspf.States, f.State):
			add("c.state = ?", f.State)
			what = "lista " + f.State
		default:
			return fieldError("state", "Okänt läge.")
		}
		if !sc.coordinator {
			if len(sc.teams) == 0 {
				out = nil
				return tx.auditAccess(ctx, sc.identity, objectSSPF, sealed.Access{Listing: what})
			}
			v := make([]any, len(sc.teams))
			for i, t := range sc.teams {
				v[i] = t
			}
			add("c.team_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(v)), ", ")+")", v...)
		}
		args = append(args, limit)
		cs, err := s.queryCases(ctx, tx, " WHERE "+strings.Join(where, " AND ")+
			" ORDER BY c.referred_on DESC, c.id DESC LIMIT $"+strconv.Itoa(len(args)), args...)
		if err != nil {
			return err
		}
		today := trygg.DayOf(tx.now)
		ids := make([]string, len(cs))
		for i, c := range cs {
			if err := s.loadConsents(ctx, tx, c); err != nil {
				return err
			}
			ids[i] = objectID(c.ID)
			out = append(out, summaryOf(c, today))
		}
		return tx.auditAccess(ctx, sc.identity, objectSSPF, sealed.Access{Listing: what, Shown: ids})
	})
	return out, err
}

// parseIdentity reads a typed identity number as the 12 digits stored.
func parseIdentity(s string, tx *Tx) (string, string, bool) {
	in := sspf.Input{YouthID: s}
	// Validate normalises the number; its other errors do not matter here.
	_ = in.Validate(trygg.DayOf(tx.now))
	if len(in.YouthID) == 12 && in.Kind() != "" {
		return in.YouthID, in.Kind(), true
	}
	return "", "", false
}

func summaryOf(c *sspf.Case, today trygg.Day) *sspf.Summary {
	st := sspf.ConsentNone
	if n := len(c.Consents); n > 0 {
		st = c.Consents[n-1].Status(c.Guardians, c.Birth(), today)
	}
	return &sspf.Summary{Ref: c.Ref, YouthName: c.YouthName, State: c.State, Reason: c.Reason, AreaName: c.AreaName,
		TeamName: c.TeamName, ReferredOn: c.ReferredOn, ConsentStatus: st}
}

// SetState moves a case; closing records its outcome and day.
func (s *SSPFService) SetState(ctx context.Context, ref string, in sspf.StateInput) (*sspf.Case, error) {
	return s.changeCase(ctx, ref, func(tx *Tx, c *sspf.Case) (string, error) {
		if err := in.Validate(c.State); err != nil {
			return "", err
		}
		today := trygg.DayOf(tx.now)
		c.State = in.State
		switch in.State {
		case sspf.StateActive:
			c.ActiveOn = today
		case sspf.StateClosed:
			c.ClosedOn, c.Outcome = today, in.Outcome
		}
		_, err := tx.ExecContext(ctx, `UPDATE sspf_cases SET state = $1, active_on = $2, closed_on = $3, outcome = $4 WHERE id = $5`,
			c.State, dayOrNull(c.ActiveOn), dayOrNull(c.ClosedOn), sql.NullString{String: c.Outcome, Valid: c.Outcome != ""}, c.ID)
		return "läge: " + in.State, err
	})
}

// changeCase runs change on the case ref as its coordinator, in one
// transaction with the audit entry of the change, whose detail change
// returns; the case comes back as change left it.
func (s *SSPFService) changeCase(ctx context.Context, ref string, change func(tx *Tx, c *sspf.Case) (detail string, err error)) (*sspf.Case, error) {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	var updated *sspf.Case
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		c, err := s.loadCase(ctx, tx, sc, ref)
		if err != nil {
			return err
		}
		detail, err := change(tx, c)
		if err != nil {
			return err
		}
		updated = c
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectSSPF, objectID: objectID(c.ID),
			detail: detail})
	})
	return updated, err
}

func dayOrNull(d trygg.Day) sql.NullInt64 { return sql.NullInt64{Int64: int64(d), Valid: d != 0} }

// AddConsent records a consent with its sealed signed document.
func (s *SSPFService) AddConsent(ctx context.Context, ref string, in sspf.ConsentInput, docName string, doc []byte) (*sspf.Case, error) {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	keys, err := s.db.sspfKeyring()
	if err != nil {
		return nil, err
	}
	var updated *sspf.Case
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		c, err := s.loadCase(ctx, tx, sc, ref)
		if err != nil {
			return err
		}
		if c.State == sspf.StateClosed {
			return fieldError("state", "Ärendet är avslutat.")
		}
		today := trygg.DayOf(tx.now)
		var v trygg.Validation
		verr := in.Validate(c.Guardians, s.Months, today)
		if verr != nil {
			v.Fields = append(v.Fields, trygg.ErrorFields(verr)...)
		}
		if docName = strings.TrimSpace(docName); docName == "" {
			docName = "samtycke"
		}
		kind, derr := trygg.CheckSignedFile(docName, doc)
		if derr != nil {
			v.Fields = append(v.Fields, trygg.ErrorFields(derr)...)
		}
		if err := v.Err(); err != nil {
			return err
		}
		scope := in.ScopeItems()
		codes := make([]string, len(scope))
		for i, it := range scope {
			codes[i] = it.Code()
		}
		sum := sha256.Sum256(doc)
		meta, err := json.Marshal(sealedDocument{Name: docName, Type: kind, Size: len(doc), SHA256: hex.EncodeToString(sum[:]), At: millis(tx.now)})
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO sspf_consents (case_id, purpose, scope, given_on, expires_on, document_meta, document,
			created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			c.ID, in.Purpose, strings.Join(codes, ","), int64(in.GivenOn), int64(in.ExpiresOn), keys.Seal(meta, c.Ref), keys.Seal(doc, c.Ref),
			millis(tx.now), sc.user.ID).Scan(&id)
		if err != nil {
			return err
		}
		for _, signer := range in.Signed {
			if _, err := tx.ExecContext(ctx, "INSERT INTO sspf_signatures (consent_id, signer, signed_on) VALUES ($1, $2, $3)",
				id, signer, int64(in.SignedOn)); err != nil {
				return err
			}
		}
		if err := s.afterConsentChange(ctx, tx, c, today); err != nil {
			return err
		}
		updated = c
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditCreate, objectType: objectSSPF, objectID: objectID(c.ID),
			detail: fmt.Sprintf("samtycke %d: %s", id, strings.Join(in.Signed, ","))})
	})
	return updated, err
}

// afterConsentChange reloads c's consents and records whether it has had a
// complete consent, for the statistics.
func (s *SSPFService) afterConsentChange(ctx context.Context, tx *Tx, c *sspf.Case, today trygg.Day) error {
	if err := s.loadConsents(ctx, tx, c); err != nil {
		return err
	}
	for _, k := range c.Consents {
		if k.Status(c.Guardians, c.Birth(), today) == sspf.ConsentValid {
			_, err := tx.ExecContext(ctx, "UPDATE sspf_cases SET complete_consent = 1 WHERE id = $1", c.ID)
			return err
		}
	}
	return nil
}

// consentOf returns the consent id of c, or a field error.
func consentOf(c *sspf.Case, id int64) (*sspf.Consent, error) {
	for _, k := range c.Consents {
		if k.ID == id {
			return k, nil
		}
	}
	return nil, trygg.NotFound()
}

// AddSignature records a later signature on a consent, given today.
func (s *SSPFService) AddSignature(ctx context.Context, ref string, consentID int64, signer string) (*sspf.Case, error) {
	return s.changeCase(ctx, ref, func(tx *Tx, c *sspf.Case) (string, error) {
		k, err := consentOf(c, consentID)
		if err != nil {
			return "", err
		}
		today := trygg.DayOf(tx.now)
		switch {
		case !trygg.HasCode(sspf.Signers, signer) || (signer == sspf.SignerGuardian2 && c.Guardians < 2):
			return "", fieldError("signer", "Välj en underskrift i listan.")
		case slices.ContainsFunc(k.Signed, func(s sspf.Signature) bool { return s.Signer == signer }):
			return "", fieldError("signer", "Den underskriften finns redan.")
		case k.WithdrawnOn != 0:
			return "", fieldError("signer", "Samtycket är återkallat; registrera ett nytt samtycke.")
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO sspf_signatures (consent_id, signer, signed_on) VALUES ($1, $2, $3)",
			k.ID, signer, int64(today)); err != nil {
			return "", err
		}
		if err := s.afterConsentChange(ctx, tx, c, today); err != nil {
			return "", err
		}
		return fmt.Sprintf("samtycke %d: underskrift %s", k.ID, signer), nil
	})
}

// WithdrawConsent records a withdrawal today, in effect at once.
func (s *SSPFService) WithdrawConsent(ctx context.Context, ref string, consentID int64) (*sspf.Case, error) {
	return s.changeCase(ctx, ref, func(tx *Tx, c *sspf.Case) (string, error) {
		k, err := consentOf(c, consentID)
		if err != nil {
			return "", err
		}
		if k.WithdrawnOn != 0 {
			return "", fieldError("consent", "Samtycket är redan återkallat.")
		}
		today := trygg.DayOf(tx.now)
		if _, err := tx.ExecContext(ctx, "UPDATE sspf_consents SET withdrawn_on = $1 WHERE id = $2", int64(today), k.ID); err != nil {
			return "", err
		}
		k.WithdrawnOn = today
		return fmt.Sprintf("samtycke %d: återkallat", k.ID), nil
	})
}

// ConsentDocument returns a consent's signed document and audits the read.
func (s *SSPFService) ConsentDocument(ctx context.Context, ref string, consentID int64) (*trygg.Document, string, []byte, error) {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return nil, "", nil, err
	}
	var doc *trygg.Document
	var kind string
	var content []byte
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		var caseID, team int64
		var meta, sealedDoc string
		err := tx.QueryRowContext(ctx, `SELECT c.id, c.team_id, k.document_meta, k.document FROM sspf_consents k
			JOIN sspf_cases c ON c.id = k.case_id WHERE c.ref = $1 AND k.id = $2 AND c.purged_at IS NULL`, ref, consentID).
			Scan(&caseID, &team, &meta, &sealedDoc)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.sees(team)) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		var d sealedDocument
		if err := s.open(meta, ref, &d); err != nil {
			return err
		}
		if content, err = s.openBytes(sealedDoc, ref); err != nil {
			return err
		}
		doc, kind = &trygg.Document{Name: d.Name, Size: d.Size, SHA256: d.SHA256, UploadedAt: fromMillis(d.At)}, d.Type
		return tx.auditAccess(ctx, sc.identity, objectSSPF, sealed.Access{Record: objectID(caseID),
			Reason: sealed.Reason{Purpose: "samtyckesdokument"}, ShownAs: "samtycke", Shown: []string{"s" + objectID(consentID)}})
	})
	return doc, kind, content, err
}

// ShareInfo records a share that sspf.Allow allows; a refusal answers
// ESCOPE with the reason and is itself audited.
func (s *SSPFService) ShareInfo(ctx context.Context, ref string, in sspf.ShareInput) (*sspf.Share, error) {
	sc, err := sspfAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	keys, err := s.db.sspfKeyring()
	if err != nil {
		return nil, err
	}
	grounds := sspf.GroundCodes(s.Grounds)
	if err := in.Validate(grounds); err != nil {
		return nil, err
	}
	var shared *sspf.Share
	var refused error
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		c, err := s.loadCase(ctx, tx, sc, ref)
		if err != nil {
			return err
		}
		if c.State == sspf.StateClosed {
			return fieldError("info", "Ärendet är avslutat.")
		}
		members, err := teamMembers(ctx, tx, c.TeamID)
		if err != nil {
			return err
		}
		today := trygg.DayOf(tx.now)
		d := sspf.Allow(c, sspf.Receivers(members, sc.part), in.Info, in.Ground, grounds, today)
		if !d.Allowed {
			// The refusal is committed to the audit log; nothing else is
			// written.
			refused = &trygg.Error{Code: sspf.ESCOPE, Message: d.Reason, Fields: []trygg.FieldError{{Field: "info", Message: d.Reason}}}
			return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectSSPF, objectID: objectID(c.ID),
				detail: "delning nekad: " + in.Info})
		}
		sh := &sspf.Share{Info: in.Info, Text: in.Text, FromPart: sc.part, ByID: sc.user.ID, ByName: sc.user.Name, At: fromMillis(millis(tx.now)),
			ConsentID: d.ConsentID, Ground: d.Ground}
		err = tx.QueryRowContext(ctx, `INSERT INTO sspf_shares (case_id, info, from_part, by_id, at, consent_id, ground, sealed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.ID, sh.Info, sh.FromPart, sh.ByID, millis(sh.At),
			sql.NullInt64{Int64: sh.ConsentID, Valid: sh.ConsentID != 0}, sql.NullString{String: sh.Ground, Valid: sh.Ground != ""},
			keys.Seal([]byte(sh.Text), c.Ref)).Scan(&sh.ID)
		if err != nil {
			return err
		}
		shared = sh
		basis := "samtycke " + strconv.FormatInt(sh.ConsentID, 10)
		if sh.Ground != "" {
			basis = "grund " + sh.Ground
		}
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditCreate, objectType: objectSSPF, objectID: objectID(c.ID),
			detail: fmt.Sprintf("delning d%d: %s, %s", sh.ID, sh.Info, basis)})
	})
	if err == nil && refused != nil {
		return nil, refused
	}
	return shared, err
}

// FindAccessLog returns the case's audit entries and the lists that
// showed it, for coordinators; reading it is audited.
func (s *SSPFService) FindAccessLog(ctx context.Context, ref string) ([]*sspf.Access, error) {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	var out []*sspf.Access
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM sspf_cases WHERE ref = $1 AND purged_at IS NULL", ref).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		args := []any{objectSSPF, objectID(id)}
		for _, p := range sealed.ShownPatterns(objectID(id)) {
			args = append(args, p)
		}
		err = eachRow(ctx, tx, `SELECT a.at, COALESCE(u.name, ''), COALESCE(o.name, ''), a.action, a.detail, a.object_id
			FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN organisations o ON o.id = a.org_id
			WHERE a.object_type = $1 AND (a.object_id = $2 OR (a.object_id = '' AND (a.detail LIKE $3 OR a.detail LIKE $4 OR a.detail LIKE $5 OR a.detail LIKE $6)))
			ORDER BY a.id DESC LIMIT 1000`, args, func(row interface{ Scan(...any) error }) error {
			var a sspf.Access
			var at int64
			var detail, object string
			if err := row.Scan(&at, &a.UserName, &a.OrgName, &a.Action, &detail, &object); err != nil {
				return err
			}
			a.At, a.What = fromMillis(at), sspf.AccessWhat(a.Action, object, detail)
			out = append(out, &a)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditRead, objectType: objectSSPF, objectID: objectID(id), detail: "åtkomstlogg"})
	})
	return out, err
}

// CreateMeeting plans a meeting of a team.
func (s *SSPFService) CreateMeeting(ctx context.Context, teamID int64, day trygg.Day) (*sspf.Meeting, error) {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	var m *sspf.Meeting
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		today := trygg.DayOf(tx.now)
		if day == 0 || day < today.AddYears(-1) || day > today.AddYears(1) {
			return fieldError("day", "Ange mötets datum, högst ett år bakåt eller framåt.")
		}
		var name string
		if err := tx.QueryRowContext(ctx, "SELECT name FROM sspf_teams WHERE id = $1", teamID).Scan(&name); errors.Is(err, sql.ErrNoRows) {
			return fieldError("team", "Välj ett SSPF-team i listan.")
		} else if err != nil {
			return err
		}
		m = &sspf.Meeting{TeamID: teamID, TeamName: name, Day: day}
		if err := tx.QueryRowContext(ctx, "INSERT INTO sspf_meetings (team_id, day, created_at) VALUES ($1, $2, $3) RETURNING id",
			teamID, int64(day), millis(tx.now)).Scan(&m.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditCreate, objectType: "sspf_meeting", objectID: objectID(m.ID)})
	})
	return m, err
}

// FindMeetings lists the meetings of the caller's teams, newest first.
func (s *SSPFService) FindMeetings(ctx context.Context) ([]*sspf.Meeting, error) {
	sc, err := sspfAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	var out []*sspf.Meeting
	err = eachRow(ctx, s.db.read, `SELECT m.id, m.team_id, t.name, m.day FROM sspf_meetings m JOIN sspf_teams t ON t.id = m.team_id
		ORDER BY m.day DESC, m.id DESC LIMIT 200`, nil, func(row interface{ Scan(...any) error }) error {
		var m sspf.Meeting
		var d int64
		if err := row.Scan(&m.ID, &m.TeamID, &m.TeamName, &d); err != nil {
			return err
		}
		m.Day = trygg.Day(d)
		if sc.sees(m.TeamID) {
			out = append(out, &m)
		}
		return nil
	})
	return out, err
}

// FindMeeting returns a meeting with the team's active cases as agenda and
// the actions decided at it; the read is audited with the cases shown.
func (s *SSPFService) FindMeeting(ctx context.Context, id int64) (*sspf.Meeting, error) {
	sc, err := sspfAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	var m *sspf.Meeting
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		var found sspf.Meeting
		var d int64
		err := tx.QueryRowContext(ctx, `SELECT m.id, m.team_id, t.name, m.day FROM sspf_meetings m JOIN sspf_teams t ON t.id = m.team_id
			WHERE m.id = $1`, id).Scan(&found.ID, &found.TeamID, &found.TeamName, &d)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.sees(found.TeamID)) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		found.Day = trygg.Day(d)
		cs, err := s.queryCases(ctx, tx, ` WHERE c.team_id = $1 AND c.state = $2 AND c.purged_at IS NULL
			ORDER BY c.referred_on, c.id`, found.TeamID, sspf.StateActive)
		if err != nil {
			return err
		}
		ids := make([]string, len(cs))
		for i, c := range cs {
			if err := s.loadConsents(ctx, tx, c); err != nil {
				return err
			}
			found.Agenda, ids[i] = append(found.Agenda, summaryOf(c, found.Day)), objectID(c.ID)
		}
		if found.Actions, err = s.actions(ctx, tx, "x.meeting_id = $1", found.ID); err != nil {
			return err
		}
		m = &found
		return tx.auditAccess(ctx, sc.identity, objectSSPF, sealed.Access{Listing: "teammöte " + objectID(found.ID), Shown: ids})
	})
	return m, err
}

// AddAction records a meeting decision as an action on one of the team's
// cases; its title is sealed.
func (s *SSPFService) AddAction(ctx context.Context, meetingID int64, in sspf.ActionInput) (*sspf.Action, error) {
	sc, err := coordinatorAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	keys, err := s.db.sspfKeyring()
	if err != nil {
		return nil, err
	}
	var a *sspf.Action
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		if err := in.Validate(trygg.DayOf(tx.now)); err != nil {
			return err
		}
		var team int64
		if err := tx.QueryRowContext(ctx, "SELECT team_id FROM sspf_meetings WHERE id = $1", meetingID).Scan(&team); errors.Is(err, sql.ErrNoRows) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		var caseID int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM sspf_cases WHERE ref = $1 AND team_id = $2 AND state <> $3 AND purged_at IS NULL",
			in.CaseRef, team, sspf.StateClosed).Scan(&caseID)
		if errors.Is(err, sql.ErrNoRows) {
			return fieldError("case", "Välj ett öppet ärende i teamet.")
		} else if err != nil {
			return err
		}
		a = &sspf.Action{CaseRef: in.CaseRef, Title: in.Title, OwnerPart: in.OwnerPart, Deadline: in.Deadline, MeetingID: meetingID}
		if err := tx.QueryRowContext(ctx, `INSERT INTO sspf_actions (case_id, meeting_id, title, owner_part, deadline, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, caseID, meetingID, keys.Seal([]byte(a.Title), in.CaseRef), a.OwnerPart,
			int64(a.Deadline), millis(tx.now)).Scan(&a.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditCreate, objectType: objectSSPF, objectID: objectID(caseID),
			detail: fmt.Sprintf("åtgärd %d från teammöte %d", a.ID, meetingID)})
	})
	return a, err
}

// SetActionDone marks an action done.
func (s *SSPFService) SetActionDone(ctx context.Context, ref string, actionID int64) error {
	sc, err := sspfAccess(ctx, s.db.read)
	if err != nil {
		return err
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		var caseID, team int64
		var part string
		err := tx.QueryRowContext(ctx, `SELECT c.id, c.team_id, x.owner_part FROM sspf_actions x JOIN sspf_cases c ON c.id = x.case_id
			WHERE c.ref = $1 AND x.id = $2 AND c.purged_at IS NULL`, ref, actionID).Scan(&caseID, &team, &part)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (!sc.sees(team) || (!sc.coordinator && sc.part != part))) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE sspf_actions SET done = 1 WHERE id = $1", actionID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(sc.identity), auditEntry{action: trygg.AuditUpdate, objectType: objectSSPF, objectID: objectID(caseID),
			detail: fmt.Sprintf("åtgärd %d klar", actionID)})
	})
}

// FindActions lists the open actions on the caller's cases.
func (s *SSPFService) FindActions(ctx context.Context) ([]*sspf.Action, error) {
	sc, err := sspfAccess(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	where, args := "x.done = 0 AND c.purged_at IS NULL", []any{}
	if !sc.coordinator {
		if len(sc.teams) == 0 {
			return nil, nil
		}
		where += " AND c.team_id IN (" + placeholders(1, len(sc.teams)) + ")"
		for _, t := range sc.teams {
			args = append(args, t)
		}
	}
	return s.actions(ctx, s.db.read, where, args...)
}

// Stats loads the statistics columns of every case, purged ones included.
func (s *SSPFService) Stats(ctx context.Context, today trygg.Day) (*sspf.Stats, error) {
	c := caller(ctx)
	if !c.user.Has(trygg.RoleSSPF, trygg.RoleSamordnare, trygg.RoleLasare) {
		return nil, c.denied()
	}
	rows, err := sspfStatsRows(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	return sspf.ComputeStats(rows, today), nil
}

// sspfStatsRows reads the statistics columns of every case, purged ones
// included; none of them is sealed.
func sspfStatsRows(ctx context.Context, q queryer) ([]sspf.StatsRow, error) {
	var rows []sspf.StatsRow
	err := eachRow(ctx, q, `SELECT a.name, c.referred_on, COALESCE(c.active_on, 0), COALESCE(c.outcome, ''), c.complete_consent
		FROM sspf_cases c JOIN sspf_teams t ON t.id = c.team_id JOIN areas a ON a.id = t.area_id`, nil,
		func(row interface{ Scan(...any) error }) error {
			var r sspf.StatsRow
			var referred, active int64
			var complete int
			if err := row.Scan(&r.AreaName, &referred, &active, &r.Outcome, &complete); err != nil {
				return err
			}
			r.ReferredOn, r.ActiveOn, r.CompleteConsent = trygg.Day(referred), trygg.Day(active), complete == 1
			rows = append(rows, r)
			return nil
		})
	return rows, err
}

// LegalGrounds returns the configured legal grounds.
func (s *SSPFService) LegalGrounds() []sspf.LegalGround { return s.Grounds }

// ValidityMonths returns the longest a consent may last.
func (s *SSPFService) ValidityMonths() int { return s.Months }

// PurgeSSPF is the register's retention job ("gallring"): for every
// closed case whose retention period (months after closing) has passed,
// it deletes the consents with their documents and signatures, the shares
// and the actions, and empties the sealed identity and its blind index,
// keeping the codes and days the statistics count. Each case is written
// to the audit log by ID and closing day, without personal data. With
// dryRun nothing is deleted. Only the operator (the CLI, run by a
// scheduler) may call it.
func (db *DB) PurgeSSPF(ctx context.Context, months int, dryRun bool) ([]sspf.RetentionItem, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	var items []sspf.RetentionItem
	err := db.inWrite(ctx, func(tx *Tx) error {
		today := trygg.DayOf(tx.now)
		err := eachRow(ctx, tx, "SELECT id, closed_on FROM sspf_cases WHERE closed_on IS NOT NULL AND purged_at IS NULL ORDER BY closed_on, id", nil,
			func(row interface{ Scan(...any) error }) error {
				var it sspf.RetentionItem
				var closed int64
				if err := row.Scan(&it.ID, &closed); err != nil {
					return err
				}
				it.ClosedOn = trygg.Day(closed)
				if sspf.RetentionDue(it.ClosedOn, today, months) {
					items = append(items, it)
				}
				return nil
			})
		if err != nil {
			return err
		}
		if dryRun {
			return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditRead, objectType: objectSSPF,
				detail: fmt.Sprintf("gallring, provkörning: %d skulle gallras", len(items))})
		}
		for _, it := range items {
			for _, q := range []string{
				"DELETE FROM sspf_signatures WHERE consent_id IN (SELECT id FROM sspf_consents WHERE case_id = $1)",
				"DELETE FROM sspf_shares WHERE case_id = $1",
				"DELETE FROM sspf_consents WHERE case_id = $1",
				"DELETE FROM sspf_actions WHERE case_id = $1",
			} {
				if _, err := tx.ExecContext(ctx, q, it.ID); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "UPDATE sspf_cases SET sealed = NULL, youth_index = NULL, purged_at = $1 WHERE id = $2",
				millis(tx.now), it.ID); err != nil {
				return err
			}
			if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditDelete, objectType: objectSSPF, objectID: objectID(it.ID),
				detail: fmt.Sprintf("gallrad: avslutad %s", it.ClosedOn)}); err != nil {
				return err
			}
		}
		return nil
	})
	return items, err
}

// SSPFReminders returns the reminders due on day: for each open action
// whose deadline is sspf.ReminderDaysBefore days later, one to each team
// member of the owning part (the case's coordinator when there is none),
// and for each active case with a follow-up that many days later, one to
// its coordinator. They name the case by its reference only. Only the
// operator (the reminder job).
func (db *DB) SSPFReminders(ctx context.Context, day trygg.Day) ([]sspf.Reminder, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	due := day + sspf.ReminderDaysBefore
	var out []sspf.Reminder
	type action struct {
		ref, part   string
		team        int64
		coordinator [2]string
		deadline    trygg.Day
	}
	var actions []action
	err := eachRow(ctx, db.read, `SELECT c.ref, x.owner_part, c.team_id, u.name, u.email FROM sspf_actions x
		JOIN sspf_cases c ON c.id = x.case_id JOIN users u ON u.id = c.coordinator_id
		WHERE x.done = 0 AND x.deadline = $1 AND c.state <> $2 AND c.purged_at IS NULL ORDER BY x.id`, []any{int64(due), sspf.StateClosed},
		func(row interface{ Scan(...any) error }) error {
			a := action{deadline: due}
			err := row.Scan(&a.ref, &a.part, &a.team, &a.coordinator[0], &a.coordinator[1])
			actions = append(actions, a)
			return err
		})
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		members, err := teamMembers(ctx, db.read, a.team)
		if err != nil {
			return nil, err
		}
		var to [][2]string
		for _, m := range members {
			if m.Part == a.part {
				to = append(to, [2]string{m.Name, m.Email})
			}
		}
		if len(to) == 0 {
			to = append(to, a.coordinator)
		}
		for _, r := range to {
			out = append(out, sspf.Reminder{ToName: r[0], ToEmail: r[1], Kind: sspf.ReminderAction, CaseRef: a.ref, Due: a.deadline})
		}
	}
	err = eachRow(ctx, db.read, `SELECT c.ref, c.active_on, u.name, u.email FROM sspf_cases c JOIN users u ON u.id = c.coordinator_id
		WHERE c.state = $1 AND c.active_on IS NOT NULL AND c.purged_at IS NULL AND u.disabled_at IS NULL ORDER BY c.id`, []any{sspf.StateActive},
		func(row interface{ Scan(...any) error }) error {
			var r sspf.Reminder
			var active int64
			if err := row.Scan(&r.CaseRef, &active, &r.ToName, &r.ToEmail); err != nil {
				return err
			}
			if slices.Contains(sspf.FollowUpDays(trygg.Day(active)), due) {
				r.Kind, r.Due = sspf.ReminderFollowUp, due
				out = append(out, r)
			}
			return nil
		})
	return out, err
}
