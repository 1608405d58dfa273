package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// The bodies of this package run in cmd/benchtable's own process, built the
// way `go run` builds it. A body that has to run under another build (item 4
// under GOEXPERIMENT=jsonv2, where encoding/json's v1 API is implemented on
// encoding/json/v2) runs in this package's test binary built that way, and
// its standard benchmark output is parsed back.

// BuildTestBinary builds this package's test binary into dir with env added
// to the environment of `go test -c` (e.g. "GOEXPERIMENT=jsonv2").
func BuildTestBinary(dir string, env ...string) (string, error) {
	bin := filepath.Join(dir, "bench.test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, "github.com/gbggen/gbggen/bench")
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s go test -c: %v\n%s", strings.Join(env, " "), err, out)
	}
	return bin, nil
}

// RunTestBinary runs the benchmarks of a test binary from BuildTestBinary
// that match pattern (go test's -bench), once each, with the corpus at
// corpusDir, and returns their results.
func RunTestBinary(bin, corpusDir, pattern, benchtime string) ([]GoBenchResult, error) {
	cmd := exec.Command(bin, "-test.run", "^$", "-test.bench", pattern, "-test.benchtime", benchtime, "-test.count", "1")
	cmd.Env = append(os.Environ(), "GBGGEN_CORPUS="+corpusDir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s -test.bench %s: %v\n%s%s", filepath.Base(bin), pattern, err, out, stderr.Bytes())
	}
	res, err := ParseGoBench(bytes.NewReader(out))
	if err != nil {
		return nil, err
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("%s -test.bench %s: no benchmark ran\n%s", filepath.Base(bin), pattern, out)
	}
	return res, nil
}

// GoBenchResult is one result line of the standard benchmark output,
//
//	BenchmarkDecodeValidate/valid/generated-2   283   801067 ns/op   35.41 MB/s   47080 B/op   1840 allocs/op
type GoBenchResult struct {
	// Name is the benchmark's full name without the -GOMAXPROCS suffix
	// ("BenchmarkDecodeValidate/valid/generated").
	Name  string
	Procs int // GOMAXPROCS, from the suffix; 1 when there is none
	N     int // iterations
	// Values maps each unit to its value: "ns/op", "MB/s", "B/op",
	// "allocs/op" and any metric of b.ReportMetric.
	Values map[string]float64
}

// ParseGoBench reads standard benchmark output and returns its result
// lines in order. Lines that do not start with "Benchmark" (goos:, PASS,
// ok, logs) are skipped; a line that does but is not a result (a name then
// "--- FAIL", a value without its unit) is an error naming the line.
//
// As in golang.org/x/perf/benchfmt, a trailing "-N" of the name is read as
// GOMAXPROCS: a sub-benchmark named like "x-3" run with GOMAXPROCS 1 would
// lose its "-3".
func ParseGoBench(r io.Reader) ([]GoBenchResult, error) {
	var out []GoBenchResult
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if !strings.HasPrefix(text, "Benchmark") {
			continue
		}
		res, err := parseGoBenchLine(text)
		if err != nil {
			return nil, fmt.Errorf("benchmark output line %d: %v: %q", line, err, text)
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

func parseGoBenchLine(text string) (GoBenchResult, error) {
	f := strings.Fields(text)
	if len(f) < 4 || len(f)%2 != 0 {
		return GoBenchResult{}, fmt.Errorf("want a name, an iteration count and value-unit pairs, have %d fields", len(f))
	}
	res := GoBenchResult{Name: f[0], Procs: 1, Values: map[string]float64{}}
	if i := strings.LastIndexByte(f[0], '-'); i > 0 {
		if p, err := strconv.Atoi(f[0][i+1:]); err == nil && p > 0 {
			res.Name, res.Procs = f[0][:i], p
		}
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n <= 0 {
		return GoBenchResult{}, fmt.Errorf("iteration count %q", f[1])
	}
	res.N = n
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return GoBenchResult{}, fmt.Errorf("value %q", f[i])
		}
		if _, dup := res.Values[f[i+1]]; dup {
			return GoBenchResult{}, fmt.Errorf("unit %q twice", f[i+1])
		}
		res.Values[f[i+1]] = v
	}
	if _, ok := res.Values["ns/op"]; !ok {
		return GoBenchResult{}, fmt.Errorf("no ns/op")
	}
	return res, nil
}
