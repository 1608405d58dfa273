package flow

import (
	"fmt"
	"sort"
	"strconv"
)

// Change is one difference between two versions of a flow.
type Change struct {
	// Breaking is true when code generated from the old flow fails on the new one: a step
	// removed, or its ID or type changed. A new step or a new title is not breaking by itself,
	// though a required new step makes journeys Incomplete until the code submits it.
	Breaking bool   `json:"breaking"`
	Kind     string `json:"kind"` // flow_id, added, removed, type, title, order
	StepID   string `json:"step_id,omitempty"`
	Message  string `json:"message"`
}

// Diff lists the differences from old to new, steps matched by step ID, the breaking ones
// first.
func Diff(old, new *Flow) []Change {
	var out []Change
	if old.FlowID != new.FlowID {
		out = append(out, Change{Breaking: true, Kind: "flow_id",
			Message: fmt.Sprintf("flow ID %q is now %q", old.FlowID, new.FlowID)})
	}
	oldBy, newBy := stepIndex(old), stepIndex(new)
	for _, st := range old.Steps {
		n, ok := newBy[st.StepID]
		if !ok {
			out = append(out, Change{Breaking: true, Kind: "removed", StepID: st.StepID,
				Message: fmt.Sprintf("step %s (%s, %s) was removed", st.StepID, Quote(st.Title), st.Type)})
			continue
		}
		if n.Type != st.Type {
			out = append(out, Change{Breaking: true, Kind: "type", StepID: st.StepID,
				Message: fmt.Sprintf("step %s changed type from %s to %s", st.StepID, st.Type, n.Type)})
		}
		if n.Title != st.Title {
			out = append(out, Change{Kind: "title", StepID: st.StepID,
				Message: fmt.Sprintf("step %s was retitled from %s to %s (its Go names change)", st.StepID, Quote(st.Title), Quote(n.Title))})
		}
	}
	for _, st := range new.Steps {
		if _, ok := oldBy[st.StepID]; !ok {
			out = append(out, Change{Kind: "added", StepID: st.StepID,
				Message: fmt.Sprintf("step %s (%s, %s) was added", st.StepID, Quote(st.Title), st.Type)})
		}
	}
	if sameSteps(old, new) && !sameOrder(old, new) {
		out = append(out, Change{Breaking: true, Kind: "order",
			Message: "the steps are in a new order (CheckSteps refuses journeys of it)"})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Breaking && !out[j].Breaking })
	return out
}

// Quote is a step title as messages and comments show it: quoted, or "untitled".
func Quote(title string) string {
	if title == "" {
		return "untitled"
	}
	return strconv.Quote(title)
}

func stepIndex(f *Flow) map[string]Step {
	m := make(map[string]Step, len(f.Steps))
	for _, st := range f.Steps {
		m[st.StepID] = st
	}
	return m
}

func sameSteps(a, b *Flow) bool {
	if len(a.Steps) != len(b.Steps) {
		return false
	}
	bi := stepIndex(b)
	for _, st := range a.Steps {
		if _, ok := bi[st.StepID]; !ok {
			return false
		}
	}
	return true
}

func sameOrder(a, b *Flow) bool {
	for i := range a.Steps {
		if a.Steps[i].StepID != b.Steps[i].StepID {
			return false
		}
	}
	return true
}
