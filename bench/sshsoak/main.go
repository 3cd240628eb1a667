// Command sshsoak is the SSH half of the soak (bench/soak-ssh.sh): N users
// connect to a `workbench ssh` host with x/crypto/ssh clients, each in a PTY
// running the full TUI, and go round until the time is up: choose digits,
// train (every other round pausing and resuming the run), serve it, send
// predict requests to their own server, quit, and connect again. It reports
// rounds, trainings, requests and every failure, and samples the host's
// resident memory. It is not part of the product.
//
//	sshsoak authorized-keys -users 8 > keys      # the users' public keys
//	sshsoak -addr 127.0.0.1:PORT -users 8 -duration 90s -pid HOSTPID
//	sshsoak capacity -addr 127.0.0.1:PORT -users 4 -pid HOSTPID  # bench/capacity.sh
//
// The users' keys are derived from their number, so the two steps agree
// without key files. Loopback only: the host key is not checked.
package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "capacity" {
		os.Exit(capacityMain(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "authorized-keys" {
		fs := flag.NewFlagSet("authorized-keys", flag.ExitOnError)
		n := fs.Int("users", 8, "users")
		fs.Parse(os.Args[2:]) //nolint:errcheck // ExitOnError
		for i := range *n {
			os.Stdout.Write(ssh.MarshalAuthorizedKey(userKey(i).PublicKey()))
		}
		return
	}
	addr := flag.String("addr", "", "the host's 127.0.0.1:PORT")
	users := flag.Int("users", 8, "concurrent users")
	dur := flag.Duration("duration", 90*time.Second, "start no new round after this long")
	grace := flag.Duration("grace", 4*time.Minute, "then give the rounds under way this long to end")
	pid := flag.Int("pid", 0, "the host's process id, for its resident memory")
	flag.Parse()
	if !strings.HasPrefix(*addr, "127.0.0.1:") {
		fmt.Fprintln(os.Stderr, "sshsoak: -addr must be 127.0.0.1:PORT (loopback only)")
		os.Exit(2)
	}
	os.Exit(run(*addr, *users, *dur, *grace, *pid))
}

func userKey(i int) ssh.Signer {
	seed := sha256.Sum256([]byte("workbench-ssh-soak-user-" + strconv.Itoa(i)))
	s, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		panic(err)
	}
	return s
}

// tally is what every user did, summed.
type tally struct {
	rounds, trained, paused, served, requests atomic.Int64
	mu                                        sync.Mutex
	failures                                  []string
}

func (t *tally) fail(user int, format string, args ...any) {
	t.mu.Lock()
	t.failures = append(t.failures, fmt.Sprintf("user%d: ", user)+fmt.Sprintf(format, args...))
	t.mu.Unlock()
}

func run(addr string, users int, dur, grace time.Duration, pid int) int {
	var tl tally
	rss := newSampler(pid)
	start := time.Now()
	stopAt := start.Add(dur)
	ctx, cancel := context.WithDeadline(context.Background(), stopAt.Add(grace))
	defer cancel()
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; time.Now().Before(stopAt) && ctx.Err() == nil; round++ {
				if err := oneRound(ctx, addr, u, round, &tl); err != nil {
					tl.fail(u, "round %d: %v", round, err)
					time.Sleep(time.Second) // a refused login must not spin
				}
				tl.rounds.Add(1)
			}
		}()
	}
	wg.Wait()
	time.Sleep(3 * time.Second) // let the host drop what the users left
	rss.stop()
	fmt.Printf("ssh soak: %d users for %s (then up to %s to finish), on %s\n", users, dur, grace, addr)
	fmt.Printf("rounds %d, trainings finished %d (%d paused and resumed on the way), servers started %d, predict requests %d\n",
		tl.rounds.Load(), tl.trained.Load(), tl.paused.Load(), tl.served.Load(), tl.requests.Load())
	if pid > 0 {
		fmt.Printf("host RSS: start %s, peak %s, end %s (%d samples)\n", mib(rss.first), mib(rss.peak), mib(rss.last), rss.n)
		// Growth with the rounds would show as a rising line here.
		var at []string
		for q := 1; q <= 8; q++ {
			if i := q*len(rss.series)/8 - 1; i >= 0 {
				at = append(at, mib(rss.series[i]))
			}
		}
		fmt.Printf("host RSS at each eighth of the run: %s\n", strings.Join(at, ", "))
	}
	fmt.Printf("failures: %d\n", len(tl.failures))
	for _, f := range tl.failures {
		fmt.Println("  " + f)
	}
	if len(tl.failures) > 0 {
		return 1
	}
	return 0
}

