package sandbox

import (
	"strconv"
	"testing"
)

// TestScenarioCountsBounded: the request counters of rate-limit=N and unavailable=N keep at
// most maxScenarioValues header values, forgetting the least recently used; a value in use
// keeps its count.
func TestScenarioCountsBounded(t *testing.T) {
	var c scenarioCounts
	c.hit("in use")
	for i := range maxScenarioValues + 100 {
		c.hit(strconv.Itoa(i))
		if i%1000 == 0 {
			c.hit("in use")
		}
	}
	if n := c.len(); n > maxScenarioValues {
		t.Fatalf("%d header values counted, bound %d", n, maxScenarioValues)
	}
	if got, want := c.hit("in use"), 2+(maxScenarioValues+100)/1000+1; got != want {
		t.Errorf("a value in use: count %d, want %d", got, want)
	}
	if got := c.hit("0"); got != 1 {
		t.Errorf("the least recently used value: count %d, want 1 (forgotten)", got)
	}
	if got := c.hit(strconv.Itoa(maxScenarioValues + 99)); got != 2 {
		t.Errorf("the most recent value: count %d, want 2", got)
	}
}
