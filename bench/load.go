// Package bench measures upskill's speed against bare baselines run in the
// same process: each figure is reported beside what a plain net/http
// handler (or plain SQL) achieves on the same machine at the same moment,
// so that the ratio, not the machine, is what the numbers say. Run it with
// `make bench`; the README lists the figures and how they were made.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Result is what one load run measured.
type Result struct {
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P95 time.Duration
	P99, Max time.Duration
	// FirstError describes the first error, if there was one.
	FirstError string
}

// Throughput is completed requests per second.
func (r Result) Throughput() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

func (r Result) String() string {
	return fmt.Sprintf("%d requests in %s: %.0f req/s, p50 %s, p95 %s, p99 %s, max %s, %d errors",
		r.Requests, r.Elapsed.Round(time.Millisecond), r.Throughput(), r.P50.Round(10*time.Microsecond),
		r.P95.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond), r.Errors)
}

// Target is one address to load, with the headers of each client and the
// length every good response has (0 for any).
type Target struct {
	URL     string
	Headers func(i int) http.Header
	WantLen int
}

// Compare loads two targets in turns, a slice of the duration each, so
// that both meet the same state of the machine: on a shared machine the
// speed available moves from minute to minute, and taking turns keeps that
// out of the comparison. Clients send their next request as soon as the
// last is answered, each on its own kept-alive connection.
func Compare(ctx context.Context, a, b Target, clients int, d time.Duration, rounds int) (Result, Result) {
	return Alternate(ctx, getter(a), getter(b), clients, d, rounds)
}

// A Worker is one client's loop: it works until the deadline and returns
// the time each unit of work took and how many went wrong.
type Worker func(ctx context.Context, client int, deadline time.Time) samples

// Alternate runs two workers' clients in turns, as Compare does.
func Alternate(ctx context.Context, a, b Worker, clients int, d time.Duration, rounds int) (Result, Result) {
	var la, lb samples
	slice := d / time.Duration(rounds)
	// A short warm-up of each opens connections and fills caches.
	run(ctx, a, clients, slice/4)
	run(ctx, b, clients, slice/4)
	for i := 0; i < rounds; i++ {
		la.add(run(ctx, a, clients, slice))
		lb.add(run(ctx, b, clients, slice))
	}
	return la.result(), lb.result()
}

// samples gathers the latencies and errors of several runs.
type samples struct {
	lat     []time.Duration
	errs    int
	elapsed time.Duration
	first   string // what the first error was
}

func (s *samples) add(o samples) {
	s.lat = append(s.lat, o.lat...)
	s.errs += o.errs
	s.elapsed += o.elapsed
	if s.first == "" {
		s.first = o.first
	}
}

// fail counts an error, keeping a description of the first.
func (s *samples) fail(format string, args ...any) {
	s.errs++
	if s.first == "" {
		s.first = fmt.Sprintf(format, args...)
	}
}

func (s *samples) result() Result {
	lat := s.lat
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	r := Result{Requests: len(lat), Errors: s.errs, Elapsed: s.elapsed, P50: pct(0.50), P95: pct(0.95), P99: pct(0.99), FirstError: s.first}
	if len(lat) > 0 {
		r.Max = lat[len(lat)-1]
	}
	return r
}

// run runs the worker's clients for the duration. Work begun before the
// deadline is finished, and counted in the time taken.
func run(ctx context.Context, w Worker, clients int, d time.Duration) samples {
	var mu sync.Mutex
	var all samples
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			mine := w(ctx, i, deadline)
			mu.Lock()
			all.add(mine)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	return all
}

// getter is a worker that asks for a target again and again.
//
// The clients speak HTTP/1.1 directly rather than through net/http's
// client, which costs several times more CPU per request: on a machine
// with two cores, a heavy client would take the time of the server it
// measures.
func getter(t Target) Worker {
	return func(ctx context.Context, i int, deadline time.Time) samples {
		var out samples
		out.lat = make([]time.Duration, 0, 4096)
		var c *rawClient
		for time.Now().Before(deadline) && ctx.Err() == nil {
			if c == nil {
				var err error
				if c, err = dialRaw(t.URL, t.Headers(i)); err != nil {
					out.errs++
					time.Sleep(10 * time.Millisecond)
					continue
				}
			}
			t0 := time.Now()
			status, n, err := c.get()
			if err != nil {
				out.errs++
				c.close()
				c = nil
				continue
			}
			out.lat = append(out.lat, time.Since(t0))
			if status != 200 || (t.WantLen > 0 && n != t.WantLen) {
				out.errs++
			}
		}
		if c != nil {
			c.close()
		}
		return out
	}
}

// rawClient sends requests on one HTTP/1.1 connection.
type rawClient struct {
	conn    net.Conn
	br      *bufio.Reader
	host    string
	headers string // the header lines every request carries
	req     []byte // the GET request of get
	out     []byte // the request being sent by do
	body    bytes.Buffer
}

func dialRaw(rawURL string, h http.Header) (*rawClient, error) {
	u, err := neturl.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		return nil, err
	}
	var hb strings.Builder
	for k, vs := range h {
		for _, v := range vs {
			fmt.Fprintf(&hb, "%s: %s\r\n", k, v)
		}
	}
	c := &rawClient{conn: conn, br: bufio.NewReaderSize(conn, 64<<10), host: u.Host, headers: hb.String()}
	c.req = []byte(fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: upskill-bench\r\nAccept: text/html\r\n%s\r\n", u.RequestURI(), u.Host, c.headers))
	return c, nil
}

func (c *rawClient) close() { c.conn.Close() }

// get sends the client's GET request and reads the whole response,
// returning its status and the length of its body.
func (c *rawClient) get() (int, int, error) {
	c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.conn.Write(c.req); err != nil {
		return 0, 0, err
	}
	return c.read(io.Discard)
}

// do sends a request with a JSON body (none when body is nil) and returns
// the status and the response body, which is valid until the next call.
func (c *rawClient) do(method, uri string, body []byte) (int, []byte, error) {
	c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	c.out = fmt.Appendf(c.out[:0], "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: upskill-bench\r\nAccept: application/json\r\n%s", method, uri, c.host, c.headers)
	if body != nil {
		c.out = fmt.Appendf(c.out, "Content-Type: application/json\r\nContent-Length: %d\r\n", len(body))
	} else if method != http.MethodGet {
		c.out = append(c.out, "Content-Length: 0\r\n"...)
	}
	c.out = append(c.out, "\r\n"...)
	c.out = append(c.out, body...)
	if _, err := c.conn.Write(c.out); err != nil {
		return 0, nil, err
	}
	c.body.Reset()
	status, _, err := c.read(&c.body)
	return status, c.body.Bytes(), err
}

// read reads one response, copying its body to w.
func (c *rawClient) read(w io.Writer) (int, int, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		return 0, 0, err
	}
	if len(line) < 12 {
		return 0, 0, fmt.Errorf("bad status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, 0, fmt.Errorf("bad status line %q", line)
	}
	length, chunked := -1, false
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return 0, 0, err
		}
		if len(line) <= 2 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			length, _ = strconv.Atoi(string(v))
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(v, []byte("chunked"))
		}
	}
	var n int64
	switch {
	case chunked:
		n, err = io.Copy(w, httputil.NewChunkedReader(c.br))
		if err == nil {
			_, err = c.br.Discard(2) // the CRLF after the last chunk
		}
	case length >= 0:
		n, err = io.CopyN(w, c.br, int64(length))
	default:
		return 0, 0, fmt.Errorf("response without a length")
	}
	return status, int(n), err
}
