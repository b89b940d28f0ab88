package trygg

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Role is what a user may do; see DOMAIN.md. The code is stored and used in
// URLs and the CLI, the label is shown.
type Role string

const (
	RoleSamordnare   Role = "samordnare"
	RoleRapportor    Role = "rapportor"
	RolePolis        Role = "polis"
	RoleSocialtjanst Role = "socialtjanst"
	RoleArbetsledare Role = "arbetsledare" // socialtjänst's manager: the register, plus assigning and its access log
	RoleLasare       Role = "lasare"
	RoleAdmin        Role = "admin"
	RoleKontroll     Role = "kontroll" // the review of welfare providers (leverantor)
	// SSPF (tidiga insatser): the coordinator in social services, and the
	// team members of school, social services, police and leisure.
	RoleSSPF         Role = "sspf"
	RoleSSPFMember   Role = "sspf_medlem"
	RoleNattvandrare Role = "nattvandrare" // leads a night-walking group (docs/nattvandring.md)
)

// Roles lists every role in display order.
var Roles = []Role{RoleSamordnare, RoleRapportor, RolePolis, RoleSocialtjanst, RoleArbetsledare, RoleLasare, RoleAdmin,
	RoleKontroll, RoleSSPF, RoleSSPFMember, RoleNattvandrare}

// Label returns the Swedish name of the role.
func (r Role) Label() string {
	switch r {
	case RoleSamordnare:
		return "Samordnare"
	case RoleRapportor:
		return "Rapportör"
	case RolePolis:
		return "Polis"
	case RoleSocialtjanst:
		return "Socialtjänst"
	case RoleArbetsledare:
		return "Arbetsledare socialtjänst"
	case RoleLasare:
		return "Läsare"
	case RoleAdmin:
		return "Administratör"
	case RoleKontroll:
		return "Leverantörskontroll"
	case RoleSSPF:
		return "SSPF-samordnare"
	case RoleSSPFMember:
		return "SSPF-teammedlem"
	case RoleNattvandrare:
		return "Nattvandringsledare"
	}
	return string(r)
}

