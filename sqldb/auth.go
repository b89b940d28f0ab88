package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/password"
)

var _ trygg.AuthService = (*AuthService)(nil)

// Sign-in rate limits: failures within the window, counted per account and
// per client IP. The attempt after the limit is refused.
const (
	failureWindow      = 15 * time.Minute
	maxAccountFailures = 5
	maxIPFailures      = 20
)

// touchInterval is how stale last_seen or last_used may get before a
// request writes it again; writing on every request would make each page
// view a disk write.
const touchInterval = time.Minute

// APITokenPrefix starts every API token, so that a leaked one is easy to
// recognise in code or logs.
const APITokenPrefix = "trygg_"

var (
	errBadCredentials = &trygg.Error{Code: trygg.EUNAUTHORIZED, Message: "Fel e-postadress eller lösenord."}
	errRateLimited    = &trygg.Error{Code: trygg.ERATELIMIT, Message: "För många inloggningsförsök. Vänta en stund och försök igen."}
)

// AuthService signs users in and out and checks API tokens.
type AuthService struct {
	db *DB

	// dummyHash is verified when the e-mail is unknown, so that an unknown
	// account takes as long to refuse as a wrong password.
	dummyOnce sync.Once
	dummyHash string
}

// NewAuthService returns the auth service of db.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (s *AuthService) dummy() string {
	s.dummyOnce.Do(func() {
		s.dummyHash, _ = password.HashWith("trygg dummy password", s.db.PasswordCost)
	})
	return s.dummyHash
}

// countFailures returns how many failures key has within the window. The
// sign-in and the night walks' sign-up links count their failures here.
func (db *DB) countFailures(ctx context.Context, key string, now time.Time) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM login_failures WHERE key_hash = $1 AND at > $2",
		key, millis(now.Add(-failureWindow))).Scan(&n)
	return n, err
}

// recordFailure counts a failure for each non-empty key in tx, and forgets
// the failures older than the window.
func recordFailure(ctx context.Context, tx *Tx, keys ...string) error {
	for _, key := range keys {
		if key == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (key_hash, at) VALUES ($1, $2)", key, millis(tx.now)); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at <= $1", millis(tx.now.Add(-failureWindow)))
	return err
}

// SignIn checks the e-mail and password and starts a new session. Anyone
// may call it. Returns EUNAUTHORIZED for an unknown e-mail, a wrong
// password or a disabled account (the same answer for each) and
// ERATELIMIT after too many failures for the account or the client IP.
func (s *AuthService) SignIn(ctx context.Context, email, pw string) (*trygg.Session, error) {
	email = trygg.NormalizeEmail(email)
	now := s.db.Now()
	accountKey := sha256Hex("email:" + email)
	ip := trygg.ClientFromContext(ctx).IP
	ipKey := ""
	if ip != "" {
		ipKey = sha256Hex("ip:" + ip)
	}

	// Look the user up before counting, so that a refused attempt can be
	// audited against the account.
	var userID int64
	var hash string
	var disabled sql.NullInt64
	err := s.db.read.QueryRowContext(ctx, "SELECT id, password_hash, disabled_at FROM users WHERE email = $1", email).
		Scan(&userID, &hash, &disabled)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	failedActor := actor{}
	failedObject := ""
	if known {
		failedActor = actor{userID: &userID}
		failedObject = objectID(userID)
	}

	accountFailures, err := s.db.countFailures(ctx, accountKey, now)
	if err != nil {
		return nil, err
	}
	ipFailures := 0
	if ipKey != "" {
		if ipFailures, err = s.db.countFailures(ctx, ipKey, now); err != nil {
			return nil, err
		}
	}
	if accountFailures >= maxAccountFailures || ipFailures >= maxIPFailures {
		err := s.db.inWrite(ctx, func(tx *Tx) error {
			return tx.audit(ctx, failedActor, auditEntry{action: trygg.AuditSignInFailed, objectType: "user", objectID: failedObject, detail: "för många försök"})
		})
		if err != nil {
			return nil, err
		}
		return nil, errRateLimited
	}

	// The slow hash check runs outside any transaction, so it never holds
	// up writers.
	ok := false
	reason := "okänt konto"
	if known && hash != "" {
		if ok, err = password.Verify(hash, pw); err != nil {
			return nil, err
		}
		reason = "fel lösenord"
	} else {
		_, _ = password.Verify(s.dummy(), pw)
		if known {
			reason = "inget lösenord satt"
		}
	}
	if ok && disabled.Valid {
		ok, reason = false, "avaktiverat konto"
	}

	if !ok {
		err := s.db.inWrite(ctx, func(tx *Tx) error {
			if err := recordFailure(ctx, tx, accountKey, ipKey); err != nil {
				return err
			}
			return tx.audit(ctx, failedActor, auditEntry{action: trygg.AuditSignInFailed, objectType: "user", objectID: failedObject, detail: reason})
		})
		if err != nil {
			return nil, err
		}
		return nil, errBadCredentials
	}

	token, err := randomToken(32)
	if err != nil {
		return nil, err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return nil, err
	}
	var session *trygg.Session
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		user, err := findUser(ctx, tx, "u.id = $1", userID)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, sha256Hex(token), csrf, userID, millis(tx.now)).Scan(&id)
		if err != nil {
			return err
		}
		// A success clears the account's failures: the person is back.
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key_hash = $1", accountKey); err != nil {
			return err
		}
		session = &trygg.Session{ID: id, Token: token, CSRFToken: csrf, User: user, CreatedAt: tx.now, LastSeen: tx.now}
		return tx.audit(ctx, userActor(user), auditEntry{action: trygg.AuditSignIn, objectType: "session", objectID: objectID(id)})
	})
	return session, err
}

