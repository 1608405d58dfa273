package sandbox

import (
	"container/list"
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ScenarioHeader is the request header that selects test scenarios, like the header of GBG's
// own sandbox. See the package documentation for its syntax.
const ScenarioHeader = "X-Gbg-Scenario"

// MaxLatency caps the latency a scenario may add.
const MaxLatency = 10 * time.Second

// MaxScenarioBytes bounds the length of a scenario header; a longer one is refused (400).
const MaxScenarioBytes = 1024

// maxScenarioValues bounds the header values whose requests are counted (for rate-limit=N
// and unavailable=N); beyond it the least recently used value is forgotten.
const maxScenarioValues = 10000

type scenario struct {
	raw         string
	fail        bool
	pause       int // -1: every state fetch; n > 0: the next n
	rateLimit   int // -1: every request; n > 0: the first n requests with this header value
	unavailable int
	latency     time.Duration
	retryAfter  int
}

func parseScenario(h string) (*scenario, error) {
	s := &scenario{raw: strings.TrimSpace(h), retryAfter: 1}
	if s.raw == "" {
		return nil, nil
	}
	for _, d := range strings.FieldsFunc(s.raw, func(r rune) bool { return r == ',' || r == ';' }) {
		name, val, hasVal := strings.Cut(strings.TrimSpace(d), "=")
		name = strings.ToLower(strings.TrimSpace(name))
		val = strings.TrimSpace(val)
		count := func() (int, error) {
			if !hasVal {
				return -1, nil
			}
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 1000 {
				return 0, fmt.Errorf("%s=%q: want a count from 1 to 1000", name, val)
			}
			return n, nil
		}
		var err error
		switch name {
		case "":
			continue
		case "fail":
			if hasVal {
				err = fmt.Errorf("fail takes no value")
			}
			s.fail = true
		case "pause":
			s.pause, err = count()
		case "rate-limit":
			s.rateLimit, err = count()
		case "unavailable":
			s.unavailable, err = count()
		case "latency":
			s.latency, err = time.ParseDuration(val)
			if err == nil && (s.latency < 0 || s.latency > MaxLatency) {
				err = fmt.Errorf("latency=%s: want 0 to %s", val, MaxLatency)
			}
		case "retry-after":
			s.retryAfter, err = strconv.Atoi(val)
			if err == nil && (s.retryAfter < 0 || s.retryAfter > 3600) {
				err = fmt.Errorf("retry-after=%s: want 0 to 3600 seconds", val)
			}
		case "id":
			// Free text that only makes the header value (and so its counters) unique.
		default:
			err = fmt.Errorf("unknown directive %q (want fail, pause[=N], rate-limit[=N], unavailable[=N], latency=DURATION, retry-after=SECONDS, id=TEXT)", name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ScenarioHeader, err)
		}
	}
	return s, nil
}

// scenarioCounts counts requests per exact scenario header value, for rate-limit=N and
// unavailable=N. It keeps maxScenarioValues values, keyed by their SHA-256, and forgets the
// least recently used beyond that: a value a client is retrying with stays.
type scenarioCounts struct {
	mu  sync.Mutex
	n   map[[sha256.Size]byte]*list.Element
	lru list.List // of *scenarioCount, most recently used first
}

type scenarioCount struct {
	key [sha256.Size]byte
	n   int
}

// hit counts one request with header value raw and returns how many there have been.
func (c *scenarioCounts) hit(raw string) int {
	key := sha256.Sum256([]byte(raw))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[[sha256.Size]byte]*list.Element{}
	}
	e, ok := c.n[key]
	if ok {
		c.lru.MoveToFront(e)
	} else {
		if len(c.n) >= maxScenarioValues {
			oldest := c.lru.Back()
			c.lru.Remove(oldest)
			delete(c.n, oldest.Value.(*scenarioCount).key)
		}
		e = c.lru.PushFront(&scenarioCount{key: key})
		c.n[key] = e
	}
	sc := e.Value.(*scenarioCount)
	sc.n++
	return sc.n
}

func (c *scenarioCounts) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.n)
}

// applyToInstance applies the directives that act on the instance a request starts or
// changes: fail and pause. Call with in.mu held.
func applyToInstance(ctx context.Context, in *instance) {
	sc := scenarioFrom(ctx)
	if sc == nil {
		return
	}
	if sc.fail {
		in.failed = true
	}
	if sc.pause != 0 {
		in.paused = sc.pause
	}
}
