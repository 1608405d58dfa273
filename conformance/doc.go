// Package conformance measures the generator against real-world schemas:
// every SchemaStore schema and every JSON-Schema-Test-Suite group of
// ../shared/corpus is generated into its own package of one temporary
// module, compiled in one go build, and exercised by one driver binary
// whose verdicts are compared with github.com/santhosh-tekuri/jsonschema/v6
// (formats asserted). Run it with
//
//	go test ./conformance/ -run Conformance -v
//
// and raise baseline.json with -args -update-baseline when figures rise.
package conformance
