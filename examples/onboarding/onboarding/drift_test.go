package onboarding_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/examples/onboarding/onboarding"
	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/sandbox"
)

// TestCheckSchemasAgainstTheEmulator starts the journey on the emulator at the version the
// types were generated from (2), where nothing has drifted, and at version 1, whose Address,
// Personal details and Identity document schemas differ. The emulator serves the schemas as
// written in sandbox/demo; the code holds the digests of schemas/tasks: the two sides agree
// only if the canonical forms do.
func TestCheckSchemasAgainstTheEmulator(t *testing.T) {
	srv, err := sandbox.New()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	cr := sandbox.DefaultCredentials
	client, err := gbg.New(gbg.Config{BaseURL: ts.URL, ClientID: cr.ClientID, ClientSecret: cr.ClientSecret, Username: cr.Username, Password: cr.Password})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := func(resource string) string {
		t.Helper()
		inst, err := client.StartJourney(ctx, resource, nil) // no prefill: every task is pending
		if err != nil {
			t.Fatal(err)
		}
		return inst.InstanceID
	}

	drift, err := onboarding.CheckOnboardingSchemas(ctx, client, start(onboarding.ResourceID))
	if err != nil {
		t.Fatal(err)
	}
	if len(drift) != 0 {
		t.Errorf("version 2, which the types come from: drift %v, want none", drift)
	}

	v1 := strings.TrimSuffix(onboarding.ResourceID, "@2") + "@1"
	drift, err = onboarding.CheckOnboardingSchemas(ctx, client, start(v1))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	digests := onboarding.TaskSchemaDigests()
	for _, d := range drift {
		keys = append(keys, d.Key)
		if d.Want != digests[d.Key] || d.Got == "" || d.Got == d.Want || d.TaskID == "" {
			t.Errorf("%+v: want the generated digest against another one, with the task ID", d)
		}
		if !strings.Contains(d.String(), "task "+d.Key+" ("+d.TaskID+")") {
			t.Errorf("String() = %q", d.String())
		}
	}
	slices.Sort(keys)
	if want := []string{"address", "document", "personal-details"}; !slices.Equal(keys, want) {
		t.Errorf("version 1: drift in %v, want %v", keys, want)
	}
}
