package gbg

import "strings"

// Status is the status of a journey instance or a task, as the server
// spells it. GBG documents InProgress, Completed, Failed and Paused, and its
// guides also print IN_PROGRESS, COMPLETED and FAILED: compare statuses with
// Equal, never with ==.
type Status string

// The documented statuses.
const (
	StatusInProgress Status = "InProgress"
	StatusCompleted  Status = "Completed"
	StatusFailed     Status = "Failed"
	StatusPaused     Status = "Paused"
)

// Equal reports whether s and t name the same status, ignoring case,
// underscores, hyphens and spaces: "IN_PROGRESS", "in progress" and
// "InProgress" are equal.
func (s Status) Equal(t Status) bool { return s.normal() == t.normal() }

// Terminal reports whether s is Completed or Failed.
func (s Status) Terminal() bool { return s.Equal(StatusCompleted) || s.Equal(StatusFailed) }

func (s Status) normal() string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', ' ':
			return -1
		}
		return r
	}, strings.ToLower(string(s)))
}
