package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/password"
)

var _ trygg.UserService = (*UserService)(nil)

// UserService manages accounts.
type UserService struct{ db *DB }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

const userColumns = `u.id, u.email, u.name, u.org_id, u.disabled_at, u.created_at,
	o.id, o.code, o.name, o.type, o.created_at`

const userFrom = " FROM users u JOIN organisations o ON o.id = u.org_id"

func scanUser(s interface{ Scan(...any) error }) (*trygg.User, error) {
	var u trygg.User
	var o trygg.Organisation
	var disabled sql.NullInt64
	var created, orgCreated int64
	if err := s.Scan(&u.ID, &u.Email, &u.Name, &u.OrgID, &disabled, &created, &o.ID, &o.Code, &o.Name, &o.Type, &orgCreated); err != nil {
		return nil, err
	}
	u.DisabledAt, u.CreatedAt = timePtr(disabled), fromMillis(created)
	o.CreatedAt = fromMillis(orgCreated)
	u.Org = &o
	return &u, nil
}

// queryer is what both *sql.DB and *Tx can do.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// findUsers returns the users matching where (which may use $1… for args),
// with their roles, ordered by e-mail.
func findUsers(ctx context.Context, q queryer, where string, args ...any) ([]*trygg.User, error) {
	query := "SELECT " + userColumns + userFrom
	if where != "" {
		query += " WHERE " + where
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY u.email", args...)
	if err != nil {
		return nil, err
	}
	var users []*trygg.User
	byID := map[int64]*trygg.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		users = append(users, u)
		byID[u.ID] = u
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(users) == 0 {
		return users, err
	}
	if len(users) == 1 {
		rows, err = q.QueryContext(ctx, rolesOfUserSQL, users[0].ID)
	} else {
		rows, err = q.QueryContext(ctx, "SELECT user_id, role FROM user_roles ORDER BY user_id, role")
	}
	if err != nil {
		return nil, err
	}
	if err := addRoles(rows, byID); err != nil {
		return nil, err
	}
	return users, nil
}

// addRoles gives the users in byID their roles from rows of (user_id,
// role), in display order, and closes rows.
func addRoles(rows *sql.Rows, byID map[int64]*trygg.User) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return err
		}
		if u := byID[id]; u != nil {
			u.Roles = append(u.Roles, trygg.Role(role))
		}
	}
	for _, u := range byID {
		trygg.SortRoles(u.Roles)
	}
	return rows.Err()
}

// userByID is findUser(ctx, db.read, "u.id = $1", id) on prepared
// statements, for the check of a session or API token at every request.
func (db *DB) userByID(ctx context.Context, id int64) (*trygg.User, error) {
	stmt, err := db.stmts.userByID.get(ctx)
	if err != nil {
		return nil, err
	}
	u, err := scanUser(stmt.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	} else if err != nil {
		return nil, err
	}
	roles, err := db.stmts.rolesOfUser.get(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := roles.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := addRoles(rows, map[int64]*trygg.User{id: u}); err != nil {
		return nil, err
	}
	return u, nil
}

func findUser(ctx context.Context, q queryer, where string, args ...any) (*trygg.User, error) {
	users, err := findUsers(ctx, q, where, args...)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, trygg.NotFound()
	}
	return users[0], nil
}

// FindUserByID returns the user. Admins, the operator and the user
// themself; ENOTFOUND for anyone else.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*trygg.User, error) {
	c := caller(ctx)
	if !c.isAdmin() && (c.user == nil || c.user.ID != id) {
		return nil, c.denied()
	}
	return findUser(ctx, s.db.read, "u.id = $1", id)
}

// FindUsers returns matching users ordered by e-mail. Admins and the
// operator.
func (s *UserService) FindUsers(ctx context.Context, f trygg.UserFilter) ([]*trygg.User, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return nil, c.denied()
	}
	var where []string
	var args []any
	if f.ID != nil {
		args = append(args, *f.ID)
		where = append(where, "u.id = $"+strconv.Itoa(len(args)))
	}
	if f.Email != nil {
		args = append(args, trygg.NormalizeEmail(*f.Email))
		where = append(where, "u.email = $"+strconv.Itoa(len(args)))
	}
	if f.OrgID != nil {
		args = append(args, *f.OrgID)
		where = append(where, "u.org_id = $"+strconv.Itoa(len(args)))
	}
	return findUsers(ctx, s.db.read, strings.Join(where, " AND "), args...)
}

// checkPassword validates a new password; the hash is made by the caller.
func checkPassword(v *trygg.Validation, pw string) {
	switch n := utf8.RuneCountInString(pw); {
	case n == 0:
		v.Add("password", "Ange ett lösenord.")
	case n < password.MinLength:
		v.Add("password", "Lösenordet måste vara minst %d tecken.", password.MinLength)
	case n > password.MaxLength:
		v.Add("password", "Lösenordet får vara högst %d tecken.", password.MaxLength)
	}
}

// orgIDByCode returns the ID of the organisation with code, or adds a field
// error.
func orgIDByCode(ctx context.Context, tx *Tx, v *trygg.Validation, code string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM organisations WHERE code = $1", strings.TrimSpace(code)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		v.Add("org", "Organisationen %q finns inte.", code)
		return 0, nil
	}
	return id, err
}

