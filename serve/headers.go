package serve

import (
	"net/http"
	"strings"
)

// header is r.Header.Get for a key already in canonical form, without
// Get's canonicalising pass (1% of a 1-row request's instructions;
// net/http stores the request's keys canonical).
func header(r *http.Request, key string) string {
	if v := r.Header[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// checkContentType accepts JSON and, when no type or curl's default form
// type is sent, treats the body as JSON too: `curl -d '{...}'` sends
// application/x-www-form-urlencoded, and refusing it would break the
// simplest example for no safety gain (the body must still be valid JSON).
func checkContentType(ct string) error {
	if ct == "" {
		return nil
	}
	mt := ct
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.TrimSpace(mt)
	if strings.EqualFold(mt, "application/json") || strings.EqualFold(mt, "application/x-www-form-urlencoded") ||
		(len(mt) > 5 && strings.EqualFold(mt[len(mt)-5:], "+json")) {
		return nil
	}
	return errorf(http.StatusUnsupportedMediaType, "Content-Type %q is not supported; send JSON with 'Content-Type: application/json'", ct)
}