// FindSession returns the session with token and its user. It returns
// EUNAUTHORIZED for an unknown token, a session idle longer than
// trygg.SessionIdleTimeout or older than trygg.SessionAbsoluteTimeout
// (which it deletes), or a disabled user. Anyone may call it.
func (s *AuthService) FindSession(ctx context.Context, token string) (*trygg.Session, error) {
	if token == "" {
		return nil, errUnauthorized
	}
	now := s.db.Now().UTC()
	var sess trygg.Session
	var userID, created, lastSeen int64
	stmt, err := s.db.stmts.sessionByHash.get(ctx)
	if err != nil {
		return nil, err
	}
	err = stmt.QueryRowContext(ctx, sha256Hex(token)).Scan(&sess.ID, &sess.CSRFToken, &userID, &created, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnauthorized
	} else if err != nil {
		return nil, err
	}
	sess.CreatedAt, sess.LastSeen = fromMillis(created), fromMillis(lastSeen)
	if now.Sub(sess.LastSeen) > trygg.SessionIdleTimeout || now.Sub(sess.CreatedAt) > trygg.SessionAbsoluteTimeout {
		if _, err := s.db.write.ExecContext(ctx, "DELETE FROM sessions WHERE id = $1", sess.ID); err != nil {
			return nil, err
		}
		return nil, errUnauthorized
	}
	user, err := s.db.userByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if user.DisabledAt != nil {
		return nil, errUnauthorized
	}
	sess.User = user
	if now.Sub(sess.LastSeen) >= touchInterval {
		if _, err := s.db.write.ExecContext(ctx, "UPDATE sessions SET last_seen = $1 WHERE id = $2", millis(now), sess.ID); err != nil {
			return nil, err
		}
		sess.LastSeen = now
	}
	return &sess, nil
}

// SignOut ends the session with token. Unknown tokens are ignored, so that
// signing out twice is harmless. Anyone may call it.
func (s *AuthService) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		var id, userID int64
		err := tx.QueryRowContext(ctx, "DELETE FROM sessions WHERE token_hash = $1 RETURNING id, user_id", sha256Hex(token)).Scan(&id, &userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		user, err := findUser(ctx, tx, "u.id = $1", userID)
		if err != nil {
			return err
		}
		return tx.audit(ctx, userActor(user), auditEntry{action: trygg.AuditSignOut, objectType: "session", objectID: objectID(id)})
	})
}

