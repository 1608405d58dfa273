// Command onboarding runs a whole GBG GO identity-verification journey with the Go types
// gbggen generated from the journey's schemas, and tells the story as it goes.
//
// It signs in, builds a typed prefill that leaves one required field out (Validate points
// at it; the demo sends it anyway to show what GBG does: a task becomes pending), lists the
// pending tasks, fetches a task's schema, completes that task with a typed payload, hands the
// identity-document task to the end user's phone (device start and connect), and waits for
// the journey to complete. It exits 0 only if the journey completed.
//
// Where it runs:
//
//	onboarding                    # no configuration: starts the emulator inside the program
//	onboarding -emulate           # the same, even when GBG_* variables are set
//	onboarding -base-url URL      # an emulator started with `gbgserve` (or GBG_BASE_URL)
//
// With GBG_CLIENT_ID, GBG_CLIENT_SECRET, GBG_USERNAME, GBG_PASSWORD and GBG_RESOURCE_ID set
// (GBG_REGION optional: eu, us or au; GBG_TOKEN_URL for a non-production token endpoint),
// the same program runs against the real GBG GO API; the journey must be published from the
// schemas in ./schemas. Without GBG_USERNAME it uses the client-credentials grant.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gbggen/gbggen/examples/onboarding/onboarding"
	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/sandbox"
)

// Exit codes.
const (
	exitCompleted  = 0 // the journey completed
	exitIncomplete = 1 // it did not (failed, timed out, or a call went wrong)
	exitUsage      = 2 // bad flags or configuration
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the whole program; main_test.go calls it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("onboarding", flag.ContinueOnError)
	fs.SetOutput(stderr)
	emulate := fs.Bool("emulate", false, "start the gbggen emulator inside this program and use it (the default when nothing else is configured)")
	baseURL := fs.String("base-url", getenv("GBG_BASE_URL"), "API base URL, e.g. of `gbgserve` (env GBG_BASE_URL)")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up when the journey has not completed after this long")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "onboarding: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	t, err := chooseTarget(*emulate, *baseURL, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "onboarding: %v\n", err)
		return exitUsage
	}

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	s := &story{w: stdout}
	s.title("Onboarding: a GBG GO journey with typed Go, from start to finish")
	if t.emulate {
		url, creds, stop, err := startEmulator(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "onboarding: %v\n", err)
			return exitIncomplete
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintf(stderr, "onboarding: %v\n", err)
			}
		}()
		t.useEmulator(url, creds)
		t.where = "the gbggen emulator, started inside this program at " + url
	}
	s.say("Target:  %s", t.where)
	if t.resourceID == "" {
		s.say("Journey: Onboarding %s (the resource ID in the generated code)", onboarding.ResourceID)
	} else {
		s.say("Journey: %s (GBG_RESOURCE_ID)", t.resourceID)
	}

	completed, err := demo(ctx, s, t)
	if err != nil {
		s.blank()
		fmt.Fprintf(stderr, "onboarding: %v\n", err)
		return exitIncomplete
	}
	if !completed {
		return exitIncomplete
	}
	return exitCompleted
}

// target is where the demo runs and how it signs in.
type target struct {
	where      string // for the reader; never holds a secret
	cfg        gbg.Config
	resourceID string // "" means onboarding.ResourceID, which the generated code is for
	emulate    bool
}

// useEmulator points t at an emulator at url that accepts creds.
func (t *target) useEmulator(url string, creds sandbox.Credentials) {
	t.cfg = gbg.Config{
		BaseURL:      url,
		TokenURL:     url + "/as/token.oauth2",
		ClientID:     creds.ClientID,
		ClientSecret: creds.ClientSecret,
		Username:     creds.Username,
		Password:     creds.Password,
	}
}

// chooseTarget decides where to run: -emulate wins; then the real API when GBG_CLIENT_ID is
// set; then the emulator at baseURL; and with nothing configured, the in-process emulator.
// The journey is onboarding.ResourceID unless GBG_RESOURCE_ID names another (the same
// journey published on your tenant, say); the real API needs it.
func chooseTarget(emulate bool, baseURL string, getenv func(string) string) (target, error) {
	resourceID := getenv("GBG_RESOURCE_ID")
	switch {
	case emulate:
		return target{emulate: true}, nil

	case getenv("GBG_CLIENT_ID") != "":
		var missing []string
		for _, k := range []string{"GBG_CLIENT_SECRET", "GBG_RESOURCE_ID"} {
			if getenv(k) == "" {
				missing = append(missing, k)
			}
		}
		if getenv("GBG_USERNAME") != "" && getenv("GBG_PASSWORD") == "" {
			missing = append(missing, "GBG_PASSWORD")
		}
		if len(missing) > 0 {
			return target{}, fmt.Errorf("GBG_CLIENT_ID is set, so the demo would run against the GBG GO API, but %s %s not set",
				strings.Join(missing, " and "), map[bool]string{true: "is", false: "are"}[len(missing) == 1])
		}
		if !strings.Contains(resourceID, "@") {
			resourceID += "@latest"
		}
		region := gbg.Region(getenv("GBG_REGION"))
		t := target{resourceID: resourceID, cfg: gbg.Config{
			Region:       region,
			BaseURL:      baseURL,
			TokenURL:     getenv("GBG_TOKEN_URL"),
			ClientID:     getenv("GBG_CLIENT_ID"),
			ClientSecret: getenv("GBG_CLIENT_SECRET"),
			Username:     getenv("GBG_USERNAME"),
			Password:     getenv("GBG_PASSWORD"),
		}}
		host := baseURL
		if host == "" {
			host = region.BaseURL()
			if host == "" {
				return target{}, fmt.Errorf("GBG_REGION=%q: want eu, us or au", region)
			}
		}
		t.where = "the GBG GO API at " + host
		return t, nil

	case baseURL != "":
		t := target{resourceID: resourceID, where: "the gbggen emulator at " + baseURL}
		t.useEmulator(strings.TrimSuffix(baseURL, "/"), sandbox.DefaultCredentials)
		return t, nil

	default:
		return target{emulate: true}, nil
	}
}

// story prints numbered steps in plain words.
type story struct {
	w    io.Writer
	step int
}

func (s *story) title(text string) { fmt.Fprintf(s.w, "%s\n\n", text) }

func (s *story) begin(text string) {
	s.step++
	fmt.Fprintf(s.w, "\n%d. %s\n", s.step, text)
}

func (s *story) say(format string, args ...any) {
	fmt.Fprintf(s.w, "   "+format+"\n", args...)
}

func (s *story) blank() { fmt.Fprintln(s.w) }
