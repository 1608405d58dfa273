package gbg

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gbggen/gbggen/internal/prune"
	"github.com/gbggen/gbggen/validate"
)

// A prefill's real contract is its tasks' schemas: GBG starts a journey with whatever
// context it is given, drops the values the journey schema rejects, and completes at once
// every task whose schema the rest satisfies. Every other task stays pending until someone
// supplies what it lacks. The functions here predict that outcome before anything is sent;
// gbggen generates a Pending<Journey>Tasks function per journey that calls PredictPending
// with the journey's own types.

// PendingTask is a task that a prefill would leave pending.
type PendingTask struct {
	// Key is the task's key in gbggen.yaml (and in the journey's definition).
	Key string
	// Title is the title of the task's schema, or Key when it has none.
	Title string
	// Violations say what the task lacks or rejects, with JSON Pointers rooted at the
	// prefill's context (/subject/identity/firstName, not /context/subject/…). A missing
	// member is named by its own pointer, with keyword "required".
	Violations validate.Errors
}

// String renders the task and its violations on one line.
func (t PendingTask) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): ", t.Key, t.Title)
	for i, v := range t.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// PendingTasksError is returned by a generated Start helper given RefusePending when the
// prefill would leave tasks pending. No request was sent.
type PendingTasksError struct {
	Journey string
	Tasks   []PendingTask
}

func (e *PendingTasksError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "journey %s not started: the prefill would leave %d task", e.Journey, len(e.Tasks))
	if len(e.Tasks) != 1 {
		b.WriteByte('s')
	}
	b.WriteString(" pending")
	for _, t := range e.Tasks {
		b.WriteString("\n  ")
		b.WriteString(t.String())
	}
	return b.String()
}

// TaskCheck is one task of a journey as PredictPending sees it.
type TaskCheck struct {
	Key, Title string
	// Check validates a task document, {"context": …}, against the task's schema.
	Check func(doc []byte) validate.Errors
}

// CheckAs decodes doc as T and returns the violations of T's Validate. A document that
// does not decode as T at all is one violation at the document root.
func CheckAs[T interface{ Validate() error }](doc []byte) validate.Errors {
	var v T
	if err := json.Unmarshal(doc, &v); err != nil {
		return validate.Errors{{Keyword: "type", Message: err.Error()}}
	}
	err := v.Validate()
	var errs validate.Errors
	if err != nil && !errors.As(err, &errs) {
		return validate.Errors{{Message: err.Error()}}
	}
	return errs
}

// PredictPending returns, in the order of tasks, each task that prefill would leave
// pending. journey validates a context document against the journey schema (subject
// reports that the journey schema describes context.subject rather than the context); the
// values it rejects are dropped first, as GBG drops them, so they count as absent.
func PredictPending(prefill any, subject bool, journey func(doc []byte) validate.Errors, tasks []TaskCheck) []PendingTask {
	ctx, err := keepAccepted(prefill, subject, journey)
	if err != nil {
		// Generated types always encode; anything else is reported against every task.
		bad := validate.Errors{{Keyword: "type", Message: err.Error()}}
		out := make([]PendingTask, len(tasks))
		for i, t := range tasks {
			out[i] = PendingTask{Key: t.Key, Title: t.Title, Violations: bad}
		}
		return out
	}
	doc, _ := json.Marshal(map[string]any{"context": ctx}) // a decoded tree always encodes
	var out []PendingTask
	for _, t := range tasks {
		if vs := t.Check(doc); len(vs) > 0 {
			out = append(out, PendingTask{Key: t.Key, Title: t.Title, Violations: contextRooted(vs)})
		}
	}
	return out
}

// keepAccepted encodes prefill and drops what the journey schema rejects, as GBG does (and
// the emulator, through the same package prune). It returns the context.
func keepAccepted(prefill any, subject bool, journey func([]byte) validate.Errors) (any, error) {
	raw, err := json.Marshal(prefill)
	if err != nil {
		return nil, err
	}
	tree, err := validate.DecodeAny(raw)
	if err != nil {
		return nil, err
	}
	tree = prune.Accepted(tree, func(doc any) ([]string, []string) {
		enc, _ := json.Marshal(doc) // a decoded tree always encodes
		return rejected(journey(enc))
	})
	if subject {
		return map[string]any{"subject": tree}, nil
	}
	return tree, nil
}

// rejected sorts the violations of a generated Validate into what to drop: the values they
// name, and, for a missing member (reported at the object that lacks it), that object when
// it is an array element.
func rejected(vs validate.Errors) (values, elements []string) {
	for _, v := range vs {
		switch {
		case v.Pointer == "":
		case v.Keyword == "required":
			elements = append(elements, v.Pointer)
		default:
			values = append(values, v.Pointer)
		}
	}
	return values, elements
}

// contextRooted moves violations of a task document ({"context": …}) to pointers rooted at
// the context, and names each missing member by its own pointer.
func contextRooted(vs validate.Errors) validate.Errors {
	out := make(validate.Errors, 0, len(vs))
	for _, v := range vs {
		p := v.Pointer
		if rest, ok := strings.CutPrefix(p, "/context"); ok && (rest == "" || rest[0] == '/') {
			p = rest
		}
		if v.Keyword == "required" { // Missing names the member, "" included
			p += "/" + validate.EscapePointer(v.Missing)
			v.Message = "missing"
		}
		v.Pointer = p
		out = append(out, v)
	}
	return out
}
