package typeset

import "github.com/ancisicilia/coopera/cmd/coopera/internal/linebreak"

// Stats measures the typesetting quality of a document, for tests and
// `make bench`: how far justified lines miss the margin, how wide the
// inter-word spaces get, and how often lines end hyphenated.
type Stats struct {
	Pages          int
	Lines          int     // all set lines
	JustifiedLines int     // lines set flush to both margins
	MaxEdgeError   float64 // largest |right edge - margin| of a justified line, in points
	MaxSpaceRatio  float64 // widest inter-word space / natural space, over justified lines but those of LooseBeforeAddress
	// LooseBeforeAddress counts the justified lines looser than the
	// tolerance allows because the next line starts with an address, which
	// is never broken when shorter than half the line; MaxAddressSpaceRatio
	// is their widest space.
	LooseBeforeAddress   int
	MaxAddressSpaceRatio float64
	MinSpaceRatio        float64 // narrowest, likewise
	sumSpaceRatio        float64
	spaces               int
	HyphenatedLines      int
	MaxHyphenRun         int // most consecutive hyphenated lines in one paragraph
	OverfullLines        int // lines wider than the measure (a word longer than a line)
	MaxOverfull          float64
	RaggedSingleWord     int // one-word lines set ragged instead of stretched
}

// tolerableSpace is the widest space, over the natural one, that the line
// breaker's tolerance (200, a stretch ratio of 1.26 of half a space) allows.
const tolerableSpace = 1.63

// MeanSpaceRatio is the mean inter-word space over the natural one.
func (s *Stats) MeanSpaceRatio() float64 {
	if s.spaces == 0 {
		return 1
	}
	return s.sumSpaceRatio / float64(s.spaces)
}

// Merge adds another document's figures.
func (s *Stats) Merge(o Stats) {
	s.Pages += o.Pages
	s.Lines += o.Lines
	s.JustifiedLines += o.JustifiedLines
	s.MaxEdgeError = max(s.MaxEdgeError, o.MaxEdgeError)
	s.MaxSpaceRatio = max(s.MaxSpaceRatio, o.MaxSpaceRatio)
	s.LooseBeforeAddress += o.LooseBeforeAddress
	s.MaxAddressSpaceRatio = max(s.MaxAddressSpaceRatio, o.MaxAddressSpaceRatio)
	if s.MinSpaceRatio == 0 || (o.MinSpaceRatio > 0 && o.MinSpaceRatio < s.MinSpaceRatio) {
		s.MinSpaceRatio = o.MinSpaceRatio
	}
	s.sumSpaceRatio += o.sumSpaceRatio
	s.spaces += o.spaces
	s.HyphenatedLines += o.HyphenatedLines
	s.MaxHyphenRun = max(s.MaxHyphenRun, o.MaxHyphenRun)
	s.OverfullLines += o.OverfullLines
	s.MaxOverfull = max(s.MaxOverfull, o.MaxOverfull)
	s.RaggedSingleWord += o.RaggedSingleWord
}

// add records the lines of one paragraph set at the given measure.
func (s *Stats) add(lines []line, measure float64, st *setter) {
	run := 0
	for _, ln := range lines {
		s.Lines++
		if ln.width > measure+0.01 {
			s.OverfullLines++
			s.MaxOverfull = max(s.MaxOverfull, ln.width-measure)
		}
		if ln.hyphenated {
			s.HyphenatedLines++
			run++
			s.MaxHyphenRun = max(s.MaxHyphenRun, run)
		} else {
			run = 0
		}
		if !ln.justified {
			if len(ln.frags) == 1 && ln.width < measure*0.7 {
				s.RaggedSingleWord++
			}
			continue
		}
		s.JustifiedLines++
		last := ln.frags[len(ln.frags)-1]
		edge := last.x + last.w
		if d := abs(edge - measure); d > s.MaxEdgeError {
			s.MaxEdgeError = d
		}
		widest := 0.0
		for _, g := range ln.spaces {
			if g.natural > 0 {
				widest = max(widest, g.set/g.natural)
			}
		}
		if ln.beforeAddress && widest > tolerableSpace {
			s.LooseBeforeAddress++
			s.MaxAddressSpaceRatio = max(s.MaxAddressSpaceRatio, widest)
			continue
		}
		for _, g := range ln.spaces {
			if g.natural <= 0 {
				continue
			}
			r := g.set / g.natural
			s.MaxSpaceRatio = max(s.MaxSpaceRatio, r)
			if s.MinSpaceRatio == 0 || r < s.MinSpaceRatio {
				s.MinSpaceRatio = r
			}
			s.sumSpaceRatio += r
			s.spaces++
		}
	}
	_ = linebreak.Infinity
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
