package idwise

import (
	"crypto/rand"
	"fmt"
	"sync"
	"time"

	"github.com/gbggen/gbggen/idwise/flow"
)

// journey is one journey's state. The store's mutex guards every field.
type journey struct {
	id, ref   string
	flow      *flow.Flow
	applicant *applicantDetails
	created   time.Time
	steps     map[string]*stepState // by step ID text
	polls     map[string]time.Time  // API key → time of its last answered summary
	completed time.Time             // zero until complete-journey
	decision  string
	eventID   string
}

// stepState is what the emulator keeps of a submitted step: no image bytes, only what the
// result is made from.
type stepState struct {
	submitted, ready time.Time // ready: when processing ends
	skipped          bool
	images           int
	digest           [8]byte // of the first image: the document number
	marker           string  // markerReject, markerRefer or ""
}

// store keeps journeys in memory, each for at most ttl after it started and at most max of
// them: starting one more forgets the oldest.
type store struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	byID  map[string]*journey
	order []*journey // by start; deleted journeys linger until compacted
}

func newStore(ttl time.Duration, max int) *store {
	return &store{ttl: ttl, max: max, byID: map[string]*journey{}}
}

// add stores j, first forgetting expired journeys and, at the limit, the oldest.
func (s *store) add(j *journey, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.order) > 0 {
		old := s.order[0]
		if s.byID[old.id] == old && now.Before(old.created.Add(s.ttl)) && len(s.byID) < s.max {
			break
		}
		if s.byID[old.id] == old {
			delete(s.byID, old.id)
		}
		s.order[0] = nil
		s.order = s.order[1:]
	}
	if len(s.order) > 2*len(s.byID)+16 { // drop the entries of deleted journeys
		live := make([]*journey, 0, len(s.byID)+1)
		for _, o := range s.order {
			if s.byID[o.id] == o {
				live = append(live, o)
			}
		}
		s.order = live
	}
	s.byID[j.id] = j
	s.order = append(s.order, j)
}

// with runs f on the live journey id under the store's lock; it reports false for an
// unknown, deleted or expired journey.
func (s *store) with(id string, now time.Time, f func(*journey)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.byID[id]
	if !ok {
		return false
	}
	if !now.Before(j.created.Add(s.ttl)) {
		delete(s.byID, id)
		return false
	}
	f(j)
	return true
}

func (s *store) remove(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.byID[id]
	if ok {
		delete(s.byID, id)
	}
	return ok && now.Before(j.created.Add(s.ttl))
}

// len counts the journeys kept (expired ones included until they are noticed).
func (s *store) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// newUUID returns a random (version 4) UUID, the form of IDWise's journey IDs.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
