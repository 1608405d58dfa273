// Package bench measures gbggen (issue 6, "Benchmarks" items 1–5).
//
// Every measurement is an ordinary Go benchmark body, func(*testing.B),
// exported from this package so that two drivers share it:
//
//   - `go test -bench . ./bench/...` runs them as Go benchmarks
//     (bench_test.go wraps each one);
//   - `make bench` runs cmd/benchtable, which calls the same bodies through
//     testing.Benchmark, interleaving the two sides of every comparison
//     (A B A B …, -count rounds, medians shown), and prints the tables as
//     ratios measured in one run, headed by the machine they ran on.
//
// The items:
//
//  1. Generation against github.com/atombender/go-jsonschema, one process
//     per SchemaStore schema for both tools, strictly alternating (Tool,
//     RunTool, CompareProcesses; BenchmarkProcess); and gbggen in one
//     process over the whole corpus (GenerateCorpus).
//  2. Generation of GBG's context schema (GenerateContext).
//  3. Validate on a decoded prefill, generated code against
//     santhosh-tekuri/jsonschema/v6 with formats asserted
//     (ValidateGenerated, ValidateSanthosh).
//  4. Bytes to verdict, both ways (DecodeValidateGenerated,
//     DecodeValidateSanthosh), with encoding/json's own cost as a ceiling
//     (UnmarshalCeiling); cmd/benchtable also runs them in this package's
//     test binary built with GOEXPERIMENT=jsonv2 (BuildTestBinary,
//     RunTestBinary, ParseGoBench).
//  5. Generation of synthetic schemas of growing size (PropertiesSchema,
//     DepthSchema, GenerateScaled). Printed only: no timing is asserted
//     anywhere.
//
// Inputs: the shared corpus (internal/corpus: $GBGGEN_CORPUS or
// ../shared/corpus; a missing corpus skips, or fails when CI is set), the
// prefills in testdata/ and the types in gbgcontext/, generated from GBG's
// context schema by `go generate` (internal/gencontext).
package bench
