package serve

import (
	"errors"
	"fmt"
	"net"
	"net/http"
)

// apiError is an error a client caused, with the status that says so.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, format, args...)
}

// asAPIError maps any error from reading or decoding a request to its status:
// a body over the limit is 413, a body too slow to arrive 408, malformed
// JSON 400.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errorf(http.StatusRequestEntityTooLarge, "request body is over the limit of %d bytes (--max-body)", mbe.Limit)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errorf(http.StatusRequestTimeout, "the request body did not arrive in time (the server reads a request within %s); send it faster or in smaller requests", readTimeout)
	}
	var se *syntaxError
	if errors.As(err, &se) {
		return badRequest("%s", se.Error())
	}
	return badRequest("could not read the request body: %v", err)
}
