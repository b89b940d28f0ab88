package trygg

import "slices"

// Code is a stored code with its Swedish label: the closed lists of the
// register, the operations and the KAST log are lists of Codes.
type Code struct {
	Code  string
	Label string
}

// CodeLabel returns the label of code in codes, or code itself.
func CodeLabel(codes []Code, code string) string {
	for _, c := range codes {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// HasCode reports whether code is in codes.
func HasCode(codes []Code, code string) bool {
	return slices.ContainsFunc(codes, func(c Code) bool { return c.Code == code })
}
