// Command benchtable runs the gbggen benchmarks of issue 6 (items 1–5) in
// one process and prints them as tables of ratios, headed by the machine
// they ran on. `make bench` runs it.
//
// Items 2–5 are the Go benchmark bodies of package bench, run through
// testing.Benchmark; the two sides of every comparison alternate (A B A B
// …, -count rounds) and the tables show medians. Item 1 runs gbggen and
// go-jsonschema as one process per schema, strictly alternating, after
// building both binaries once.
//
// Usage:
//
//	go run ./bench/cmd/benchtable [-reps 3] [-sample 0] [-count 3] [-benchtime 1s] [-only 4]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/gbggen/gbggen/bench"
	"github.com/gbggen/gbggen/bench/internal/corpus"
)

func main() {
	testing.Init()
	reps := flag.Int("reps", 3, "item 1: timed runs of each tool per schema")
	sample := flag.Int("sample", 0, "item 1: number of SchemaStore schemas, evenly spread (0 = all)")
	count := flag.Int("count", 3, "items 1 (in-process) to 5: rounds of each Go benchmark; medians are shown")
	benchtime := flag.String("benchtime", "1s", "items 1 (in-process) to 5: run time of each Go benchmark")
	gbggenBin := flag.String("gbggen", "", "gbggen binary (default: built from this module)")
	gjBin := flag.String("go-jsonschema", "", "go-jsonschema binary (default: go install "+bench.GoJSONSchemaModule+")")
	skipProcess := flag.Bool("skip-process", false, "skip item 1's process-per-schema comparison")
	only := flag.String("only", "", "comma-separated tables to print, of "+strings.Join(tables, ",")+" (default: all)")
	flag.Parse()
	want, err := selected(*only)
	if err != nil {
		fatalf("-only: %v", err)
	}
	if err := flag.Set("test.benchtime", *benchtime); err != nil {
		fatalf("-benchtime: %v", err)
	}
	if *count < 1 || *reps < 1 {
		fatalf("-count and -reps must be at least 1")
	}
	start := time.Now()
	dir, err := corpus.Dir()
	if err != nil {
		fatalf("%v", err)
	}
	// The tables are collected and printed together at the end, after the
	// progress lines on stderr.
	w := &out
	machine(w, dir)
	fmt.Fprintf(w, "settings: -reps %d -sample %d -count %d -benchtime %s", *reps, *sample, *count, *benchtime)
	if *only != "" {
		fmt.Fprintf(w, " -only %s", *only)
	}
	fmt.Fprintln(w)

	// Item 1 runs both generators as commands and item 6 compiles go-jsonschema's output:
	// either builds them (or takes them from the flags).
	runProcess := !*skipProcess && want("1")
	if runProcess || want("6") {
		tmp, err := os.MkdirTemp("", "gbggen-benchtable-")
		if err != nil {
			fatalf("%v", err)
		}
		defer os.RemoveAll(tmp)
		if *gbggenBin == "" || *gjBin == "" {
			gb, gj, err := bench.BuildTools(tmp)
			if err != nil {
				fatalf("building the generators: %v\n(pass -go-jsonschema BIN, or -skip-process -only with neither 1 nor 6)", err)
			}
			if *gbggenBin == "" {
				*gbggenBin = gb
			}
			if *gjBin == "" {
				*gjBin = gj
			}
		}
		if runProcess {
			if err := processTable(w, dir, tmp, *gbggenBin, *gjBin, *sample, *reps); err != nil {
				fatalf("%v", err)
			}
		}
	}
	r := runner{count: *count}
	if want("1b") {
		inProcessTable(w, &r)
	}
	if want("2") {
		contextTable(w, &r)
	}
	if want("3") {
		validateTable(w, &r)
	}
	if want("4") {
		decodeTable(w, &r, dir, *benchtime)
	}
	if want("5") {
		scalingTable(w, &r)
	}
	if want("6") {
		rebuildTable(w, &r, *gjBin)
		defer bench.CleanRebuild()
	}
	fmt.Fprintf(w, "\ndone in %s; load average at the end: %s\n", time.Since(start).Round(time.Second), loadavg())
	os.Stdout.Write(out.Bytes())
	if r.failed {
		os.Exit(1)
	}
}

