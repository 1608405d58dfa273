package bench

import (
	"strings"
	"testing"
)

// Output of `GOEXPERIMENT=jsonv2 go test -run '^$' -bench
// '^(BenchmarkDecodeValidate|BenchmarkUnmarshalCeiling)$' ./bench`, trimmed.
const goBenchSample = `goos: linux
goarch: amd64
pkg: github.com/gbggen/gbggen/bench
cpu: Intel(R) Xeon(R) Processor
BenchmarkDecodeValidate/valid/generated-2         	     354	    589577 ns/op	  48.11 MB/s	   46191 B/op	    1840 allocs/op
BenchmarkUnmarshalCeiling/invalid-2       	    2450	     87896 ns/op	 322.22 MB/s	       0 B/op	       0 allocs/op
BenchmarkProcess 	       1	1234567890 ns/op	  41000000 gbggen-ns/schema	         0.5100 gbggen/go-jsonschema
PASS
ok  	github.com/gbggen/gbggen/bench	1.194s
`

func TestParseGoBench(t *testing.T) {
	res, err := ParseGoBench(strings.NewReader(goBenchSample))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d results, want 3: %+v", len(res), res)
	}
	g := res[0]
	if g.Name != "BenchmarkDecodeValidate/valid/generated" || g.Procs != 2 || g.N != 354 {
		t.Errorf("first line: %+v", g)
	}
	for unit, want := range map[string]float64{"ns/op": 589577, "MB/s": 48.11, "B/op": 46191, "allocs/op": 1840} {
		if got := g.Values[unit]; got != want {
			t.Errorf("first line %s = %v, want %v", unit, got, want)
		}
	}
	if c := res[1]; c.Name != "BenchmarkUnmarshalCeiling/invalid" || c.Values["allocs/op"] != 0 || c.Values["MB/s"] != 322.22 {
		t.Errorf("second line: %+v", c)
	}
	// GOMAXPROCS 1: no suffix; custom metrics kept.
	if p := res[2]; p.Name != "BenchmarkProcess" || p.Procs != 1 || p.N != 1 || p.Values["gbggen/go-jsonschema"] != 0.51 {
		t.Errorf("third line: %+v", p)
	}
}

func TestParseGoBenchMalformed(t *testing.T) {
	for _, line := range []string{
		"BenchmarkDecodeValidate/valid/generated-2   \t--- FAIL: BenchmarkDecodeValidate/valid/generated-2",
		"BenchmarkUnmarshalCeiling/valid-2  \t    2450\t     87896 ns/op\t 322.22",      // value without unit
		"BenchmarkUnmarshalCeiling/valid-2  \t    2450\t     87896 ms\t 322.22 MB/s",    // no ns/op
		"BenchmarkUnmarshalCeiling/valid-2  \t    many\t     87896 ns/op\t 322.22 MB/s", // no count
		"BenchmarkUnmarshalCeiling/valid-2  \t    2450\t     fast ns/op\t 322.22 MB/s",  // value not a number
		"BenchmarkUnmarshalCeiling/valid-2",
	} {
		if res, err := ParseGoBench(strings.NewReader("goos: linux\n" + line + "\nPASS\n")); err == nil {
			t.Errorf("%q: no error, parsed as %+v", line, res)
		} else if !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%q: error does not name line 2: %v", line, err)
		}
	}
}
