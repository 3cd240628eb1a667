package datasets

import "math"

// Dates in a table become numbers: days since 1970-01-01 (UTC; a time of
// day is the fraction, an offset is taken back to UTC) and the day of the
// week. The forms read are those real files use, and only those, so that
// a column of codes never passes for dates:
//
//	2003-09-19, 2003-09-19T10:00, 2003-09-19 10:00:00, 2003-09-19T10:00:00.5Z,
//	2003-09-19T10:00+02:00   ISO 8601 (a time of day needs hours and minutes)
//	19-Sep-03, 19-Sep-2003     day, English month abbreviation, year
//	9/19/2003, 9/19/2003 10:00 month/day/year, as US spreadsheets write it
//
// A two-digit year is 1969–2068, as C's strptime and Go's time read %y.
// No form allocates: parseDate takes a string or a CSV field's bytes.

// DateForms lists the date forms a table reads, for messages and docs.
const DateForms = "2003-09-19, 2003-09-19T10:00[:00][Z|+02:00], 2003-09-19 10:00, 19-Sep-03, 9/19/2003"

var monthAbbrev = [12]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// parseDate reads one trimmed cell as a date; ok is false when it is not
// in one of the forms above or names a day that does not exist.
func parseDate[T string | []byte](s T) (days float64, ok bool) {
	if len(s) < 6 || len(s) > 40 {
		return 0, false
	}
	if len(s) >= 10 && s[4] == '-' && isDigits(s, 0, 4) {
		return parseISO(s)
	}
	// d-Mon-yy and m/d/yyyy both start with one or two digits.
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 2 || i >= len(s) {
		return 0, false
	}
	first := num(s, 0, i)
	switch s[i] {
	case '-':
		// d-Mon-yy(yy)
		if len(s) != i+1+3+1+2 && len(s) != i+1+3+1+4 || s[i+4] != '-' {
			return 0, false
		}
		m := -1
		for k, name := range monthAbbrev {
			if lower(s[i+1]) == name[0] && lower(s[i+2]) == name[1] && lower(s[i+3]) == name[2] {
				m = k + 1
			}
		}
		ys := i + 5
		if m < 0 || !isDigits(s, ys, len(s)) {
			return 0, false
		}
		y := num(s, ys, len(s))
		if len(s)-ys == 2 {
			y = pivotYear(y)
		}
		return civilDays(y, m, first, 0)
	case '/':
		// m/d/yyyy[ hh:mm[:ss]]
		j := i + 1
		k := j
		for k < len(s) && k-j < 3 && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == j || k-j > 2 || k+5 > len(s) || s[k] != '/' || !isDigits(s, k+1, k+5) {
			return 0, false
		}
		d, y := num(s, j, k), num(s, k+1, k+5)
		frac := 0.0
		if rest := k + 5; rest < len(s) {
			if s[rest] != ' ' {
				return 0, false
			}
			var tok bool
			if frac, tok = parseClock(s, rest+1); !tok {
				return 0, false
			}
		}
		return civilDays(y, first, d, frac)
	}
	return 0, false
}

// parseISO reads YYYY-MM-DD with an optional time and zone.
func parseISO[T string | []byte](s T) (float64, bool) {
	if s[7] != '-' || !isDigits(s, 5, 7) || !isDigits(s, 8, 10) {
		return 0, false
	}
	y, m, d := num(s, 0, 4), num(s, 5, 7), num(s, 8, 10)
	if len(s) == 10 {
		return civilDays(y, m, d, 0)
	}
	if s[10] != 'T' && s[10] != ' ' {
		return 0, false
	}
	// The zone, if any, starts at a 'Z' or at a sign after the clock.
	end, offset := len(s), 0.0
	if s[end-1] == 'Z' {
		end--
	} else if n := len(s); n >= 16+6 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':' && isDigits(s, n-5, n-3) && isDigits(s, n-2, n) {
		offset = float64(num(s, n-5, n-3)*60 + num(s, n-2, n))
		if s[n-6] == '-' {
			offset = -offset
		}
		end = n - 6
	}
	frac, ok := parseClock(s[:end], 11)
	if !ok {
		return 0, false
	}
	return civilDays(y, m, d, frac-offset/(24*60))
}

// parseClock reads hh:mm[:ss[.fff]] from s[i:] to its end as a fraction
// of a day.
func parseClock[T string | []byte](s T, i int) (float64, bool) {
	if len(s) < i+5 || s[i+2] != ':' || !isDigits(s, i, i+2) || !isDigits(s, i+3, i+5) {
		return 0, false
	}
	h, mi := num(s, i, i+2), num(s, i+3, i+5)
	sec := 0.0
	if j := i + 5; j < len(s) {
		if s[j] != ':' || len(s) < j+3 || !isDigits(s, j+1, j+3) {
			return 0, false
		}
		sec = float64(num(s, j+1, j+3))
		if k := j + 3; k < len(s) {
			if s[k] != '.' || k+1 == len(s) || !isDigits(s, k+1, len(s)) || len(s)-k-1 > 9 {
				return 0, false
			}
			sec += float64(num(s, k+1, len(s))) / math.Pow10(len(s)-k-1)
		}
		if sec >= 61 {
			return 0, false
		}
	}
	if h > 23 || mi > 59 {
		return 0, false
	}
	return (float64(h*3600+mi*60) + sec) / 86400, true
}

// civilDays is days since 1970-01-01 for a proleptic Gregorian date, or
// false for a day that does not exist (Howard Hinnant's days_from_civil).
func civilDays(y, m, d int, frac float64) (float64, bool) {
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || y < 1 || y > 9999 {
		return 0, false
	}
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= 0 here
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return float64(era*146097+doe-719468) + frac, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Weekday of a day number, Monday = 0 (1970-01-01 was a Thursday).
func weekday(days float64) int {
	w := int(math.Mod(math.Floor(days)+3, 7))
	if w < 0 {
		w += 7
	}
	return w
}

var weekdayNames = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

func pivotYear(yy int) int {
	if yy >= 69 {
		return 1900 + yy
	}
	return 2000 + yy
}

func isDigits[T string | []byte](s T, from, to int) bool {
	if to > len(s) || from >= to {
		return false
	}
	for i := from; i < to; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func num[T string | []byte](s T, from, to int) int {
	n := 0
	for i := from; i < to; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
