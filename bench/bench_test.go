package bench

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// The Go benchmarks: `go test -bench . ./bench/...`. `make bench` runs the
// same bodies through cmd/benchtable and prints them as tables.

func BenchmarkGenerateContext(b *testing.B) { GenerateContext(b) }

func BenchmarkGenerateCorpus(b *testing.B) { GenerateCorpus(b) }

func BenchmarkValidate(b *testing.B) {
	for _, valid := range []bool{true, false} {
		b.Run(validity(valid)+"/generated", ValidateGenerated(valid))
		b.Run(validity(valid)+"/santhosh", ValidateSanthosh(valid))
	}
	b.Run("small/generated", ValidateGeneratedOn(SmallPrefill, true))
	b.Run("small/santhosh", ValidateSanthoshOn(SmallPrefill, true))
}

func BenchmarkDecodeValidate(b *testing.B) {
	for _, valid := range []bool{true, false} {
		b.Run(validity(valid)+"/generated", DecodeValidateGenerated(valid))
		b.Run(validity(valid)+"/santhosh", DecodeValidateSanthosh(valid))
		b.Run(validity(valid)+"/direct", DecodeValidateDirect(valid))
	}
}

// BenchmarkUnmarshalCeiling is the ceiling of BenchmarkDecodeValidate's
// generated side: json.Unmarshal of the same bytes into a type whose
// UnmarshalJSON returns nil, i.e. encoding/json's own share of the time (run it
// with and without GOEXPERIMENT=jsonv2 to see both implementations of v1's API).
func BenchmarkUnmarshalCeiling(b *testing.B) {
	for _, valid := range []bool{true, false} {
		b.Run(validity(valid), UnmarshalCeiling(valid))
	}
}

func BenchmarkScaleProperties(b *testing.B) {
	for _, n := range ScaleProperties {
		b.Run(fmt.Sprint(n), GenerateScaled(PropertiesSchema(n), n, "property"))
	}
}

func BenchmarkScaleDepth(b *testing.B) {
	for _, d := range ScaleDepths {
		b.Run(fmt.Sprintf("%d/same-name", d), GenerateScaled(DepthSchema(d, true), d, "level"))
		b.Run(fmt.Sprintf("%d/distinct-names", d), GenerateScaled(DepthSchema(d, false), d, "level"))
	}
}

// BenchmarkProcess is item 1 as a Go benchmark: each op runs gbggen, then
// go-jsonschema, as processes on the next schema of an evenly spread
// sample of 20 SchemaStore schemas both accept. The metrics are the mean
// wall time per schema of each tool and their ratio.
func BenchmarkProcess(b *testing.B) {
	dir := Corpus(b)
	bins, err := tools()
	if err != nil {
		b.Skip(err) // go-jsonschema needs the module proxy
	}
	paths, err := SchemaStoreSchemas(dir)
	if err != nil {
		b.Fatal(err)
	}
	a, c := Gbggen(bins[0]), GoJSONSchema(bins[1])
	out := b.TempDir()
	var sample []string
	for _, p := range Sample(paths, 30) {
		if RunTool(a, p, out+"/a.go").Err == nil && RunTool(c, p, out+"/b.go").Err == nil {
			sample = append(sample, p)
		}
		if len(sample) == 20 {
			break
		}
	}
	b.ResetTimer()
	var ta, tc float64
	for i := range b.N {
		s := sample[i%len(sample)]
		ra := RunTool(a, s, out+"/a.go")
		rc := RunTool(c, s, out+"/b.go")
		if ra.Err != nil || rc.Err != nil {
			b.Fatal(ra.Err, rc.Err)
		}
		ta += float64(ra.Wall.Nanoseconds())
		tc += float64(rc.Wall.Nanoseconds())
	}
	b.ReportMetric(ta/float64(b.N), "gbggen-ns/schema")
	b.ReportMetric(tc/float64(b.N), "go-jsonschema-ns/schema")
	b.ReportMetric(ta/tc, "gbggen/go-jsonschema")
}

var (
	toolDir string
	tools   = sync.OnceValues(func() ([2]string, error) {
		var err error
		if toolDir, err = os.MkdirTemp("", "gbggen-bench-"); err != nil {
			return [2]string{}, err
		}
		gb, gj, err := BuildTools(toolDir)
		return [2]string{gb, gj}, err
	})
)

func TestMain(m *testing.M) {
	code := m.Run()
	CleanRebuild()
	if toolDir != "" {
		os.RemoveAll(toolDir)
	}
	os.Exit(code)
}

func validity(valid bool) string {
	if valid {
		return "valid"
	}
	return "invalid"
}

// BenchmarkRebuild is item 6: go build of the context package after a change, gbggen's
// output against go-jsonschema's.
func BenchmarkRebuild(b *testing.B) {
	bins, err := tools()
	if err != nil {
		b.Skip(err)
	}
	gb, gj := Rebuild(bins[1])
	b.Run("gbggen", gb)
	b.Run("go-jsonschema", gj)
}
