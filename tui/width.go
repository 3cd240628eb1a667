package tui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// cellWidth is ansi.StringWidth with a fast path for what this UI draws
// (ASCII, box drawing, blocks, braille, arrows and shapes, all one cell):
// grapheme segmentation of every chart line cost more than drawing it.
// Anything else (wide or combining characters from user data) takes the
// exact path.
func cellWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b { // skip an escape sequence
			i++
			if i < len(s) && s[i] == '[' {
				i++
				for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
					i++
				}
				i++
				continue
			}
			return ansi.StringWidth(s)
		}
		if c < utf8.RuneSelf {
			i++
			if c >= 0x20 {
				n++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrow(r) {
			return ansi.StringWidth(s)
		}
		n++
		i += size
	}
	return n
}

func narrow(r rune) bool {
	switch {
	case r >= 0xA0 && r < 0x300: // Latin-1 and extended Latin
		return true
	case r >= 0x370 && r < 0x1100: // Greek, Cyrillic and other narrow scripts
		return r < 0x483 || r > 0x489
	case r >= 0x2010 && r <= 0x2027: // dashes, quotes, …
		return true
	case r >= 0x2070 && r <= 0x20CF: // super/subscripts, currency
		return true
	case r >= 0x2190 && r <= 0x21FF: // arrows
		return true
	case r >= 0x2500 && r <= 0x25FF: // box drawing, blocks, shapes
		return true
	case r >= 0x2800 && r <= 0x28FF: // braille
		return true
	case r == 0x2605 || r == 0x271A || r == 0x2731 || r == 0x2713 || r == 0x2717 || r == 0x25C9 || r == 0x2022 || r == 0xB7:
		return true
	}
	return false
}

// inline is a style reduced to its escape prefix and suffix, so runs of
// chart cells are wrapped without lipgloss measuring them again. Only for
// styles without size, padding, margins or borders.
type inline struct{ pre, post string }

func inlineOf(s lipgloss.Style) inline {
	const mark = "\x01"
	r := s.Render(mark)
	i := strings.Index(r, mark)
	if i < 0 {
		return inline{}
	}
	return inline{pre: r[:i], post: r[i+len(mark):]}
}

func (in inline) wrap(b *strings.Builder, s string) {
	b.WriteString(in.pre)
	b.WriteString(s)
	b.WriteString(in.post)
}
