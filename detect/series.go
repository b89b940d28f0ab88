package detect

// Series is a weekly count series: Counts[i] is the count of week
// FirstWeek+i. The weeks are consecutive, so a week without events is a 0,
// never a gap.
type Series struct {
	FirstWeek int
	Counts    []int
}
