package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress shows a long job's advance: a redrawn bar on a terminal, a plain
// line every few seconds otherwise (logs, CI).
type progress struct {
	w       io.Writer
	tty     bool
	start   time.Time
	last    time.Time
	drawn   bool
	now     func() time.Time
	every   time.Duration
	lastLen int
	// label and unit name the job in the lines ("import", "articles").
	label, unit string
}

func newProgress(w io.Writer, tty bool, start time.Time) *progress {
	p := &progress{w: w, tty: tty, start: start, last: start, now: time.Now, every: 5 * time.Second,
		label: "import", unit: "articles"}
	if tty {
		p.every = 100 * time.Millisecond
	}
	return p
}

func (p *progress) update(done, total int64, items, bad int) {
	now := p.now()
	if now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start).Seconds()
	rate := float64(items) / max(elapsed, 1e-9)
	frac := 0.0
	if total > 0 {
		frac = min(1, float64(done)/float64(total))
	}
	eta := ""
	if frac > 0 && frac < 1 {
		eta = fmt.Sprintf(" · ETA %s", time.Duration(elapsed*(1-frac)/frac*float64(time.Second)).Round(time.Second))
	}
	if !p.tty {
		fmt.Fprintf(p.w, "%s: %d %s (%.0f%%), %.0f/s, %d bad%s\n", p.label, items, p.unit, frac*100, rate, bad, eta)
		return
	}
	const width = 24
	fill := int(frac * width)
	line := fmt.Sprintf("%3.0f%% [%s%s] %d %s · %.0f/s · %d bad%s",
		frac*100, strings.Repeat("#", fill), strings.Repeat(".", width-fill), items, p.unit, rate, bad, eta)
	pad := max(0, p.lastLen-len(line))
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.lastLen = len(line)
	p.drawn = true
}

// println prints a message above the bar.
func (p *progress) println(msg string) {
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.lastLen))
	}
	fmt.Fprintln(p.w, msg)
	p.drawn = false
}

func (p *progress) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
