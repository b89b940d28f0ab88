package sspf

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// Share is one piece of information a member shared with the team.
type Share struct {
	ID       int64
	Info     string
	Text     string // sealed in the store
	FromPart string
	ByID     int64
	ByName   string
	At       time.Time
	// ConsentID is the consent the share relied on; 0 when it relied on
	// Ground.
	ConsentID int64
	Ground    string // a LegalGround code
	// Hidden is set on a share shown to a member outside social services
	// after the consent it relied on was withdrawn: the entry is listed,
	// its text is not.
	Hidden bool
}

// ShareInput is what a member shares.
type ShareInput struct {
	Info   string
	Text   string
	Ground string // "" to share on consent
}

// MaxShareText is the longest shared text, in characters.
const MaxShareText = 2000

// Validate checks a share's fields (not yet whether it may be shared:
// that is Allow). grounds is the configured list of legal grounds.
func (in *ShareInput) Validate(grounds []trygg.Code) error {
	var v trygg.Validation
	in.Text = strings.TrimSpace(in.Text)
	if !trygg.HasCode(InfoTypes, in.Info) {
		v.Add("info", "Välj vilken sorts uppgift du delar.")
	}
	trygg.CheckText(&v, "text", in.Text, MaxShareText, "Skriv uppgiften du delar.")
	if in.Ground != "" && !trygg.HasCode(grounds, in.Ground) {
		v.Add("ground", "Välj en rättslig grund i listan.")
	}
	return v.Err()
}

// LegalGround is a named legal ground on which information may be shared
// without consent. The operator configures the list (ParseLegalGrounds);
// Link, when set, is where the page sends the member next, such as to
// register a report of concern.
type LegalGround struct {
	trygg.Code
	Link string
}

// GroundConcern is the default ground of the duty to report a concern
// about a child; sharing on it links to the register of reports of
// concern.
const GroundConcern = "anmalningsskyldighet"

// DefaultLegalGrounds are the grounds used when the operator configures
// none. They name duties, not paragraphs: the operator checks and names
// the provisions in force (docs/sspf.md).
var DefaultLegalGrounds = []LegalGround{
	{Code: trygg.Code{Code: GroundConcern, Label: "Anmälningsskyldighet vid oro för att ett barn far illa (socialtjänstlagen)"}, Link: "/orosanmalningar/ny"},
	{Code: trygg.Code{Code: "uppgiftsskyldighet_polis", Label: "Uppgiftsskyldighet till polisen vid misstanke om allvarligt brott (offentlighets- och sekretesslagen)"}},
}

// ParseLegalGrounds reads the operator's list of legal grounds, one per
// line or separated by ";": "code=Label" or "code=Label|/link". Codes are
// lower-case ASCII slugs. An empty s gives DefaultLegalGrounds.
func ParseLegalGrounds(s string) ([]LegalGround, error) {
	if strings.TrimSpace(s) == "" {
		return slices.Clone(DefaultLegalGrounds), nil
	}
	var out []LegalGround
	for part := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, rest, ok := strings.Cut(part, "=")
		code, rest = strings.TrimSpace(code), strings.TrimSpace(rest)
		label, link, _ := strings.Cut(rest, "|")
		label, link = strings.TrimSpace(label), strings.TrimSpace(link)
		if !ok || !validSlug(code) || label == "" || len(label) > 300 || (link != "" && !strings.HasPrefix(link, "/")) ||
			slices.ContainsFunc(out, func(g LegalGround) bool { return g.Code.Code == code }) {
			return nil, trygg.Errorf(trygg.EINVALID, "Ogiltig rättslig grund %q: skriv kod=Benämning eller kod=Benämning|/länk, med en kod av små bokstäver a–z, siffror och understreck, var och en en gång.", part)
		}
		out = append(out, LegalGround{Code: trygg.Code{Code: code, Label: label}, Link: link})
	}
	if len(out) == 0 {
		return slices.Clone(DefaultLegalGrounds), nil
	}
	return out, nil
}

