package datasets

import (
	"math"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	day := func(y int, m time.Month, d, h, mi, s int) float64 {
		return float64(time.Date(y, m, d, h, mi, s, 0, time.UTC).Unix()) / 86400
	}
	good := []struct {
		in   string
		want float64
	}{
		{"2003-09-19", day(2003, 9, 19, 0, 0, 0)},
		{"1970-01-01", 0},
		{"1969-12-31", -1},
		{"2000-02-29", day(2000, 2, 29, 0, 0, 0)},
		{"2003-09-19 10:00", day(2003, 9, 19, 10, 0, 0)},
		{"2003-09-19T10:00", day(2003, 9, 19, 10, 0, 0)},
		{"2003-09-19T10:00:30", day(2003, 9, 19, 10, 0, 30)},
		{"2003-09-19T10:00:30.5Z", day(2003, 9, 19, 10, 0, 30) + 0.5/86400},
		{"2003-09-19T10:00:00+02:00", day(2003, 9, 19, 8, 0, 0)},
		{"2003-09-19T23:30:00-01:00", day(2003, 9, 20, 0, 30, 0)},
		{"19-Sep-03", day(2003, 9, 19, 0, 0, 0)},
		{"1-sep-1999", day(1999, 9, 1, 0, 0, 0)},
		{"19-SEP-69", day(1969, 9, 19, 0, 0, 0)},
		{"19-Sep-68", day(2068, 9, 19, 0, 0, 0)},
		{"9/19/2003", day(2003, 9, 19, 0, 0, 0)},
		{"12/1/2003", day(2003, 12, 1, 0, 0, 0)},
		{"09/19/2003 10:00", day(2003, 9, 19, 10, 0, 0)},
	}
	for _, g := range good {
		got, ok := parseDate(g.in)
		if !ok || math.Abs(got-g.want) > 1e-9 {
			t.Errorf("parseDate(%q) = %v, %v; want %v", g.in, got, ok, g.want)
		}
		if gb, okb := parseDate([]byte(g.in)); gb != got || okb != ok {
			t.Errorf("parseDate bytes(%q) = %v, string %v", g.in, gb, got)
		}
	}
	for _, bad := range []string{
		"", "2003", "20030919", "2003-9-19", "2003-13-01", "2003-02-29", "2003-09-31", "2003-09-19T25:00",
		"2003-09-19T10", "2003-09-19X10:00", "19-Sept-03", "19-Foo-03", "19/9/2003", "13/1/2003", "9/19/03",
		"9/19/2003T10:00", "1.5", "abc-def-gh", "2003-09-19T10:00:00+0200x", "0000-01-01",
	} {
		if v, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want refused", bad, v)
		}
	}
}

func TestWeekday(t *testing.T) {
	for _, c := range []struct {
		date string
		want string
	}{{"1970-01-01", "Thu"}, {"2003-09-19", "Fri"}, {"1969-12-29", "Mon"}, {"2026-12-06 23:59", "Sun"}} {
		d, ok := parseDate(c.date)
		if !ok || weekdayNames[weekday(d)] != c.want {
			t.Errorf("%s: weekday %s, want %s", c.date, weekdayNames[weekday(d)], c.want)
		}
	}
}
