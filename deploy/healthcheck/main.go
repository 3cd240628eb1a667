// Command healthcheck asks a URL and exits 0 if it answers 200 OK, 1
// otherwise. The serve image is distroless (no shell, no curl), so its
// Docker HEALTHCHECK runs this static binary instead:
//
//	healthcheck [URL]   (default http://127.0.0.1:8080/v2/health/ready)
//
// It imports no package of the project.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

const defaultURL = "http://127.0.0.1:8080/v2/health/ready"

func main() {
	os.Exit(check(os.Args[1:], os.Stderr))
}

func check(args []string, stderr io.Writer) int {
	url := defaultURL
	switch len(args) {
	case 0:
	case 1:
		url = args[0]
	default:
		fmt.Fprintln(stderr, "usage: healthcheck [URL]")
		return 2
	}
	// Below Docker's --timeout, so a hung server is reported, not killed.
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "healthcheck: %s answered %s\n", url, resp.Status)
		return 1
	}
	return 0
}
