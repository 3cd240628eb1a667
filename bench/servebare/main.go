// Command servebare is the ceiling bench/serve.sh measures workbench serve
// against: a bare net/http handler that reads the body and writes a fixed
// answer, with no JSON decoding, model, validation, metrics or logging.
// It is not part of the product.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

func main() {
	addr := "127.0.0.1:0"
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	answer := []byte(`{"predictions":[[0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1]]}` + "\n")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "servebare:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(answer)
	}))
	fmt.Fprintln(os.Stderr, "servebare:", err)
	os.Exit(1)
}
