package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gbggen/gbggen/generator"
	"github.com/gbggen/gbggen/idwise/flow"
	"github.com/gbggen/gbggen/schemadiff"
)

// idwiseConfig is the idwise section of gbggen.yaml: IDWise flows to generate step names and
// helpers for.
type idwiseConfig struct {
	Flows []flowConfig `json:"flows"`
}

// flowConfig is one flow: its definition file (as gbggen fetch -idwise-flow writes it) and
// the Go file generated from it.
type flowConfig struct {
	Flow    string `json:"flow"`
	Package string `json:"package"`
	Output  string `json:"output"`
}

// configFlowFiles generates, in memory, the Go file of every flow the config at path lists.
func configFlowFiles(path string) ([]generator.File, error) {
	cfg, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	return cfg.flowFiles(path)
}

func (c *config) flowFiles(path string) ([]generator.File, error) {
	if c.IDWise == nil {
		return nil, nil
	}
	dir := filepath.Dir(path)
	outputs := map[string]int{}
	var files []generator.File
	for i, fc := range c.IDWise.Flows {
		at := fmt.Sprintf("%s#/idwise/flows/%d", path, i)
		for _, req := range []struct{ key, val string }{{"flow", fc.Flow}, {"package", fc.Package}, {"output", fc.Output}} {
			if strings.TrimSpace(req.val) == "" {
				return nil, fmt.Errorf("%s/%s: missing", at, req.key)
			}
		}
		if !strings.HasSuffix(fc.Output, ".go") {
			return nil, fmt.Errorf("%s/output: %q is not a .go file", at, fc.Output)
		}
		// Two flows in one package would declare FlowID, Steps… twice.
		outDir := filepath.Dir(filepath.Join(dir, fc.Output))
		if j, dup := outputs[outDir]; dup {
			return nil, fmt.Errorf("%s/output: flows %d and %d generate into the same directory %s; give each flow a package of its own", at, j, i, outDir)
		}
		outputs[outDir] = i
		flowPath := filepath.Join(dir, fc.Flow)
		data, err := os.ReadFile(flowPath)
		if err != nil {
			return nil, fmt.Errorf("%s/flow: %v", at, err)
		}
		def, err := flow.Parse(flowPath, data)
		if err != nil {
			return nil, err
		}
		f, err := generator.GenerateFlow(generator.FlowOptions{Package: fc.Package, Output: filepath.Join(dir, fc.Output),
			Flow: def, Source: filepath.ToSlash(fc.Flow)})
		if err != nil {
			return nil, fmt.Errorf("%s: %v", at, err)
		}
		files = append(files, f)
	}
	return files, nil
}

// readFlowSource reads a flow definition from a file or from git:REV:PATH (PATH relative to
// the working directory). ok is false when the document cannot be read or is not a flow
// definition (no JSON object with a flow_id member), so that the caller can treat it as a
// schema; err is then the read error. When ok, err is the definition's own problem.
func readFlowSource(source string) (def *flow.Flow, ok bool, err error) {
	var data []byte
	if rest, isGit := strings.CutPrefix(source, "git:"); isGit {
		rev, rel, found := strings.Cut(rest, ":")
		if !found || rev == "" || rel == "" {
			return nil, false, fmt.Errorf("%s: want git:REV:PATH", source)
		}
		var stderr bytes.Buffer
		cmd := exec.Command("git", "show", rev+":./"+filepath.ToSlash(rel))
		cmd.Stderr = &stderr
		if data, err = cmd.Output(); err != nil {
			return nil, false, fmt.Errorf("%s: git show: %s", source, strings.TrimSpace(stderr.String()))
		}
	} else if data, err = os.ReadFile(source); err != nil {
		return nil, false, err
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil || probe["flow_id"] == nil {
		return nil, false, nil
	}
	def, err = flow.Parse(source, data)
	return def, true, err
}

// flowDiffReport is the JSON form of a flow diff.
type flowDiffReport struct {
	Old      string        `json:"old"`
	New      string        `json:"new"`
	Breaking bool          `json:"breaking"`
	Changes  []flow.Change `json:"changes"`
}

// writeFlowDiff prints the changes between two flows in format (text, json, github or
// markdown) and reports whether any is breaking.
func writeFlowDiff(w io.Writer, format, oldName, newName string, changes []flow.Change) (breaking bool, err error) {
	for _, c := range changes {
		breaking = breaking || c.Breaking
	}
	level := func(c flow.Change) string {
		if c.Breaking {
			return "breaking"
		}
		return "info"
	}
	var b strings.Builder
	switch format {
	case "json":
		if changes == nil {
			changes = []flow.Change{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return breaking, enc.Encode(flowDiffReport{Old: oldName, New: newName, Breaking: breaking, Changes: changes})
	case "github":
		for _, c := range changes {
			kind := "notice"
			if c.Breaking {
				kind = "error"
			}
			fmt.Fprintf(&b, "::%s file=%s,title=%s::%s\n", kind, ghProperty(newName), ghProperty("gbggen diff: flow "+c.Kind), ghMessage(c.Message))
		}
	case "markdown":
		fmt.Fprintf(&b, "### Flow changes: `%s` → `%s`\n\n", oldName, newName)
		if len(changes) == 0 {
			b.WriteString("No change.\n")
		}
		for _, c := range changes {
			fmt.Fprintf(&b, "- **%s** %s\n", level(c), c.Message)
		}
	default:
		for _, c := range changes {
			fmt.Fprintf(&b, "%s: %s\n", level(c), c.Message)
		}
		fmt.Fprintf(&b, "gbggen diff: flow %s → %s: %d changes, breaking: %v\n", oldName, newName, len(changes), breaking)
	}
	_, err = io.WriteString(w, b.String())
	return breaking, err
}

// diffFlows compares OLD and NEW when both are flow definitions; done is false when neither
// is one (they are schemas then). Changes are breaking or info; the exit status is 1 when one
// is at failOn or above.
func diffFlows(stdout, stderr io.Writer, format string, failOn schemadiff.Level, oldName, newName string) (code int, done bool) {
	old, oldIsFlow, oldErr := readFlowSource(oldName)
	new, newIsFlow, newErr := readFlowSource(newName)
	if !oldIsFlow && !newIsFlow {
		return 0, false
	}
	for _, err := range []error{oldErr, newErr} {
		if err != nil {
			fmt.Fprintln(stderr, "gbggen diff:", err)
			return exitUsage, true
		}
	}
	if oldIsFlow != newIsFlow {
		fmt.Fprintf(stderr, "gbggen diff: one of %s and %s is an IDWise flow definition and the other is not\n", oldName, newName)
		return exitUsage, true
	}
	changes := flow.Diff(old, new)
	top := schemadiff.Info
	for _, c := range changes {
		if c.Breaking {
			top = schemadiff.Breaking
		}
	}
	if _, err := writeFlowDiff(stdout, format, oldName, newName, changes); err != nil {
		fmt.Fprintln(stderr, "gbggen diff:", err)
		return exitUsage, true
	}
	if len(changes) > 0 && top >= failOn {
		return exitFound, true
	}
	return exitOK, true
}
