// Package pii finds personal data in free text: Swedish personal identity
// and coordination numbers, phone numbers and e-mail addresses.
package pii

// Kind is the kind of personal data found.
type Kind int

const (
	Personnummer Kind = iota + 1
	Samordningsnummer
	Phone
	Email
)

// Label returns a Swedish phrase for the kind, for use in a sentence:
// "Beskrivningen verkar innehålla <label>".
func (k Kind) Label() string {
	switch k {
	case Personnummer:
		return "ett personnummer"
	case Samordningsnummer:
		return "ett samordningsnummer"
	case Phone:
		return "ett telefonnummer"
	case Email:
		return "en e-postadress"
	}
	return "personuppgifter"
}

// Finding is one piece of personal data in a text.
type Finding struct {
	Kind       Kind
	Start, End int // byte offsets in the text
}

// Find returns the first personal data in text, or nil.
func Find(text string) *Finding {
	return nil // TODO(helper): implement
}
