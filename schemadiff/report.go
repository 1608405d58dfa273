package schemadiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Report is the JSON form of a comparison (format "json"); its field names are stable.
type Report struct {
	Old       string   `json:"old"`
	New       string   `json:"new"`
	Direction string   `json:"direction"`
	Changes   []Change `json:"changes"`
	Summary   Summary  `json:"summary"`
}

// Summary counts changes by level.
type Summary struct {
	Breaking int `json:"breaking"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
}

// NewReport gathers changes with what they were computed from.
func NewReport(old, new string, d Direction, changes []Change) Report {
	r := Report{Old: old, New: new, Direction: d.String(), Changes: changes}
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	for _, c := range changes {
		switch c.Level {
		case Breaking:
			r.Summary.Breaking++
		case Warning:
			r.Summary.Warning++
		default:
			r.Summary.Info++
		}
	}
	return r
}

// Formats lists the output formats Write accepts.
var Formats = []string{"text", "json", "github", "markdown"}

// Write prints r in format: text (one line a change), json (Report), github (workflow
// annotations, which GitHub Actions shows on the pull request) or markdown (a table for a
// pull-request comment).
func (r Report) Write(w io.Writer, format string) error {
	switch format {
	case "text":
		return r.text(w)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "github":
		return r.github(w)
	case "markdown":
		return r.markdown(w)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

func (r Report) text(w io.Writer) error {
	for _, c := range r.Changes {
		if _, err := fmt.Fprintln(w, c); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%s → %s (%s): %d breaking, %d warning, %d info\n",
		r.Old, r.New, r.Direction, r.Summary.Breaking, r.Summary.Warning, r.Summary.Info)
	return err
}

func (r Report) github(w io.Writer) error {
	file := r.New
	if strings.HasPrefix(file, "git:") {
		file = file[strings.LastIndex(file, ":")+1:]
	}
	for _, c := range r.Changes {
		kind := map[Level]string{Breaking: "error", Warning: "warning", Info: "notice"}[c.Level]
		msg := ghEscape(fmt.Sprintf("%s: %s", pointerOrRoot(c.Pointer), c.Message))
		if _, err := fmt.Fprintf(w, "::%s file=%s,title=%s schema change (%s)::%s\n",
			kind, ghEscapeProperty(file), c.Level, c.Rule, msg); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d breaking, %d warning, %d info\n", r.Summary.Breaking, r.Summary.Warning, r.Summary.Info)
	return err
}

func (r Report) markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Schema changes: `%s` → `%s` (%s)\n\n", r.Old, r.New, r.Direction)
	fmt.Fprintf(&b, "**%d breaking**, %d warning, %d info\n\n", r.Summary.Breaking, r.Summary.Warning, r.Summary.Info)
	if len(r.Changes) > 0 {
		b.WriteString("| level | pointer | change | rule |\n|---|---|---|---|\n")
		for _, c := range r.Changes {
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", c.Level, pointerOrRoot(c.Pointer), mdEscape(c.Message), c.Rule)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// ghEscape encodes the characters GitHub's workflow commands treat specially in a message.
func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghEscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