// tables are the names of the tables, for -only.
var tables = []string{"1", "1b", "2", "3", "4", "5", "6"}

// selected returns whether -only (a comma-separated list of tables, empty
// for all) selects a table.
func selected(only string) (func(string) bool, error) {
	if only == "" {
		return func(string) bool { return true }, nil
	}
	set := map[string]bool{}
	for _, t := range strings.Split(only, ",") {
		t = strings.TrimSpace(t)
		if !slices.Contains(tables, t) {
			return nil, fmt.Errorf("no table %q (have %s)", t, strings.Join(tables, ", "))
		}
		set[t] = true
	}
	return func(t string) bool { return set[t] }, nil
}

// out collects the tables.
var out bytes.Buffer

func fatalf(format string, args ...any) {
	os.Stdout.Write(out.Bytes())
	fmt.Fprintf(os.Stderr, "benchtable: "+format+"\n", args...)
	os.Exit(1)
}

// machine prints what the figures were taken on.
func machine(w io.Writer, corpusDir string) {
	model := "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	fmt.Fprintln(w, "gbggen benchmarks (issue 6, items 1–5)")
	fmt.Fprintf(w, "machine: nproc %d, GOMAXPROCS %d, CPU %s, %s %s/%s\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "load average at the start: %s\n", loadavg())
	fmt.Fprintf(w, "corpus: %s\n", corpusDir)
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func heading(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("-", len([]rune(title))))
}

func table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

// processTable is item 1: one process per schema for both tools.
func processTable(w io.Writer, dir, tmp, gbggenBin, gjBin string, sample, reps int) error {
	paths, err := bench.SchemaStoreSchemas(dir)
	if err != nil {
		return err
	}
	schemas := bench.Sample(paths, sample)
	a, b := bench.Gbggen(gbggenBin), bench.GoJSONSchema(gjBin)
	heading(w, fmt.Sprintf("1. Generation, one process per schema: %d of %d SchemaStore schemas, %d runs each, A B A B", len(schemas), len(paths), reps))
	out := filepath.Join(tmp, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// Warm both binaries and the page cache; not timed.
	for _, s := range schemas[:min(len(schemas), 5)] {
		bench.RunTool(a, s, filepath.Join(out, "a.go"))
		bench.RunTool(b, s, filepath.Join(out, "b.go"))
	}
	floor, err := startupFloor(a, b, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchtable: gbggen and go-jsonschema as processes on %d schemas, %d passes ", len(schemas), reps)
	res := bench.CompareProcesses(a, b, schemas, reps, out, os.Stderr)
	fmt.Fprintln(os.Stderr)

	var both []bench.SchemaTimes
	var failA, failB []string
	var onlyA []time.Duration // gbggen medians over every schema it accepts
	for _, r := range res {
		errA, errB := r.FailedA(), r.FailedB()
		if errA != nil {
			failA = append(failA, errA.Error())
		} else {
			onlyA = append(onlyA, bench.MedianWall(r.A))
		}
		if errB != nil {
			failB = append(failB, strings.TrimSuffix(filepath.Base(r.Schema), ".json"))
		}
		if errA == nil && errB == nil {
			both = append(both, r)
		}
	}
	if len(both) == 0 {
		return fmt.Errorf("no schema that both generators accept")
	}
	type side struct {
		total, totalCPU time.Duration
		medians         []time.Duration
	}
	var sa, sb side
	var ratios []time.Duration // per-schema ratio ×1000, to reuse Median
	for _, r := range both {
		ma, mb := bench.MedianWall(r.A), bench.MedianWall(r.B)
		sa.total += ma
		sb.total += mb
		sa.totalCPU += bench.MedianCPU(r.A)
		sb.totalCPU += bench.MedianCPU(r.B)
		sa.medians = append(sa.medians, ma)
		sb.medians = append(sb.medians, mb)
		ratios = append(ratios, time.Duration(1000*float64(ma)/float64(mb)))
	}
	id := func(d time.Duration) time.Duration { return d }
	t := table(w)
	fmt.Fprintf(t, "over the %d schemas both accept\tgbggen\tgo-jsonschema\tgbggen / go-jsonschema\t\n", len(both))
	fmt.Fprintf(t, "total wall time (sum of per-schema medians)\t%s\t%s\t%.2f\t\n", dur(float64(sa.total)), dur(float64(sb.total)), ratio(sa.total, sb.total))
	fmt.Fprintf(t, "total CPU time, user+sys (sum of per-schema medians)\t%s\t%s\t%.2f\t\n", dur(float64(sa.totalCPU)), dur(float64(sb.totalCPU)), ratio(sa.totalCPU, sb.totalCPU))
	ma, mb := bench.Median(sa.medians, id), bench.Median(sb.medians, id)
	// One schema on which go-jsonschema is pathologically slow can carry the total; the
	// total without it shows what the typical schema gives.
	slow := slices.Index(sb.medians, slices.Max(sb.medians))
	ta, tb := sa.total-sa.medians[slow], sb.total-sb.medians[slow]
	fmt.Fprintf(t, "total wall time without go-jsonschema's slowest schema (%s)\t%s\t%s\t%.2f\t\n",
		filepath.Base(both[slow].Schema), dur(float64(ta)), dur(float64(tb)), ratio(ta, tb))
	fmt.Fprintf(t, "median per schema\t%s\t%s\t%.2f\t\n", ms(ma), ms(mb), ratio(ma, mb))
	fmt.Fprintf(t, "median of per-schema ratios\t\t\t%.2f\t\n", float64(bench.Median(ratios, id))/1000)
	fmt.Fprintf(t, "slowest schema\t%s\t%s\t\t\n", ms(slices.Max(sa.medians)), ms(slices.Max(sb.medians)))
	fmt.Fprintf(t, "schemas failed (of %d)\t%d\t%d\t\t\n", len(schemas), len(failA), len(failB))
	fa, fb := floor[0], floor[1]
	fmt.Fprintf(t, "startup floor: a one-property schema, median of %d\t%s\t%s\t%.2f\t\n", floorRuns, ms(fa), ms(fb), ratio(fa, fb))
	t.Flush()
	fmt.Fprintf(w, "target (issue 17): gbggen takes at most 0.8 of go-jsonschema's time (ratio ≤ 0.80): %s\n", verdict(ratio(sa.total, sb.total) <= 0.8))
	for _, f := range failA {
		fmt.Fprintf(w, "gbggen failed: %s\n", f)
	}
	if len(failB) > 0 {
		fmt.Fprintf(w, "go-jsonschema failed on: %s\n", strings.Join(failB, ", "))
	}
	var totalA time.Duration
	for _, d := range onlyA {
		totalA += d
	}
	processMean = totalA / time.Duration(max(len(onlyA), 1))
	return nil
}

// floorRuns is how many times startupFloor runs each tool.
const floorRuns = 15

// startupFloor is each tool's median wall time on a one-property schema:
// process start-up and fixed costs, next to no generation work.
func startupFloor(a, b bench.Tool, out string) ([2]time.Duration, error) {
	tiny := filepath.Join(out, "tiny.json")
	if err := os.WriteFile(tiny, []byte(`{"type":"object","properties":{"name":{"type":"string"}}}`), 0o644); err != nil {
		return [2]time.Duration{}, err
	}
	var ra, rb []bench.Run
	for range floorRuns {
		ra = append(ra, bench.RunTool(a, tiny, filepath.Join(out, "a.go")))
		rb = append(rb, bench.RunTool(b, tiny, filepath.Join(out, "b.go")))
	}
	for _, r := range append(ra, rb...) {
		if r.Err != nil {
			return [2]time.Duration{}, r.Err
		}
	}
	return [2]time.Duration{bench.MedianWall(ra), bench.MedianWall(rb)}, nil
}

// processMean is gbggen's mean wall time per schema as a process (item 1),
// for comparison with the in-process loop; 0 when not measured.
var processMean time.Duration

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// runner runs Go benchmark bodies through testing.Benchmark.
type runner struct {
	count  int
	failed bool
}

// result is the median of several testing.Benchmark runs.
type result struct {
	ns, bytes, allocs float64 // per op
	extra             map[string]float64
	ok                bool
}

// run runs the bodies in rounds, one after the other within a round
// (A B A B …), and returns each one's median.
func (r *runner) run(names []string, fs ...func(*testing.B)) []result {
	return r.runThen(names, nil, fs...)
}

// runThen is run, calling then (when not nil) at the end of every round:
// work measured outside this process alternates with the bodies.
func (r *runner) runThen(names []string, then func(), fs ...func(*testing.B)) []result {
	all := make([][]testing.BenchmarkResult, len(fs))
	what := names[0]
	if len(names) > 1 {
		what += fmt.Sprintf(" and %d more", len(names)-1)
	}
	fmt.Fprintf(os.Stderr, "benchtable: %s, %d rounds ", what, r.count)
	for range r.count {
		for i, f := range fs {
			all[i] = append(all[i], testing.Benchmark(f))
		}
		if then != nil {
			then()
		}
		fmt.Fprint(os.Stderr, ".")
	}
	fmt.Fprintln(os.Stderr)
	out := make([]result, len(fs))
	for i, rs := range all {
		out[i] = median(rs)
		if !out[i].ok {
			fmt.Fprintf(os.Stderr, "benchtable: %s failed or was skipped\n", names[i])
			r.failed = true
		}
	}
	return out
}

func median(rs []testing.BenchmarkResult) result {
	var ns, by, al []float64
	extra := map[string][]float64{}
	for _, r := range rs {
		if r.N == 0 {
			return result{}
		}
		ns = append(ns, float64(r.NsPerOp()))
		by = append(by, float64(r.AllocedBytesPerOp()))
		al = append(al, float64(r.AllocsPerOp()))
		for k, v := range r.Extra {
			extra[k] = append(extra[k], v)
		}
	}
	res := result{ns: med(ns), bytes: med(by), allocs: med(al), extra: map[string]float64{}, ok: true}
	for k, v := range extra {
		res.extra[k] = med(v)
	}
	return res
}

func med(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func dur(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func size(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// inProcessTable is item 1's second half: the whole corpus in one process.
func inProcessTable(w io.Writer, r *runner) {
	heading(w, "1b. Generation in one process: every SchemaStore schema, a loop of generator.Generate calls")
	res := r.run([]string{"GenerateCorpus"}, bench.GenerateCorpus)[0]
	if !res.ok {
		fmt.Fprintln(w, "failed")
		return
	}
	t := table(w)
	fmt.Fprintf(t, "schemas\tfailed\twhole corpus\tper schema\tallocated per schema\tallocs per schema\tvs one process per schema\t\n")
	n := res.extra["schemas"]
	vs := "not measured"
	if processMean > 0 {
		vs = fmt.Sprintf("%.2f (%s a process)", res.extra["ns/schema"]/float64(processMean), ms(processMean))
	}
	fmt.Fprintf(t, "%.0f\t%.0f\t%s\t%s\t%s\t%.0f\t%s\t\n", n, res.extra["failed"], dur(res.ns), dur(res.extra["ns/schema"]),
		size(res.bytes/n), res.allocs/n, vs)
	t.Flush()
}

// contextTable is item 2.
func contextTable(w io.Writer, r *runner) {
	heading(w, "2. Generation of GBG's context schema (generator.Generate, schema in memory)")
	res := r.run([]string{"GenerateContext"}, bench.GenerateContext)[0]
	if !res.ok {
		fmt.Fprintln(w, "failed")
		return
	}
	t := table(w)
	fmt.Fprintf(t, "time per run\tallocated per run\tallocs per run\t\n")
	fmt.Fprintf(t, "%s\t%s\t%.0f\t\n", dur(res.ns), size(res.bytes), res.allocs)
	t.Flush()
}

// validateTable is item 3.
func validateTable(w io.Writer, r *runner) {
	heading(w, "3. Validate a decoded GBG context prefill: generated code vs santhosh-tekuri/jsonschema/v6 (AssertFormat)")
	t := table(w)
	fmt.Fprintf(t, "prefill\tgenerated\tallocs\tbytes\tsanthosh\tallocs\tbytes\tspeed-up\ttarget ≥ 50×\ttarget 0 allocs\t\n")
	for _, p := range []struct {
		name  string
		data  []byte
		valid bool
	}{{"small", bench.SmallPrefill, true}, {"valid", bench.ValidPrefill, true}, {"invalid", bench.InvalidPrefill, false}} {
		v, valid := p.name, p.valid
		res := r.run([]string{"Validate/" + v + "/generated", "Validate/" + v + "/santhosh"},
			bench.ValidateGeneratedOn(p.data, valid), bench.ValidateSanthoshOn(p.data, valid))
		g, s := res[0], res[1]
		if !g.ok || !s.ok {
			fmt.Fprintf(t, "%s\tfailed\t\t\t\t\t\t\t\t\t\n", v)
			continue
		}
		speedUp, allocs := "n/a", "n/a"
		if v == "small" { // issue 17's targets are for a small real prefill
			speedUp, allocs = verdict(s.ns/g.ns >= 50), verdict(g.allocs == 0)
		}
		fmt.Fprintf(t, "%s\t%s\t%.0f\t%s\t%s\t%.0f\t%s\t%.1f×\t%s\t%s\t\n", v, dur(g.ns), g.allocs, size(g.bytes),
			dur(s.ns), s.allocs, size(s.bytes), s.ns/g.ns, speedUp, allocs)
	}
	t.Flush()
	fmt.Fprintln(w, "speed-up is santhosh's time over the generated code's; the targets (issue 17) are for the small prefill")
	fmt.Fprintf(w, "prefills: bench/testdata/prefill-small.json (%s: name, birth date, address, email, phone), prefill-valid.json (%s, every section filled), prefill-invalid.json (%d places wrong)\n",
		size(float64(len(bench.SmallPrefill))), size(float64(len(bench.ValidPrefill))), bench.InvalidViolations)
}

// jsonv2Env is the build of item 4's second path, in which encoding/json's
// v1 API (the same json.Unmarshal call) is implemented on encoding/json/v2.
const jsonv2Env = "GOEXPERIMENT=jsonv2"

// decodeTable is item 4, on two builds: this process's (encoding/json v1
// unless benchtable itself was built with jsonv2) and package bench's test
// binary built with jsonv2Env, run once at the end of every round so the two
// builds alternate. Each build has a ceiling row: json.Unmarshal into a
// type whose UnmarshalJSON does nothing.
func decodeTable(w io.Writer, r *runner, corpusDir, benchtime string) {
	heading(w, "4. Bytes to verdict: json.Unmarshal into the generated type + Validate vs jsonschema.UnmarshalJSON + santhosh")
	const pattern = "^(BenchmarkDecodeValidate|BenchmarkUnmarshalCeiling)$"
	v2 := map[string][]bench.GoBenchResult{}
	tmp, err := os.MkdirTemp("", "gbggen-benchtable-jsonv2-")
	if err != nil {
		fatalf("%v", err)
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(os.Stderr, "benchtable: building package bench's test binary with %s; every round of item 4 runs it once\n", jsonv2Env)
	bin, v2err := bench.BuildTestBinary(tmp, jsonv2Env)
	then := func() {
		if v2err != nil {
			return
		}
		res, err := bench.RunTestBinary(bin, corpusDir, pattern, benchtime)
		if err != nil {
			v2err = err
			return
		}
		for _, x := range res {
			v2[x.Name] = append(v2[x.Name], x)
		}
	}
	var names []string
	var fs []func(*testing.B)
	for _, valid := range []bool{true, false} {
		v := validity(valid)
		names = append(names, "DecodeValidate/"+v+"/generated", "DecodeValidate/"+v+"/santhosh", "UnmarshalCeiling/"+v, "DecodeValidate/"+v+"/direct")
		fs = append(fs, bench.DecodeValidateGenerated(valid), bench.DecodeValidateSanthosh(valid), bench.UnmarshalCeiling(valid),
			bench.DecodeValidateDirect(valid))
	}
	v1 := r.runThen(names, then, fs...)
	if v2err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %s: %v\n", jsonv2Env, v2err)
		r.failed = true
	}
	// fromV2 is the median of the jsonv2 rounds of one benchmark.
	fromV2 := func(name string) result {
		rs := v2[name]
		if v2err != nil || len(rs) != r.count {
			return result{}
		}
		var ns, by, al []float64
		for _, x := range rs {
			ns = append(ns, x.Values["ns/op"])
			by = append(by, x.Values["B/op"])
			al = append(al, x.Values["allocs/op"])
		}
		return result{ns: med(ns), bytes: med(by), allocs: med(al), ok: true}
	}

	t := table(w)
	fmt.Fprintf(t, "prefill\tjson.Unmarshal\tgenerated\tthroughput\tallocs\tbytes\tencoding/json's share\tsanthosh\tallocs\tbytes\tspeed-up\ttarget ≥ 150 MB/s\t\n")
	for i, valid := range []bool{true, false} {
		v := validity(valid)
		mb := float64(len(bench.Prefill(valid))) / 1e6
		paths := []struct {
			label, short   string
			gen, san, ceil result
		}{
			{"v1 (default build)", "v1", v1[4*i], v1[4*i+1], v1[4*i+2]},
			{"v2 (" + jsonv2Env + ")", "v2", fromV2("BenchmarkDecodeValidate/" + v + "/generated"), fromV2("BenchmarkDecodeValidate/" + v + "/santhosh"),
				fromV2("BenchmarkUnmarshalCeiling/" + v)},
		}
		if thisBuildJSONv2() {
			paths[0].label, paths[0].short = "v2 (benchtable built with "+jsonv2Env+")", "this build's"
		}
		for _, p := range paths {
			g, s, c := p.gen, p.san, p.ceil
			if !g.ok || !s.ok || !c.ok {
				fmt.Fprintf(t, "%s\t%s\tfailed\t\t\t\t\t\t\t\t\t\t\n", v, p.label)
				continue
			}
			through, ceiling := mb/(g.ns/1e9), mb/(c.ns/1e9)
			fmt.Fprintf(t, "%s\t%s\t%s\t%.0f MB/s\t%.0f\t%s\t%.0f%%\t%s\t%.0f\t%s\t%.2f×\t%s\t\n", v, p.label, dur(g.ns), through, g.allocs, size(g.bytes),
				100*c.ns/g.ns, dur(s.ns), s.allocs, size(s.bytes), s.ns/g.ns, verdict(through >= 150))
			reach := "reachable"
			if ceiling < 150 {
				reach = "NOT reachable"
			}
			fmt.Fprintf(t, "%s\t%s ceiling\t%s\t%.0f MB/s\t%.0f\t%s\t\t\t\t\t\t%s\t\n", v, p.short, dur(c.ns), ceiling, c.allocs, size(c.bytes), reach)
		}
		if d := v1[4*i+3]; d.ok {
			fmt.Fprintf(t, "%s\t%s\t%s\t%.0f MB/s\t%.0f\t%s\t\t\t\t\t\t%s\t\n", v, "none: UnmarshalJSON called", dur(d.ns), mb/(d.ns/1e9), d.allocs, size(d.bytes), verdict(mb/(d.ns/1e9) >= 150))
		}
	}
	t.Flush()
	fmt.Fprintln(w, "speed-up is santhosh's time over the generated code's, in the same build: below 1× the generated path is slower")
	fmt.Fprintln(w, "ceiling rows: json.Unmarshal of the same bytes into a type whose UnmarshalJSON returns nil (BenchmarkUnmarshalCeiling), i.e. encoding/json's own work on that path (v1: checkValid, then a skip scan), the most any UnmarshalJSON can reach; encoding/json's share is the ceiling's time over the path's")
	fmt.Fprintln(w, "none rows: the generated UnmarshalJSON called directly, then Validate (DecodeValidateDirect): the generated code's own share of every path")
	fmt.Fprintf(w, "%s rows: package bench's test binary built with %s (json.Unmarshal's v1 API on encoding/json/v2), run once per round after this process's rows\n", jsonv2Env, jsonv2Env)
}

// thisBuildJSONv2 reports whether benchtable itself was built with the
// jsonv2 experiment, so that its "default" rows are not encoding/json v1.
func thisBuildJSONv2() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "GOEXPERIMENT" {
			return slices.Contains(strings.Split(s.Value, ","), "jsonv2")
		}
	}
	return false
}

// rebuildTable is item 6: compiling the context package again after a change.
func rebuildTable(w io.Writer, r *runner, gjBin string) {
	heading(w, "6. Rebuild of the package generated from GBG's context schema (go build, dependencies cached)")
	gb, gj := bench.Rebuild(gjBin)
	res := r.run([]string{"Rebuild/gbggen", "Rebuild/go-jsonschema"}, gb, gj)
	if !res[0].ok || !res[1].ok {
		fmt.Fprintln(w, "failed")
		return
	}
	t := table(w)
	fmt.Fprintf(t, "gbggen's output (Validate, exact decoding)\tgo-jsonschema's output\tratio\ttarget ≤ 2×\t\n")
	fmt.Fprintf(t, "%s\t%s\t%.2f×\t%s\t\n", dur(res[0].ns), dur(res[1].ns), res[0].ns/res[1].ns, verdict(res[0].ns/res[1].ns <= 2))
	t.Flush()
}

// scalingTable is item 5. It prints; it asserts nothing.
func scalingTable(w io.Writer, r *runner) {
	heading(w, "5. Scaling of generation with schema size (synthetic schemas)")
	type row struct {
		label, unit string
		n           int
		f           func(*testing.B)
	}
	var rows []row
	for _, n := range bench.ScaleProperties {
		rows = append(rows, row{"properties (flat object)", "property", n, bench.GenerateScaled(bench.PropertiesSchema(n), n, "property")})
	}
	for _, d := range bench.ScaleDepths {
		rows = append(rows, row{"depth, member \"child\" at every level", "level", d, bench.GenerateScaled(bench.DepthSchema(d, true), d, "level")})
	}
	for _, d := range bench.ScaleDepths {
		rows = append(rows, row{"depth, members \"level1\", \"level2\", …", "level", d, bench.GenerateScaled(bench.DepthSchema(d, false), d, "level")})
	}
	names := make([]string, len(rows))
	fs := make([]func(*testing.B), len(rows))
	for i, x := range rows {
		names[i] = fmt.Sprintf("Scale %s %d", x.label, x.n)
		fs[i] = x.f
	}
	res := r.run(names, fs...)
	t := table(w)
	fmt.Fprintf(t, "schema\tsize\ttotal\tper unit\tper unit vs smallest\tallocated\tallocated per unit\tallocs per unit\tgenerated code\t\n")
	var firstPerUnit float64 // per-unit time of the smallest schema of the group
	for i, x := range rows {
		g := res[i]
		if i == 0 || rows[i-1].label != x.label {
			firstPerUnit = 0
			if g.ok {
				firstPerUnit = g.ns / float64(x.n)
			}
		}
		if !g.ok {
			fmt.Fprintf(t, "%s\t%d\tfailed\t\t\t\t\t\t\t\n", x.label, x.n)
			continue
		}
		n := float64(x.n)
		fmt.Fprintf(t, "%s\t%d\t%s\t%s/%s\t%.2f\t%s\t%s/%s\t%.0f\t%s\t\n", x.label, x.n, dur(g.ns), dur(g.ns/n), x.unit,
			(g.ns/n)/firstPerUnit, size(g.bytes), size(g.bytes/n), x.unit, g.allocs/n, size(g.extra["out-bytes"]))
	}
	t.Flush()
	fmt.Fprintln(w, "flat per-unit time and per-unit memory mean linear total time and memory; nothing here is asserted")
}

func validity(valid bool) string {
	if valid {
		return "valid"
	}
	return "invalid"
}