// CreateUser stores a new user. Admins and the operator. An empty password
// leaves the account unable to sign in until one is set. Returns EINVALID
// for bad fields and ECONFLICT for a taken e-mail.
func (s *UserService) CreateUser(ctx context.Context, nu trygg.NewUser) (*trygg.User, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return nil, c.denied()
	}
	var v trygg.Validation
	email := trygg.NormalizeEmail(nu.Email)
	if !trygg.ValidEmail(email) {
		v.Add("email", "Ange en giltig e-postadress.")
	}
	name := strings.TrimSpace(nu.Name)
	checkName(&v, "name", name, 200)
	if strings.TrimSpace(nu.OrgCode) == "" {
		v.Add("org", "Välj en organisation.")
	}
	roles := trygg.CheckRoles(&v, nu.Roles)
	hash := ""
	if nu.Password != "" {
		checkPassword(&v, nu.Password)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if nu.Password != "" {
		var err error
		if hash, err = password.HashWith(nu.Password, s.db.PasswordCost); err != nil {
			return nil, err
		}
	}
	var user *trygg.User
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		orgID, err := orgIDByCode(ctx, tx, &v, nu.OrgCode)
		if err != nil {
			return err
		} else if err := v.Err(); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO users (email, name, org_id, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, email, name, orgID, hash, millis(tx.now)).Scan(&id)
		if err != nil {
			return translate(err)
		}
		if err := insertRoles(ctx, tx, id, roles); err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "user", objectID: objectID(id), detail: rolesDetail(roles)}); err != nil {
			return err
		}
		user, err = findUser(ctx, tx, "u.id = $1", id)
		return err
	})
	if err != nil {
		return nil, conflictOn(err, "email", "E-postadressen används redan av ett annat konto.")
	}
	return user, nil
}

func insertRoles(ctx context.Context, tx *Tx, userID int64, roles []trygg.Role) error {
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)", userID, string(r)); err != nil {
			return err
		}
	}
	return nil
}

func rolesDetail(roles []trygg.Role) string {
	parts := make([]string, len(roles))
	for i, r := range roles {
		parts[i] = string(r)
	}
	return "roller: " + strings.Join(parts, ",")
}

// UpdateUser changes the fields of upd that are set. Admins and the
// operator; EINVALID or ENOTFOUND.
func (s *UserService) UpdateUser(ctx context.Context, id int64, upd trygg.UserUpdate) (*trygg.User, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return nil, c.denied()
	}
	var v trygg.Validation
	var name string
	if upd.Name != nil {
		name = strings.TrimSpace(*upd.Name)
		checkName(&v, "name", name, 200)
	}
	if upd.OrgCode != nil && strings.TrimSpace(*upd.OrgCode) == "" {
		v.Add("org", "Välj en organisation.")
	}
	var roles []trygg.Role
	if upd.Roles != nil {
		roles = trygg.CheckRoles(&v, upd.Roles)
	}
	if upd.Password != nil {
		checkPassword(&v, *upd.Password)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash := ""
	if upd.Password != nil {
		var err error
		if hash, err = password.HashWith(*upd.Password, s.db.PasswordCost); err != nil {
			return nil, err
		}
	}
	var user *trygg.User
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := findUser(ctx, tx, "u.id = $1", id); err != nil {
			return err
		}
		var changed []string
		if upd.Name != nil {
			if _, err := tx.ExecContext(ctx, "UPDATE users SET name = $1 WHERE id = $2", name, id); err != nil {
				return err
			}
			changed = append(changed, "namn")
		}
		if upd.OrgCode != nil {
			orgID, err := orgIDByCode(ctx, tx, &v, *upd.OrgCode)
			if err != nil {
				return err
			} else if err := v.Err(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE users SET org_id = $1 WHERE id = $2", orgID, id); err != nil {
				return err
			}
			changed = append(changed, "organisation")
		}
		if upd.Roles != nil {
			if _, err := tx.ExecContext(ctx, "DELETE FROM user_roles WHERE user_id = $1", id); err != nil {
				return err
			}
			if err := insertRoles(ctx, tx, id, roles); err != nil {
				return err
			}
			changed = append(changed, rolesDetail(roles))
		}
		if upd.Password != nil {
			if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", hash, id); err != nil {
				return err
			}
			// A new password ends the sessions made with the old one.
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
				return err
			}
			changed = append(changed, "lösenord")
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "user", objectID: objectID(id), detail: strings.Join(changed, "; ")}); err != nil {
			return err
		}
		var err error
		user, err = findUser(ctx, tx, "u.id = $1", id)
		return err
	})
	return user, err
}

// DisableUser stops the user signing in, ends their sessions and revokes
// their API tokens. Admins and the operator; ENOTFOUND. Disabling a
// disabled user changes nothing and succeeds.
func (s *UserService) DisableUser(ctx context.Context, id int64) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		u, err := findUser(ctx, tx, "u.id = $1", id)
		if err != nil {
			return err
		}
		if u.DisabledAt == nil {
			if _, err := tx.ExecContext(ctx, "UPDATE users SET disabled_at = $1 WHERE id = $2", millis(tx.now), id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", millis(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "user", objectID: objectID(id), detail: "avaktiverad"})
	})
}
