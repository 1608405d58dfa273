package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// GoJSONSchemaModule is the baseline generator of item 1, installed with
// `go install` (never a dependency in go.mod).
const GoJSONSchemaModule = "github.com/atombender/go-jsonschema@v0.24.1"

// Tool is a code generator run as one process per schema, as
// `go generate` runs it.
type Tool struct {
	Name string
	Bin  string
	// Args are the arguments generating schema into out.
	Args func(schema, out string) []string
}

// Gbggen is `gbggen generate -schema S -package p -type Root -o OUT`, with SchemaStore's
// URLs mapped to the directory of S: its schemas refer to one another by URL, and gbggen
// never fetches (go-jsonschema resolves such a reference next to the file).
func Gbggen(bin string) Tool {
	return Tool{Name: "gbggen", Bin: bin, Args: func(schema, out string) []string {
		return []string{"generate", "-schema", schema, "-package", "p", "-type", "Root", "-o", out,
			"-ref-map", "https://json.schemastore.org/=" + filepath.Dir(schema) + "/"}
	}}
}

// GoJSONSchema is `go-jsonschema -p p -o OUT S`.
func GoJSONSchema(bin string) Tool {
	return Tool{Name: "go-jsonschema", Bin: bin, Args: func(schema, out string) []string {
		return []string{"-p", "p", "-o", out, schema}
	}}
}

// BuildTools builds gbggen from this module and installs go-jsonschema
// into dir, once, before anything is timed.
func BuildTools(dir string) (gbggen, gojsonschema string, err error) {
	gbggen = filepath.Join(dir, "gbggen")
	if out, err := exec.Command("go", "build", "-o", gbggen, "github.com/gbggen/gbggen/cmd/gbggen").CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go build gbggen: %v\n%s", err, out)
	}
	cmd := exec.Command("go", "install", GoJSONSchemaModule)
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go install %s: %v\n%s", GoJSONSchemaModule, err, out)
	}
	return gbggen, filepath.Join(dir, "go-jsonschema"), nil
}

// ProcessTimeout bounds one generator process. (go-jsonschema v0.24.1
// never finishes web-types.json; that run is killed and counted as a
// failure.)
const ProcessTimeout = 20 * time.Second

// Run is one timed process.
type Run struct {
	Wall time.Duration // start to exit
	CPU  time.Duration // user + system time of the process
	Err  error         // non-nil when the process failed (stderr tail included)
}

// RunTool runs t on schema, writing to out, and times it.
func RunTool(t Tool, schema, out string) Run {
	ctx, cancel := context.WithTimeout(context.Background(), ProcessTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.Bin, t.Args(schema, out)...)
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	r := Run{Wall: time.Since(start)}
	if cmd.ProcessState != nil {
		r.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		if len(msg) > 200 {
			msg = msg[:200] + "…"
		}
		r.Err = fmt.Errorf("%s %s: %v: %s", t.Name, filepath.Base(schema), err, msg)
	}
	return r
}

// SchemaTimes is one schema's runs under both tools, reps each.
type SchemaTimes struct {
	Schema string
	A, B   []Run
}

// OK reports whether every run of both tools succeeded.
func (s SchemaTimes) OK() bool { return s.FailedA() == nil && s.FailedB() == nil }

// FailedA returns the first failure of tool A, or nil.
func (s SchemaTimes) FailedA() error { return firstFailure(s.A) }

// FailedB returns the first failure of tool B, or nil.
func (s SchemaTimes) FailedB() error { return firstFailure(s.B) }

func firstFailure(runs []Run) error {
	for _, r := range runs {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

// CompareProcesses runs a and b on every schema, reps times, strictly
// alternating A B A B … so both tools see the same machine conditions.
// Each rep is a full pass over the schemas; a schema that either tool
// failed on is not run again (it leaves the comparison anyway, and a hang
// would cost ProcessTimeout every pass). Outputs go to outDir. progress,
// when not nil, gets a dot per pass.
func CompareProcesses(a, b Tool, schemas []string, reps int, outDir string, progress io.Writer) []SchemaTimes {
	res := make([]SchemaTimes, len(schemas))
	for i, s := range schemas {
		res[i].Schema = s
	}
	outA, outB := filepath.Join(outDir, "a.go"), filepath.Join(outDir, "b.go")
	for range reps {
		for i, s := range schemas {
			if !res[i].OK() {
				continue
			}
			res[i].A = append(res[i].A, RunTool(a, s, outA))
			res[i].B = append(res[i].B, RunTool(b, s, outB))
		}
		if progress != nil {
			fmt.Fprint(progress, ".")
		}
	}
	return res
}

// MedianWall is the median wall time of runs.
func MedianWall(runs []Run) time.Duration {
	return Median(runs, func(r Run) time.Duration { return r.Wall })
}

// MedianCPU is the median CPU time of runs.
func MedianCPU(runs []Run) time.Duration {
	return Median(runs, func(r Run) time.Duration { return r.CPU })
}

// Median is the median of f over xs (mean of the middle two for an even
// count), 0 for none.
func Median[T any](xs []T, f func(T) time.Duration) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	ds := make([]time.Duration, len(xs))
	for i, x := range xs {
		ds[i] = f(x)
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}
