package indikator

import "github.com/trygg-est/trygg"

func hasField(err error, field string) bool {
	for _, f := range trygg.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