// CreateToken makes an API token for the user with email and returns it
// with its secret, which is shown once; only a hash is stored. Admins and
// the operator. ENOTFOUND for an unknown e-mail, EINVALID for a disabled
// user.
func (s *AuthService) CreateToken(ctx context.Context, email, label string) (*trygg.APIToken, string, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return nil, "", c.denied()
	}
	label = strings.TrimSpace(label)
	if label == "" {
		label = "API"
	}
	if len([]rune(label)) > 100 {
		var v trygg.Validation
		v.Add("name", "Namnet på nyckeln får vara högst 100 tecken.")
		return nil, "", v.Err()
	}
	random, err := randomToken(32)
	if err != nil {
		return nil, "", err
	}
	secret := APITokenPrefix + random
	var tok *trygg.APIToken
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		user, err := findUser(ctx, tx, "u.email = $1", trygg.NormalizeEmail(email))
		if err != nil {
			return err
		}
		if user.DisabledAt != nil {
			var v trygg.Validation
			v.Add("user", "Kontot är avaktiverat.")
			return v.Err()
		}
		tok = &trygg.APIToken{UserID: user.ID, Label: label, CreatedAt: tx.now}
		err = tx.QueryRowContext(ctx, "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			sha256Hex(secret), user.ID, label, millis(tx.now)).Scan(&tok.ID)
		if err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: "api_token", objectID: objectID(tok.ID), detail: "användare " + objectID(user.ID)})
	})
	if err != nil {
		return nil, "", err
	}
	return tok, secret, nil
}

// RevokeToken revokes the API token with id. Admins and the operator;
// ENOTFOUND. Revoking a revoked token succeeds and changes nothing.
func (s *AuthService) RevokeToken(ctx context.Context, id int64) error {
	c := caller(ctx)
	if !c.isAdmin() {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		var revoked sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT revoked_at FROM api_tokens WHERE id = $1", id).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return trygg.NotFound()
		} else if err != nil {
			return err
		}
		if revoked.Valid {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2", millis(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditDelete, objectType: "api_token", objectID: objectID(id)})
	})
}

// FindTokens lists the API tokens of the user with email, newest first.
// Admins and the operator; ENOTFOUND for an unknown e-mail.
func (s *AuthService) FindTokens(ctx context.Context, email string) ([]*trygg.APIToken, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return nil, c.denied()
	}
	user, err := findUser(ctx, s.db.read, "u.email = $1", trygg.NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, "SELECT id, user_id, label, created_at, revoked_at, last_used FROM api_tokens WHERE user_id = $1 ORDER BY id DESC", user.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tokens []*trygg.APIToken
	for rows.Next() {
		var t trygg.APIToken
		var created int64
		var revoked, used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Label, &created, &revoked, &used); err != nil {
			return nil, err
		}
		t.CreatedAt, t.RevokedAt, t.LastUsed = fromMillis(created), timePtr(revoked), timePtr(used)
		tokens = append(tokens, &t)
	}
	return tokens, rows.Err()
}

// Authenticate returns the user who owns the API token. It returns
// EUNAUTHORIZED for an unknown or revoked token or a disabled user. Anyone
// may call it.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*trygg.User, error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return nil, errUnauthorized
	}
	var id, userID int64
	var revoked, used sql.NullInt64
	stmt, err := s.db.stmts.tokenByHash.get(ctx)
	if err != nil {
		return nil, err
	}
	err = stmt.QueryRowContext(ctx, sha256Hex(token)).Scan(&id, &userID, &revoked, &used)
	if errors.Is(err, sql.ErrNoRows) || revoked.Valid {
		return nil, errUnauthorized
	} else if err != nil {
		return nil, err
	}
	user, err := s.db.userByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if user.DisabledAt != nil {
		return nil, errUnauthorized
	}
	now := s.db.Now().UTC()
	if !used.Valid || now.Sub(fromMillis(used.Int64)) >= touchInterval {
		touch, err := s.db.stmts.touchToken.get(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := touch.ExecContext(ctx, millis(now), id); err != nil {
			return nil, err
		}
	}
	return user, nil
}