// ParseRole accepts a role code or its Swedish spelling ("rapportör",
// "läsare", "socialtjänst") in any case.
func ParseRole(s string) (Role, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("ö", "o", "ä", "a", "å", "a").Replace(s)
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// NormalizeEmail is the form in which an e-mail address is stored and
// looked up: trimmed and in lower case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidEmail accepts a plain address (no display name) of sensible length.
func ValidEmail(email string) bool {
	if len(email) > 254 || strings.ContainsAny(email, " \t\r\n<>") {
		return false
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email {
		return false
	}
	at := strings.LastIndexByte(email, '@')
	return at > 0 && strings.Contains(email[at+1:], ".")
}

// CheckRoles validates and de-duplicates roles and returns them in
// display order; an unknown role or none at all adds a field error on
// "roles" to v.
func CheckRoles(v *Validation, roles []Role) []Role {
	var out []Role
	for _, r := range roles {
		parsed, ok := ParseRole(string(r))
		if !ok {
			v.Add("roles", "Okänd roll: %s.", r)
			return nil
		}
		if !slices.Contains(out, parsed) {
			out = append(out, parsed)
		}
	}
	if len(out) == 0 {
		v.Add("roles", "Välj minst en roll.")
	}
	SortRoles(out)
	return out
}

// SortRoles puts roles in the display order of Roles.
func SortRoles(roles []Role) {
	slices.SortFunc(roles, func(a, b Role) int {
		return slices.Index(Roles, a) - slices.Index(Roles, b)
	})
}

// OrgType is the kind of a partner organisation.
type OrgType string

const (
	OrgMunicipal      OrgType = "kommun"
	OrgPolice         OrgType = "polis"
	OrgSchool         OrgType = "skola"
	OrgSocialServices OrgType = "socialtjanst"
	OrgProperty       OrgType = "fastighetsbolag"
	OrgRetailer       OrgType = "handlare"
	OrgAssociation    OrgType = "forening"
	OrgSecurity       OrgType = "vaktbolag"
	// OrgCitizens is the municipality's organisation "Medborgare", which
	// files the residents' tips the samordnare accepts (package tips).
	OrgCitizens  OrgType = "medborgare"
	OrgNightwalk OrgType = "nattvandring" // a night-walking association or parents' group
)

// OrgTypes lists every organisation type in display order.
var OrgTypes = []OrgType{OrgMunicipal, OrgPolice, OrgSchool, OrgSocialServices, OrgProperty, OrgRetailer, OrgAssociation, OrgSecurity,
	OrgCitizens, OrgNightwalk}

// Label returns the Swedish name of the organisation type.
func (t OrgType) Label() string {
	switch t {
	case OrgMunicipal:
		return "Kommunal verksamhet"
	case OrgPolice:
		return "Polis"
	case OrgSchool:
		return "Skola"
	case OrgSocialServices:
		return "Socialtjänst"
	case OrgProperty:
		return "Fastighetsbolag"
	case OrgRetailer:
		return "Handlare"
	case OrgAssociation:
		return "Förening eller volontärer"
	case OrgSecurity:
		return "Bevakningsföretag"
	case OrgCitizens:
		return "Medborgare (tips)"
	case OrgNightwalk:
		return "Nattvandring"
	}
	return string(t)
}

// Valid reports whether t is a known organisation type.
func (t OrgType) Valid() bool { return slices.Contains(OrgTypes, t) }

// Organisation is a partner in the collaboration. Every user belongs to one.
type Organisation struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"` // short, stable, used by the CLI (--org)
	Name      string    `json:"name"`
	Type      OrgType   `json:"type"`
	CreatedAt time.Time `json:"created_at"`
}

// User is a person who signs in. Users are staff of partner organisations,
// not the people the reports are about.
type User struct {
	ID         int64         `json:"id"`
	Email      string        `json:"email"`
	Name       string        `json:"name"`
	OrgID      int64         `json:"org_id"`
	Org        *Organisation `json:"organisation,omitempty"`
	Roles      []Role        `json:"roles"`
	DisabledAt *time.Time    `json:"disabled_at,omitempty"`
	CreatedAt  time.Time     `json:"created_at"`
}

// Has reports whether the user holds any of the given roles.
func (u *User) Has(roles ...Role) bool {
	if u == nil || u.DisabledAt != nil {
		return false
	}
	for _, r := range roles {
		if slices.Contains(u.Roles, r) {
			return true
		}
	}
	return false
}

// PrimaryRole is the role recorded in the audit log: the most powerful one
// the user holds.
func (u *User) PrimaryRole() Role {
	for _, r := range []Role{RoleAdmin, RoleArbetsledare, RoleSocialtjanst, RoleKontroll, RoleSSPF, RoleSamordnare, RolePolis, RoleSSPFMember, RoleRapportor, RoleLasare,
		RoleNattvandrare} {
		if u.Has(r) {
			return r
		}
	}
	return ""
}

// UserFilter selects users. Zero fields do not filter.
type UserFilter struct {
	ID    *int64
	Email *string
	OrgID *int64
}

// NewUser is the input for creating a user.
type NewUser struct {
	Email    string
	Name     string
	OrgCode  string
	Roles    []Role
	Password string // empty: the user cannot sign in until one is set
}

// UserUpdate changes a user. Nil fields are left alone.
type UserUpdate struct {
	Name     *string
	OrgCode  *string
	Roles    []Role // nil: unchanged
	Password *string
}

// UserService manages accounts. Only admins and the operator
// (NewOperatorContext, the CLI) may list or change users; others get
// ENOTFOUND.
type UserService interface {
	// FindUserByID returns ENOTFOUND if missing or not visible to the caller.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUsers returns matching users, ordered by e-mail.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, error)
	// CreateUser returns EINVALID for bad fields and ECONFLICT for a taken e-mail.
	CreateUser(ctx context.Context, nu NewUser) (*User, error)
	// UpdateUser returns EINVALID or ENOTFOUND.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	// DisableUser stops the user signing in, ends the user's sessions and
	// revokes the user's API tokens.
	DisableUser(ctx context.Context, id int64) error
}

// AuthService signs users in and out. It rate-limits sign-in per account and
// per IP, audits each attempt, and keeps sessions in the database so that
// several instances can share them.
type AuthService interface {
	// SignIn checks the password and returns a new session. It returns
	// EUNAUTHORIZED for a wrong e-mail or password (the same answer for both)
	// and ERATELIMIT when too many attempts were made.
	SignIn(ctx context.Context, email, password string) (*Session, error)
	// FindSession returns the session and its user, extending the idle
	// timeout. Expired or unknown tokens return EUNAUTHORIZED.
	FindSession(ctx context.Context, token string) (*Session, error)
	// SignOut ends the session.
	SignOut(ctx context.Context, token string) error
	// CreateToken makes an API token for the user with that e-mail and
	// returns the secret once; only its hash is stored. Admins or the operator.
	CreateToken(ctx context.Context, email, label string) (*APIToken, string, error)
	// RevokeToken revokes an API token by ID. Admins or the operator.
	RevokeToken(ctx context.Context, id int64) error
	// FindTokens lists the tokens of the user with that e-mail. Admins or the operator.
	FindTokens(ctx context.Context, email string) ([]*APIToken, error)
	// Authenticate returns the user that owns an API token, or EUNAUTHORIZED.
	Authenticate(ctx context.Context, token string) (*User, error)
}

// Session is a signed-in browser. Token is only set when it is created;
// the database stores its hash.
type Session struct {
	ID        int64
	Token     string
	CSRFToken string
	User      *User
	CreatedAt time.Time
	LastSeen  time.Time
}

// Session lifetimes.
const (
	SessionIdleTimeout     = 30 * time.Minute
	SessionAbsoluteTimeout = 12 * time.Hour
)

// APIToken is a bearer token for the JSON API.
type APIToken struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Label     string     `json:"label"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	LastUsed  *time.Time `json:"last_used,omitempty"`
}
