package nattvandring

import (
	"strings"

	"github.com/trygg-est/trygg"
)

// A volunteer has no account. To let one sign up on a phone, a leader
// creates a personal sign-up link for the volunteer: a long random token
// that only the volunteer gets (the leader sends it by SMS or e-mail).
// Whoever holds the link acts as that volunteer, for that volunteer's
// sign-ups only. The store keeps only the token's SHA-256; the link is
// shown once, when it is created. A new link replaces the old one.

// SignUpLinkPath is the path of the sign-up page for token; the token is
// URL-safe.
func SignUpLinkPath(token string) string { return "/nattvandring/anmalan/" + token }

// FirstName is the first word of a name, the only part of it the sign-up
// page shows.
func FirstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// VolunteerPage is what the holder of a sign-up link sees: the
// volunteer's first name and the group's upcoming published walks, with
// their own sign-ups. Never another volunteer's name or contact.
type VolunteerPage struct {
	VolunteerID int64
	FirstName   string
	GroupName   string
	Walks       []*OwnWalk
}

// OwnWalk is an upcoming published walk as a volunteer of its group sees
// it: no sign-ups but the volunteer's own.
type OwnWalk struct {
	ID           int64
	Date         trygg.Day
	Start, End   int // minutes after midnight
	Districts    []string
	MeetingPoint string
	Status       string
	SignedUp     bool
}
