// Package bench measures gbggen (issue 6, "Benchmarks" items 1–5).
//
// Every measurement is an ordinary Go benchmark body, func(*testing.B),
// exported from this package so that two drivers share it:
//
//   - `go test -bench . ./bench/...` runs them as Go benchmarks
//     (bench_test.go wraps each one);
//   - `make bench` runs cmd/benchtable, which calls the same bodies through
//     testing.Benchmark, interleaving the two sides of every comparison
//     (A B A B …), and prints the tables as ratios measured in one run,
//     headed by the machine they ran on.
//
// The process-per-schema comparison with go-jsonschema (item 1) is not a
// b.N loop but a fixed, alternating pass over the SchemaStore schemas; its
// code (Tool, RunTool, CompareProcesses) lives here too, and
// BenchmarkProcess drives it as a Go benchmark.
//
// Inputs: the shared corpus (see internal/corpus), the committed prefills
// in testdata/ and the committed types in gbgcontext/ generated from GBG's
// context schema. Nothing here asserts a timing.
package bench