func validSlug(s string) bool {
	if s == "" || len(s) > 60 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// GroundCodes returns the grounds as codes, for validation and pages.
func GroundCodes(grounds []LegalGround) []trygg.Code {
	out := make([]trygg.Code, len(grounds))
	for i, g := range grounds {
		out[i] = g.Code
	}
	return out
}

// Decision is the answer of Allow.
type Decision struct {
	Allowed   bool
	ConsentID int64  // the consent the share relies on
	Ground    string // or the legal ground
	// Reason says, when not Allowed, what is missing: the consent, a
	// signature, or the scope for a receiving part.
	Reason string
}

// Allow decides whether a member of part from may share info with the
// team on day. A share on a legal ground from grounds is allowed as such.
// Otherwise every other part of the team (receivers) must be covered by
// one consent that is valid on day: given, not expired, not withdrawn, and
// signed by everyone Required on day. The refusal names what is missing.
func Allow(c *Case, receivers []string, info, ground string, grounds []trygg.Code, day trygg.Day) Decision {
	if ground != "" {
		if trygg.HasCode(grounds, ground) {
			return Decision{Allowed: true, Ground: ground}
		}
		return Decision{Reason: "Den rättsliga grunden finns inte i listan."}
	}
	birth := c.Birth()
	var best *Consent
	var bestMissing []ScopeItem
	incomplete := ""
	lastStatus := ConsentNone
	for _, k := range c.Consents {
		st := k.Status(c.Guardians, birth, day)
		lastStatus = st
		switch st {
		case ConsentIncomplete:
			incomplete = MissingText(k.Missing(c.Guardians, birth, day), birth)
			continue
		case ConsentValid:
		default:
			continue
		}
		var missing []ScopeItem
		for _, r := range receivers {
			if !k.Covers(r, info) {
				missing = append(missing, ScopeItem{Part: r, Info: info})
			}
		}
		if len(missing) == 0 {
			return Decision{Allowed: true, ConsentID: k.ID}
		}
		if best == nil || len(missing) < len(bestMissing) {
			best, bestMissing = k, missing
		}
	}
	switch {
	case best != nil:
		names := make([]string, len(bestMissing))
		for i, m := range bestMissing {
			names[i] = strings.ToLower(trygg.CodeLabel(Parts, m.Part))
		}
		return Decision{Reason: fmt.Sprintf("Samtycket omfattar inte %s till %s. Dela bara det samtycket omfattar, eller ange en rättslig grund.",
			strings.ToLower(trygg.CodeLabel(InfoTypes, info)), strings.Join(names, ", "))}
	case incomplete != "":
		return Decision{Reason: "Samtycket är ofullständigt: underskrift saknas från " + lowerFirst(incomplete) + "."}
	case lastStatus == ConsentWithdrawn:
		return Decision{Reason: "Samtycket har återkallats. Inget får delas utan nytt samtycke eller en rättslig grund."}
	case lastStatus == ConsentExpired:
		return Decision{Reason: "Samtycket har gått ut. Inhämta ett nytt samtycke."}
	}
	return Decision{Reason: "Det finns inget giltigt samtycke. Inget får delas utan samtycke eller en rättslig grund."}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Receivers are the parts of a team that receive what a member of part
// from shares: every part present in the team but the sharer's own.
func Receivers(team []Member, from string) []string {
	var out []string
	for _, p := range Parts {
		if p.Code != from && slices.ContainsFunc(team, func(m Member) bool { return m.Part == p.Code }) {
			out = append(out, p.Code)
		}
	}
	return out
}

// Visible reports whether a share's text is shown on day to a viewer of
// part viewer: social services always see it; others do not once the
// consent it relied on has been withdrawn.
func Visible(c *Case, s *Share, viewer string, day trygg.Day) bool {
	if viewer == PartSocial || s.ConsentID == 0 {
		return true
	}
	for _, k := range c.Consents {
		if k.ID == s.ConsentID {
			return k.WithdrawnOn == 0 || k.WithdrawnOn > day
		}
	}
	return false
}
