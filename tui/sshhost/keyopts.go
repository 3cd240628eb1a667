package sshhost

import (
	"fmt"
	"net"
	"path"
	"strings"
)

// keyOptions are the authorized_keys options of one key that the host
// honours. A key with any other option is refused (and the reason logged):
// ignoring a restriction such as command="..." would grant more than its
// line says.
type keyOptions struct {
	from  []string // from="pattern-list": the client's address must match
	noPTY bool     // no-pty (or restrict): no terminal, so no workbench program
	// comment is the line's comment (alice@laptop): who the key is, as the
	// host's admin wrote it, shown in the header instead of the login name.
	comment string
}

// noOps are options about features this host never offers (forwarding,
// X11, user rc files): honoured by construction.
var noOps = map[string]bool{
	"no-port-forwarding": true, "no-agent-forwarding": true,
	"no-x11-forwarding": true, "no-user-rc": true,
}

// parseKeyOptions reads the options ParseAuthorizedKey returned.
func parseKeyOptions(opts []string) (keyOptions, error) {
	var ko keyOptions
	for _, o := range opts {
		name, value, hasValue := strings.Cut(o, "=")
		switch lname := strings.ToLower(name); {
		case lname == "from" && hasValue:
			list := strings.Trim(value, `"`)
			if list == "" {
				return ko, fmt.Errorf("option from= has no pattern")
			}
			ko.from = append(ko.from, strings.Split(list, ",")...)
		case lname == "no-pty" && !hasValue:
			ko.noPTY = true
		case lname == "restrict" && !hasValue:
			ko.noPTY = true // everything else it forbids is never offered
		case noOps[lname] && !hasValue:
		default:
			return ko, fmt.Errorf("option %s is not supported by workbench ssh (supported: from=, no-pty, restrict, no-port-forwarding, no-agent-forwarding, no-X11-forwarding, no-user-rc); the key is refused", name)
		}
	}
	return ko, nil
}

// allowsFrom reports whether addr (the client's address) matches the key's
// from= patterns as OpenSSH reads them: a negated pattern (!) that matches
// refuses, else any positive match admits. Patterns are IP wildcards (*, ?)
// or CIDR blocks; host names are not looked up, so they match only an
// address written the same way.
func (ko keyOptions) allowsFrom(addr net.Addr) bool {
	if len(ko.from) == 0 {
		return true
	}
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	matched := false
	for _, p := range ko.from {
		p = strings.TrimSpace(p)
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		if !matchHost(p, host, ip) {
			continue
		}
		if neg {
			return false
		}
		matched = true
	}
	return matched
}

func matchHost(pattern, host string, ip net.IP) bool {
	if strings.Contains(pattern, "/") {
		_, block, err := net.ParseCIDR(pattern)
		return err == nil && ip != nil && block.Contains(ip)
	}
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(host))
	return err == nil && ok
}
