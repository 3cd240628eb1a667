package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// The Serve pane's try-it row as a picture, for image data (digits 8×8,
// 28×28 images): the row it sends, drawn with the gallery's half blocks.

// tryImage is the row the form would send as an image, in at most rows
// lines; nil when the data is not images, the row does not parse or there
// is no room.
func (p *servePane) tryImage(rows int) []string {
	s := p.formFor
	if s == nil || p.form == nil {
		return nil
	}
	side := sideOf(len(s.Data.Features), s.IsClassification())
	if side == 0 || (side+1)/2 > rows {
		return nil
	}
	row, err := p.row()
	if err != nil || len(row) != side*side {
		return nil
	}
	return halfBlocks(imagePixels(row, side), side, p.st.Colour)
}

// imageWidth is the columns an image and its gap take beside text.
func imageWidth(img []string) int {
	if len(img) == 0 {
		return 0
	}
	return lipgloss.Width(img[0]) + 2
}

// besideImage puts the last lines (the try-it heading, form and answer)
// to the right of img, which sets the block's height.
func besideImage(lines, img []string) []string {
	if len(img) == 0 {
		return lines
	}
	k := max(len(lines)-3, 0) // the try-it heading, the form and the answer
	text := strings.Join(lines[k+1:], "\n")
	block := hjoin(strings.Join(img, "\n"), "  ", text)
	return append(lines[:k+1:k+1], strings.Split(block, "\n")...)
}
