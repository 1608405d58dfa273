# gbggen: every target uses only the Go toolchain and the tools pinned in go.mod.
GO ?= go
# The test corpora live beside the repository; override with GBGGEN_CORPUS=/path/to/corpus.
export GBGGEN_CORPUS ?= $(abspath ../shared/corpus)
# Packages with concurrency worth running under the race detector.
RACE_PKGS = ./gbg/... ./idwise/... ./sandbox/...

.PHONY: all generate fresh lint test test-unit test-race fuzz demo bench

all: test

## generate: regenerate every committed generated file (oapi-codegen, gbggen examples).
generate:
	$(GO) generate ./...

## fresh: fail when committed generated code differs from what `go generate` makes.
fresh: generate
	@git diff --exit-code --stat -- . || { echo "generated code is stale: run 'make generate' and commit the result" >&2; exit 1; }
	@new=$$(git ls-files --others --exclude-standard -- '*.go' | xargs -r grep -l '^// Code generated' 2>/dev/null); \
	test -z "$$new" || { echo "go generate made new files, commit them: $$new" >&2; exit 1; }

## lint: gofmt, go vet and staticcheck over everything, generated code included.
lint:
	@unformatted=$$(git ls-files '*.go' | xargs gofmt -l); \
	test -z "$$unformatted" || { echo "not gofmt'ed: $$unformatted" >&2; exit 1; }
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

# Every go test gets an explicit -timeout: go test's default (10 minutes per package binary)
# once killed the conformance package on a loaded 2-core machine, where it needs several
# minutes. TESTTIMEOUT is per package binary, generous against what a loaded 2-core machine
# takes (conformance: see the Development section of README.md), and still leaves the whole of
# make test inside CI's 90 minutes should one package hang. FUZZTIMEOUT covers one fuzz
# target: FUZZTIME of fuzzing plus its seed corpus and the minimizing of what it finds.
TESTTIMEOUT ?= 20m
FUZZTIMEOUT ?= 5m

## test-unit: all tests.
test-unit:
	$(GO) test -count=1 -timeout $(TESTTIMEOUT) ./...

## test-race: the concurrent packages, and the generator's parallel formatting, under the race detector.
test-race:
	$(GO) test -count=1 -timeout $(TESTTIMEOUT) -race $(RACE_PKGS)
	$(GO) test -count=1 -timeout $(TESTTIMEOUT) -race -short -run 'TestChunkedFormat' ./generator/

## demo: build examples/onboarding and run a whole Onboarding journey with the generated types,
## against the emulator started inside the example (or, with GBG_CLIENT_ID, GBG_CLIENT_SECRET,
## GBG_USERNAME, GBG_PASSWORD and GBG_RESOURCE_ID set, against the GBG GO API). Exit 0 only if
## the journey completed. Then examples/idwise runs an IDWise journey with the generated flow
## helpers against the emulator inside it and prints its decision (exit 0 only if it finished).
demo:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) build -o "$$tmp/onboarding" ./examples/onboarding && \
	"$$tmp/onboarding" && \
	$(GO) build -o "$$tmp/idwise" ./examples/idwise && \
	"$$tmp/idwise"

## fuzz: run every fuzz target for FUZZTIME each (seed corpora run in test-unit anyway). A
## failing input fails the target; Go's fuzzing engine sometimes ends a run that found nothing
## with a bare "context deadline exceeded" at the -fuzztime boundary (golang/go#75804, fixed in
## Go 1.27), which does not. Each input that finds new coverage is minimized first, for up to
## a minute by default, with no executions counted meanwhile: on this project's targets that
## ate most of a short run (5,000 executions in 30 s against 450,000 in 20 s with a 1 s limit),
## so minimizing gets FUZZMINIMIZE. The last status line of each target is printed.
FUZZTIME ?= 10s
FUZZMINIMIZE ?= 1s
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for t in $$(grep -h '^func Fuzz' $$f/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
			echo "fuzz $$f $$t ($(FUZZTIME))"; \
			if ! $(GO) test -run=NONE -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZE) -timeout $(FUZZTIMEOUT) $$f > /tmp/gbggen-fuzz.log 2>&1; then \
				if grep -q 'Failing input written to\|panic:' /tmp/gbggen-fuzz.log || ! grep -q 'context deadline exceeded' /tmp/gbggen-fuzz.log; then \
					cat /tmp/gbggen-fuzz.log; exit 1; \
				fi; \
				echo "  (the fuzzing engine timed out at the end of -fuzztime with no failing input: not a finding)"; \
			fi; \
			grep '^fuzz: elapsed' /tmp/gbggen-fuzz.log | tail -1 | sed 's/^/  /'; \
		done; \
	done

## test: what CI runs: lint, all tests, race tests, short fuzzing, and the generated-code
## freshness check.
test: lint test-unit test-race fuzz fresh

## bench: issue 6's benchmarks (items 1-5) printed as tables of ratios from one run, headed by
## the machine. Needs the corpus and, for go-jsonschema, the module proxy. Pass flags with
## BENCHFLAGS, e.g. BENCHFLAGS="-sample 100 -reps 5" (see go run ./bench/cmd/benchtable -h).
bench:
	$(GO) run ./bench/cmd/benchtable $(BENCHFLAGS)
