package sandbox

import (
	"container/list"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gbggen/gbggen/internal/prune"
)

// Journey statuses as the API reports them.
const (
	StatusInProgress = "InProgress"
	StatusCompleted  = "Completed"
	StatusFailed     = "Failed"
	StatusPaused     = "Paused" // only while a pause scenario lasts
)

// store holds journey instances in memory, at most max of them. A finished instance is
// kept for ttl after it finished, then forgotten. The maps and the finished list are guarded
// by mu; each instance has its own lock. An instance's lock may be held while taking mu
// (settle reports an instance finished), never the other way round.
type store struct {
	mu        sync.Mutex
	now       func() time.Time
	ttl       time.Duration
	max       int
	instances map[string]*instance
	tasks     map[string]*taskState
	finished  list.List // of *instance, in the order they finished
}

func newStore(now func() time.Time, ttl time.Duration, maxInstances int) *store {
	return &store{now: now, ttl: ttl, max: maxInstances, instances: map[string]*instance{}, tasks: map[string]*taskState{}}
}

type instance struct {
	mu       sync.Mutex
	store    *store
	id       string
	version  *versionDef
	api      int    // 1 or 2
	delivery string // v2: page or api
	created  time.Time
	ended    time.Time
	subject  map[string]any
	tasks    []*taskState
	failed   bool
	deleted  bool
	// paused is set by the pause scenario: state fetches report Paused while it is not 0
	// (-1: every fetch; n > 0: the next n fetches).
	paused int
	// lazy is set by v1 config.async: the prefill is evaluated on the next call that
	// touches the instance, not during start.
	lazy bool

	// Guarded by store.mu: the instance's element of store.finished, and when it finished.
	finElem *list.Element
	finAt   time.Time
}

type taskState struct {
	id    string
	inst  *instance
	def   *taskDef
	done  bool
	saved map[string]any // subject data stored by Save
}

// add stores a new instance. At the bound it first forgets the instance that finished
// first; when none has finished it refuses (503), since forgetting an instance in progress
// would break a journey its client is still walking.
func (st *store) add(in *instance) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.expire()
	if len(st.instances) >= st.max {
		oldest := st.finished.Front()
		if oldest == nil {
			return errorf(http.StatusServiceUnavailable,
				"the emulator holds %d journey instances in progress, its limit: finish or delete one first (or raise the limit: -max-instances)", len(st.instances))
		}
		st.forget(oldest.Value.(*instance))
	}
	st.instances[in.id] = in
	for _, t := range in.tasks {
		st.tasks[t.id] = t
	}
	if !in.ended.IsZero() { // finished at start; no one else has it yet
		in.finAt = in.ended
		in.finElem = st.finished.PushBack(in)
	}
	return nil
}

// ended records that in finished at t, starting its TTL. Called by settle, with in.mu held.
func (st *store) ended(in *instance, t time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if in.finElem == nil && st.instances[in.id] == in {
		in.finAt = t
		in.finElem = st.finished.PushBack(in)
	}
}

// expire forgets the instances that finished ttl ago or earlier. Call with st.mu held.
func (st *store) expire() {
	cutoff := st.now().Add(-st.ttl)
	for e := st.finished.Front(); e != nil; e = st.finished.Front() {
		in := e.Value.(*instance)
		if in.finAt.After(cutoff) {
			return
		}
		st.forget(in)
	}
}

// forget removes in and its tasks. Call with st.mu held.
func (st *store) forget(in *instance) {
	delete(st.instances, in.id)
	for _, t := range in.tasks {
		delete(st.tasks, t.id)
	}
	if in.finElem != nil {
		st.finished.Remove(in.finElem)
		in.finElem = nil
	}
}

func (st *store) get(id string) *instance {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.expire()
	return st.instances[id]
}

func (st *store) task(id string) *taskState {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.expire()
	return st.tasks[id]
}

func (st *store) remove(in *instance) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.forget(in)
}

func newInstance(st *store, v *versionDef, api int, now time.Time) *instance {
	in := &instance{store: st, id: randomHex(16), version: v, api: api, created: now, subject: map[string]any{}}
	for _, td := range v.tasks {
		in.tasks = append(in.tasks, &taskState{id: randomHex(16), inst: in, def: td})
	}
	return in
}

