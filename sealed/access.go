package sealed

import (
	"errors"
	"fmt"
	"strings"
)

// Every read of a register is written to the audit log, in the transaction
// that reads, as an Access: who read (the storage layer knows the caller),
// which record, and why. Its Detail holds codes and record IDs only, never
// personal data; the register's access log reads it back (ParseReason,
// ShownPatterns).

// Access is one read of a register, for the audit log.
type Access struct {
	// Record is the ID of the record opened; "" for a list or a search.
	Record string
	// Reason is why Record was opened.
	Reason Reason
	// Listing says what a list or search was (Record ""), such as
	// "lista mine".
	Listing string
	// Shown are the IDs of the other records the read showed: every record
	// of a list, the related records on an opened record's page.
	Shown []string
	// ShownAs names the related records in an opened record's detail, such
	// as "tidigare anmälningar".
	ShownAs string
}

// Detail is what the audit log keeps of the read:
//
//	handläggare
//	syfte: <code>; <ShownAs>: [12,15]
//	<Listing>: 2 visade: [12,15]
func (a Access) Detail() string {
	if a.Record == "" {
		return fmt.Sprintf("%s: %d visade: %s", a.Listing, len(a.Shown), idList(a.Shown))
	}
	d := a.Reason.String()
	if len(a.Shown) > 0 {
		d += "; " + a.ShownAs + ": " + idList(a.Shown)
	}
	return d
}

// idList writes IDs as "[12,15,18]", so that ShownPatterns find one of them.
func idList(ids []string) string { return "[" + strings.Join(ids, ",") + "]" }

// ShownPatterns are the SQL LIKE patterns that find the details of the
// reads that showed record id (see Access.Shown).
func ShownPatterns(id string) []string {
	return []string{"%[" + id + "]%", "%[" + id + ",%", "%," + id + ",%", "%," + id + "]%"}
}

// Reason is why someone opened a record: it is assigned to them, or they
// gave a purpose, a code from the register's fixed list.
type Reason struct {
	Assignee bool
	Purpose  string
}

// How a Reason is written in a Detail.
const (
	assigneeDetail = "handläggare"
	purposePrefix  = "syfte: "
)

func (r Reason) String() string {
	if r.Assignee {
		return assigneeDetail
	}
	return purposePrefix + r.Purpose
}

// The ways a reader may fail to give a reason.
var (
	ErrPurposeMissing = errors.New("sealed: a purpose is needed to open a record assigned to someone else")
	ErrPurposeUnknown = errors.New("sealed: the purpose is not in the register's list")
)

// ReasonFor is the rule of opening a record: its assignee needs no reason;
// anyone else gives a purpose that valid accepts, or gets
// ErrPurposeMissing or ErrPurposeUnknown, which the register turns into
// its own messages.
func ReasonFor(assignee bool, purpose string, valid func(string) bool) (Reason, error) {
	switch {
	case assignee:
		return Reason{Assignee: true}, nil
	case purpose == "":
		return Reason{}, ErrPurposeMissing
	case !valid(purpose):
		return Reason{}, ErrPurposeUnknown
	}
	return Reason{Purpose: purpose}, nil
}

// ParseReason reads the Reason back from the Detail of an opened record;
// ok is false for any other detail (a change, a list).
func ParseReason(detail string) (r Reason, ok bool) {
	if p, found := strings.CutPrefix(detail, purposePrefix); found {
		p, _, _ = strings.Cut(p, ";")
		return Reason{Purpose: p}, true
	}
	if strings.HasPrefix(detail, assigneeDetail) {
		return Reason{Assignee: true}, true
	}
	return Reason{}, false
}
