package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2/health/ready":
			w.WriteHeader(http.StatusOK)
		case "/loading":
			http.Error(w, "model loading", http.StatusServiceUnavailable)
		default:
			http.NotFound(w, r)
		}
	}))
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	defer srv.Close()
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"ready", []string{srv.URL + "/v2/health/ready"}, 0, ""},
		{"not ready", []string{srv.URL + "/loading"}, 1, "503 Service Unavailable"},
		{"wrong path", []string{srv.URL + "/nope"}, 1, "404"},
		{"nothing listening", []string{closedURL + "/v2/health/ready"}, 1, "connect"},
		{"bad url", []string{"::not a url"}, 1, "missing protocol scheme"},
		{"too many args", []string{"a", "b"}, 2, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := check(tc.args, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tc.code, tc.msg)
			}
		})
	}
}