func (in *instance) status() string {
	switch {
	case in.failed:
		return StatusFailed
	case in.pending() == 0:
		return StatusCompleted
	}
	return StatusInProgress
}

// fetched is what a state fetch reports: the status, and whether to show the journey's end
// and outcome. While a pause scenario lasts (each call counts as one fetch) that is Paused
// and no end. Call with in.mu held.
func (in *instance) fetched() (status string, ended bool) {
	if in.paused == 0 {
		return in.status(), in.finished()
	}
	if in.paused > 0 {
		in.paused--
	}
	return StatusPaused, false
}

func (in *instance) pending() int {
	n := 0
	for _, t := range in.tasks {
		if !t.done {
			n++
		}
	}
	return n
}

func (in *instance) finished() bool { return !in.ended.IsZero() }

// settle runs deferred work (async prefill evaluation) and records the end time once the
// instance has completed or failed. Call with in.mu held.
func (in *instance) settle(now time.Time) {
	if in.lazy {
		in.lazy = false
		in.completeSatisfied()
	}
	if in.ended.IsZero() && in.status() != StatusInProgress {
		in.ended = now
		in.store.ended(in, now)
	}
}

// completeSatisfied completes every pending task whose schema the collected subject already
// satisfies.
func (in *instance) completeSatisfied() {
	doc := taskDoc(in.subject)
	for _, t := range in.tasks {
		if !t.done && t.def.schema.check(doc) == nil {
			t.done = true
		}
	}
}

// submit merges patch into the collected subject and completes every task now satisfied,
// as v2 interaction/submit and the hosted page do. When the journey schema rejects a value
// in patch it stores nothing and returns the violations ("pointer: problem"); missing
// values are not violations, since an interaction collects part of the subject. Call with
// in.mu held.
func (in *instance) submit(patch map[string]any) (bad []string) {
	for _, v := range in.version.schema.check(map[string]any{"subject": patch}) {
		if !v.missing {
			bad = append(bad, v.Pointer+": "+v.Message)
		}
	}
	if len(bad) > 0 {
		return bad
	}
	merged, _ := merge(in.subject, patch).(map[string]any)
	in.subject = merged
	in.completeSatisfied()
	return nil
}

// outstandingRefs lists what task t still lacks, as interaction refs such as
// "identity/dateOfBirth". Call with in.mu held.
func outstandingRefs(in *instance, t *taskState) []string {
	out := []string{}
	for _, v := range t.def.schema.check(taskDoc(merge(in.subject, t.saved))) {
		if r := ref(v.Pointer); !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// taskDoc is the document a task schema (rooted at context) validates.
func taskDoc(subject any) map[string]any {
	return map[string]any{"context": map[string]any{"subject": subject}}
}

// keepValid checks subject against the journey schema and returns a copy without the values
// the schema rejects (missing required fields are simply still missing), plus the
// violations found.
func keepValid(js *schema, subject any) (map[string]any, []Violation) {
	var first []Violation
	passes := 0
	ctx := prune.Accepted(map[string]any{"subject": deepCopy(subject)}, func(doc any) ([]string, []string) {
		vs := js.check(doc)
		if passes++; passes == 1 {
			first = vs
		}
		return rejected(vs)
	})
	sub, _ := ctx.(map[string]any)["subject"].(map[string]any)
	if sub == nil {
		sub = map[string]any{}
	}
	return sub, first
}
func logDropped(log *slog.Logger, instanceID string, vs []Violation) {
	for _, v := range vs {
		what := "dropped"
		if v.missing {
			what = "missing"
		}
		log.Info("prefill "+what, "instance", instanceID, "pointer", v.Pointer, "problem", v.Message)
	}
}

// ref turns a pointer below /context/subject (or /subject) into an interaction ref such as
// "identity/dateOfBirth".
func ref(ptr string) string {
	for _, p := range []string{"/context/subject/", "/subject/"} {
		if rest, ok := strings.CutPrefix(ptr, p); ok {
			parts := strings.Split(rest, "/")
			for i := range parts {
				parts[i] = unescapeToken(parts[i])
			}
			return strings.Join(parts, "/")
		}
	}
	return strings.TrimPrefix(ptr, "/")
}
