package fetch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gbggen/gbggen/generator"
	"github.com/gbggen/gbggen/idwise"
	"github.com/gbggen/gbggen/idwise/flow"
)

const idwiseUsage = `usage: gbggen fetch -idwise-flow FLOW_ID [-region eu|uae|qatar | -base-url URL] [-prefix P] [-timeout D] -out FILE.json|DIR

Writes the definition of an IDWise flow: its ID and steps (step_id, type, title), the input of
gbggen generate's idwise.flows. NOTE: IDWise lists a flow's steps only in the answer to
start-journey, so fetch STARTS A JOURNEY OF THE FLOW ON YOUR ACCOUNT, with the reference
gbggen-fetch-<random> and no applicant details, reads its steps and deletes the journey again
(DELETE /journey/ID), also when anything fails or the command is interrupted. Should the
delete fail, the journey ID is printed so that it can be deleted by hand. Against the emulator
(gbggen serve) nothing is at stake.

The file (-out FILE.json, or DIR/<flow_id>.json) holds the canonical definition: members in a
fixed order, step IDs as strings, two-space indent, final newline; it is written whole (temp
file + rename) and only when everything succeeded.

Credentials come from the environment, never from flags: IDWISE_API_KEY and IDWISE_API_SECRET.
They are never printed. IDWISE_BASE_URL, when set, stands in for -base-url (unless -region is
given).

Exit status: 0 written, 2 bad usage, or the API or the file system failed (nothing written).
`

// isIDWise reports whether args ask for an IDWise flow.
func isIDWise(args []string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "idwise-flow" {
			return true
		}
		if a == "--" {
			break
		}
	}
	return false
}

// runIDWise is fetch -idwise-flow.
func runIDWise(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("fetch", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, idwiseUsage) }
	flowID := fset.String("idwise-flow", "", "IDWise flow ID")
	region := fset.String("region", "eu", "IDWise region: eu, uae or qatar")
	baseURL := fset.String("base-url", "", "host URL instead of the region's, e.g. an emulator's")
	prefix := fset.String("prefix", "", "path prefix of the Journey Builder calls (default "+idwise.DefaultPathPrefix+")")
	out := fset.String("out", "", "flow definition file to write (FILE.json, or a directory for <flow_id>.json)")
	timeout := fset.Duration("timeout", 2*time.Minute, "give up after this long (the journey is still deleted)")
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["base-url"] && !set["region"] {
		*baseURL = getenv("IDWISE_BASE_URL")
	}
	switch {
	case fset.NArg() > 0:
		fmt.Fprintf(stderr, "gbggen fetch: unexpected argument %q\n", fset.Arg(0))
		return exitUsage
	case strings.TrimSpace(*flowID) == "":
		fmt.Fprint(stderr, "gbggen fetch: -idwise-flow needs a flow ID\n\n"+idwiseUsage)
		return exitUsage
	case *out == "":
		fmt.Fprint(stderr, "gbggen fetch: -out is required\n\n"+idwiseUsage)
		return exitUsage
	case set["region"] && set["base-url"]:
		fmt.Fprintln(stderr, "gbggen fetch: give -region or -base-url, not both")
		return exitUsage
	case *timeout <= 0:
		fmt.Fprintln(stderr, "gbggen fetch: -timeout must be positive")
		return exitUsage
	}
	cfg := idwise.Config{Region: idwise.Region(*region), BaseURL: *baseURL, PathPrefix: *prefix,
		APIKey: getenv("IDWISE_API_KEY"), APISecret: getenv("IDWISE_API_SECRET")}
	if cfg.APIKey == "" || cfg.APISecret == "" {
		fmt.Fprintln(stderr, "gbggen fetch: set IDWISE_API_KEY and IDWISE_API_SECRET")
		return exitUsage
	}
	client, err := idwise.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "gbggen fetch: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	fmt.Fprintf(stderr, "gbggen fetch: starting a journey of flow %s on %s to read its steps; it is deleted afterwards\n", *flowID, client.BaseURL())
	def, err := fetchFlow(ctx, client, *flowID, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gbggen fetch: %v\nnothing written\n", err)
		return exitUsage
	}
	path := *out
	if !strings.HasSuffix(path, ".json") {
		path = filepath.Join(path, flowFileName(def.FlowID))
	}
	if err := generator.WriteFiles([]generator.File{{Path: path, Content: def.Indented()}}); err != nil {
		fmt.Fprintf(stderr, "gbggen fetch: %v\nnothing written\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %s (def %s, %d steps, digest %s)\n", path, def.FlowID, len(def.Steps), def.Digest())
	return exitOK
}

// fetchFlow starts a journey of flowID, takes the steps of its answer and deletes it,
// whatever happens in between.
func fetchFlow(ctx context.Context, client *idwise.Client, flowID string, log io.Writer) (_ *flow.Flow, err error) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	ref := "gbggen-fetch-" + hex.EncodeToString(b[:])
	j, err := client.StartJourney(ctx, idwise.StartRequest{FlowID: flowID, ReferenceNo: ref})
	if err != nil {
		return nil, fmt.Errorf("starting a journey of flow %s: %w", flowID, err)
	}
	fmt.Fprintf(log, "gbggen fetch: started journey %s (reference %s)\n", j.JourneyID, ref)
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if derr := client.DeleteJourney(dctx, j.JourneyID); derr != nil {
			err = errors.Join(err, fmt.Errorf("deleting journey %s failed, delete it by hand (DELETE /journey/%[1]s): %w", j.JourneyID, derr))
			return
		}
		fmt.Fprintf(log, "gbggen fetch: deleted journey %s\n", j.JourneyID)
	}()
	if len(j.Steps) == 0 {
		return nil, fmt.Errorf("the start-journey answer lists no step of flow %s", flowID)
	}
	def := &flow.Flow{FlowID: flowID}
	for _, st := range j.Steps {
		d := st.Definition
		def.Steps = append(def.Steps, flow.Step{StepID: string(d.StepID), Type: string(d.Type), Title: d.Title})
	}
	// The answer must make a definition generate accepts.
	if _, err := flow.Parse("the start-journey answer", def.Canonical()); err != nil {
		return nil, err
	}
	return def, nil
}

// flowFileName is <flow_id>.json, named as schema files are, so that an ID cannot name a
// path outside the directory.
func flowFileName(id string) string { return schemaFileName(id) }
