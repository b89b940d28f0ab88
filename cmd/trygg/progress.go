package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// progressBar draws one line on a terminal, redrawn in place:
//
//	[██████████░░░░░░░░░░░░░░░░░░░░]  34 %  12,3 / 36,0 MB  98 400 rader/s
//
// It redraws at most every redrawInterval so that drawing never slows the
// work it reports on.
type progressBar struct {
	w          io.Writer
	total      int64 // bytes; 0 when unknown
	now        trygg.Clock
	start      time.Time
	lastDrawn  time.Time
	lastLength int
}

const (
	redrawInterval = 100 * time.Millisecond
	barWidth       = 30
)

func newProgressBar(w io.Writer, total int64, now trygg.Clock) *progressBar {
	t := now()
	return &progressBar{w: w, total: total, now: now, start: t}
}

// update redraws the bar if it is time to.
func (p *progressBar) update(done int64, rows int) {
	t := p.now()
	if t.Sub(p.lastDrawn) < redrawInterval {
		return
	}
	p.lastDrawn = t
	p.draw(done, rows, t)
}

// finish draws the final state and ends the line.
func (p *progressBar) finish(done int64, rows int) {
	p.draw(done, rows, p.now())
	fmt.Fprintln(p.w)
}

func (p *progressBar) draw(done int64, rows int, t time.Time) {
	frac := 1.0
	if p.total > 0 {
		frac = min(float64(done)/float64(p.total), 1)
	}
	filled := int(frac * barWidth)
	rate := 0.0
	if elapsed := t.Sub(p.start).Seconds(); elapsed > 0 {
		rate = float64(rows) / elapsed
	}
	line := fmt.Sprintf("[%s%s] %3d %%  %s / %s MB  %s rader/s",
		strings.Repeat("█", filled), strings.Repeat("░", barWidth-filled),
		int(frac*100), megabytes(done), megabytes(p.total), groupThousands(int64(rate)))
	// Pad with spaces so that a shorter line covers the end of a longer one.
	pad := max(p.lastLength-len(line), 0)
	p.lastLength = len(line)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
}

// megabytes formats a byte count in MB with one decimal and a Swedish
// decimal comma.
func megabytes(n int64) string {
	return strings.Replace(fmt.Sprintf("%.1f", float64(n)/1e6), ".", ",", 1)
}

// groupThousands writes a count with a space between groups of three
// digits, as Swedish does.
func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(d)
	}
	return b.String()
}
