package sqldb

import (
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	r := &trygg.Report{ID: 42, OccurredAt: time.Date(2024, 12, 31, 23, 59, 59, 123e6, time.UTC)}
	occurred, id, err := decodeCursor(encodeCursor(r))
	if err != nil || occurred != r.OccurredAt.UnixMilli() || id != 42 {
		t.Fatalf("decoded %d, %d, %v", occurred, id, err)
	}
}

// FuzzDecodeCursor feeds cursors from outside (URLs, API calls) to the
// decoder: it must never panic, must refuse with EINVALID naming the
// cursor, and anything it accepts must encode back to an equal cursor.
func FuzzDecodeCursor(f *testing.F) {
	f.Fuzz(func(t *testing.T, cursor string) {
		occurred, id, err := decodeCursor(cursor)
		if err != nil {
			if fields := trygg.ErrorFields(err); trygg.ErrorCode(err) != trygg.EINVALID || len(fields) != 1 || fields[0].Field != "cursor" {
				t.Fatalf("error %v", err)
			}
			return
		}
		again, id2, err := decodeCursor(encodeCursor(&trygg.Report{ID: id, OccurredAt: time.UnixMilli(occurred)}))
		if err != nil || again != occurred || id2 != id {
			t.Fatalf("%q decoded to %d:%d but re-encodes to %d:%d (%v)", cursor, occurred, id, again, id2, err)
		}
	})
}
