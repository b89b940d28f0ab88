package app

import "github.com/trygg-est/trygg/weekly"

// Weekly returns the services that package weekly makes and publishes
// weekly reports from.
func (s Services) Weekly() weekly.Sources {
	return weekly.Sources{Counts: s.Counts, Areas: s.Areas, Categories: s.Categories,
		Meetings: s.Meetings, Actions: s.Actions, Reports: s.WeeklyReports}
}
