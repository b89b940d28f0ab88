package app

import "github.com/trygg-est/trygg/arsplan"

// Arsplan returns the services that package arsplan drafts the yearly
// lägesbild and åtgärdsplan from and stores it through.
func (s Services) Arsplan() arsplan.Sources {
	return arsplan.Sources{Indicators: s.Indicators, Yearly: s.Yearly, Counts: s.Counts, Areas: s.Areas, Categories: s.Categories,
		Actions: s.Actions, Commitments: s.Commitments, Ads: s.Ads}
}
