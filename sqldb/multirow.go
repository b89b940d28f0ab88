package sqldb

import (
	"context"
	"strings"
)

// writeRows runs head + " VALUES (…), (…) " + tail for n rows of width
// values each, with as many rows a statement as multiRowShape says: one
// prepared statement for the full batches and one more for the rest.
// appendArgs appends the values of rows [from, to) to dst.
func writeRows(ctx context.Context, tx *Tx, head, tail string, width, n int, appendArgs func(dst []any, from, to int) []any) error {
	per, anonymous := multiRowShape(tx.db.dialect)
	full := n - n%per
	if full > 0 {
		stmt, err := tx.PrepareContext(ctx, multiRowSQL(head, tail, width, per, anonymous))
		if err != nil {
			return err
		}
		defer stmt.Close()
		args := make([]any, 0, per*width)
		for start := 0; start < full; start += per {
			args = appendArgs(args[:0], start, start+per)
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return translate(err)
			}
		}
	}
	if full < n {
		_, err := tx.ExecContext(ctx, multiRowSQL(head, tail, width, n-full, anonymous), appendArgs(nil, full, n)...)
		return translate(err)
	}
	return nil
}

// multiRowSQL is head + " VALUES " + n rows of width parameters + tail,
// with anonymous "?" parameters or numbered "$N" ones.
func multiRowSQL(head, tail string, width, n int, anonymous bool) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	var b strings.Builder
	b.WriteString(head + " VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if !anonymous {
			row = "(" + placeholders(i*width+1, width) + ")"
		}
		b.WriteString(row)
	}
	b.WriteString(tail)
	return b.String()
}