// oneRound is one user's visit: connect, train digits, serve, request,
// quit, and check the server went with the program.
func oneRound(ctx context.Context, addr string, u, round int, tl *tally) error {
	c, tm, err := connect(addr, u)
	if err != nil {
		return err
	}
	defer c.Close()
	defer tm.sess.Close()
	if err := toDigitsTrain(ctx, tm); err != nil {
		return err
	}
	mark := tm.mark()
	tm.send(" ")
	if round%2 == 1 { // pause once it trains, and resume: the slot goes and comes back
		if err := tm.waitAfter(ctx, mark, regexp.MustCompile(`training\s+digits`), 3*time.Minute); err != nil {
			return fmt.Errorf("training did not start: %w", err)
		}
		mark = tm.mark()
		tm.send(" ")
		if err := tm.waitAfter(ctx, mark, regexp.MustCompile(`paused`), 20*time.Second); err != nil {
			return fmt.Errorf("pause: %w", err)
		}
		time.Sleep(time.Second)
		tm.send(" ")
		tl.paused.Add(1)
	}
	if err := tm.waitAfter(ctx, mark, regexp.MustCompile(`finished`), 4*time.Minute); err != nil {
		return fmt.Errorf("training did not finish: %w", err)
	}
	tl.trained.Add(1)
	port, err := serveNow(ctx, tm)
	if err != nil {
		return err
	}
	tl.served.Add(1)
	url := "http://127.0.0.1:" + port + "/predict"
	if err := predictFor(ctx, url, 5*time.Second, tl); err != nil {
		return err
	}
	tm.send("q")
	if err := tm.waitExit(20 * time.Second); err != nil {
		return fmt.Errorf("quit: %w", err)
	}
	// The user's server ends with the program.
	time.Sleep(500 * time.Millisecond)
	if conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, time.Second); err == nil {
		conn.Close()
		return fmt.Errorf("the predict server on port %s still answers after the user quit", port)
	}
	return nil
}

// connect logs user u in and opens the TUI in a PTY.
func connect(addr string, u int) (*ssh.Client, *term, error) {
	cfg := &ssh.ClientConfig{
		User:            "user" + strconv.Itoa(u),
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(userKey(u))},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), // loopback only
		Timeout:         10 * time.Second,
	}
	c, err := ssh.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("dial: %w", err)
	}
	tm, err := openTerm(c)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, tm, nil
}

var portRe = regexp.MustCompile(`127\.0\.0\.1:(\d+)`)

// serveNow presses S on a trained model and returns the port its predict
// server listens on.
func serveNow(ctx context.Context, tm *term) (string, error) {
	mark := tm.mark()
	tm.send("S")
	if err := tm.waitAfter(ctx, mark, portRe, 30*time.Second); err != nil {
		return "", fmt.Errorf("serve: %w", err)
	}
	return portRe.FindStringSubmatch(tm.textAfter(mark))[1], nil
}

// toDigitsTrain waits for the TUI, chooses digits in the Data pane and
// goes to the Train pane, ready for space to train.
func toDigitsTrain(ctx context.Context, tm *term) error {
	if err := tm.step(ctx, "", "1 Data", 20*time.Second); err != nil {
		return err
	}
	return chooseDigits(ctx, tm)
}

// chooseDigits chooses digits in the Data pane of a TUI on screen and goes
// to the Train pane.
func chooseDigits(ctx context.Context, tm *term) error {
	steps := []struct {
		keys, want string
		wait       time.Duration
	}{
		{"1", "", 0},
		{"/", "filter", 10 * time.Second},
		{"digits", "digits", 10 * time.Second},
		{"\r", "", 0},
		{"\r", "64 features", 10 * time.Second},
		{"3", "3 Train", 10 * time.Second},
	}
	for _, s := range steps {
		if err := tm.step(ctx, s.keys, s.want, s.wait); err != nil {
			return err
		}
	}
	return nil
}

// predictFor posts a digits row to url for d, about 20 requests a second.
func predictFor(ctx context.Context, url string, d time.Duration, tl *tally) error {
	row := make([]string, 64)
	for j := range row {
		row[j] = strconv.Itoa((j * 7) % 17)
	}
	body := `{"input_data": [[` + strings.Join(row, ", ") + `]]}`
	client := &http.Client{Timeout: 10 * time.Second}
	for end := time.Now().Add(d); time.Now().Before(end) && ctx.Err() == nil; time.Sleep(50 * time.Millisecond) {
		resp, err := client.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			return fmt.Errorf("predict: %w", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte(`"labels"`)) {
			return fmt.Errorf("predict: status %d: %.200s", resp.StatusCode, b)
		}
		tl.requests.Add(1)
	}
	return nil
}
