package pendingtest

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/examples/onboarding/onboarding"
	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/internal/emutest"
	"github.com/gbggen/gbggen/internal/pendingtest/account"
	"github.com/gbggen/gbggen/sandbox"
	"github.com/gbggen/gbggen/validate"
)

// journey is one journey of the table: how to predict, how to start, and the schema files
// of its tasks (in the journey's order), from which the emulator's tasks are told apart.
type journey struct {
	keys    []string
	files   map[string]string // task key → schema file
	start   func(ctx context.Context, c *gbg.Client, prefill any) (*gbg.StartResult, error)
	predict func(prefill any) []gbg.PendingTask
	subject func(prefill any) any // the prefill's subject, for a v2 start
	version string                // resource ID on the emulator, for the v2 start
}

type prefillCase struct {
	name string
	// prefill is the prefill; want the keys of the tasks it leaves pending, as stated by
	// reading the schemas, so that prediction and emulator cannot agree on a wrong answer.
	prefill any
	want    []string
}

func str(s string) *string { return &s }

var passport = onboarding.Document{Type: str("Passport"), Side1Image: str("iVBORw0KGgo="), Country: str("GBR")}

// ada returns a complete Onboarding prefill changed by edit.
func ada(edit func(*onboarding.Context)) onboarding.Context {
	p := onboarding.NewOnboardingPrefill(onboarding.DeliveryAPI, "Ada", []string{"Lovelace"}, "1815-12-10", "SW1Y 4JH", "GBR",
		[]onboarding.Email{{Type: "home", Email: "ada@example.org"}}, []onboarding.Document{passport})
	if edit != nil {
		edit(&p)
	}
	return p
}

func onboardingCases() []prefillCase {
	id := func(edit func(*onboarding.Identity)) onboarding.Context {
		return ada(func(c *onboarding.Context) { edit(c.Subject.Identity) })
	}
	all := []string{"personal-details", "address", "contact", "document"}
	return []prefillCase{
		{"complete", ada(nil), nil},
		{"missing firstName", id(func(i *onboarding.Identity) { i.FirstName = nil }), []string{"personal-details"}},
		{"missing lastNames", id(func(i *onboarding.Identity) { i.LastNames = nil }), []string{"personal-details"}},
		{"missing dateOfBirth", id(func(i *onboarding.Identity) { i.DateOfBirth = nil }), []string{"personal-details"}},
		{"missing postalCode", id(func(i *onboarding.Identity) { i.CurrentAddress.PostalCode = nil }), []string{"address"}},
		{"missing country", id(func(i *onboarding.Identity) { i.CurrentAddress.Country = nil }), []string{"address"}},
		{"missing currentAddress", id(func(i *onboarding.Identity) { i.CurrentAddress = nil }), []string{"address"}},
		{"missing emails", id(func(i *onboarding.Identity) { i.Emails = nil }), []string{"contact"}},
		{"missing documents", ada(func(c *onboarding.Context) { c.Subject.Documents = nil }), []string{"document"}},
		{"missing side1Image", ada(func(c *onboarding.Context) {
			c.Subject.Documents = []onboarding.Document{{Type: str("Passport")}}
		}), []string{"document"}},
		{"empty last name", id(func(i *onboarding.Identity) { i.LastNames = []string{""} }), []string{"personal-details"}},
		// The journey schema rejects these: GBG drops them, so the task lacks them.
		{"dropped dateOfBirth", id(func(i *onboarding.Identity) { i.DateOfBirth = str("10/12/1815") }), []string{"personal-details"}},
		{"dropped country", id(func(i *onboarding.Identity) { i.CurrentAddress.Country = str("gb") }), []string{"address"}},
		// The journey schema accepts these, the task's does not.
		{"wrong email type", id(func(i *onboarding.Identity) { i.Emails[0].Type = "private" }), []string{"contact"}},
		{"wrong email address", id(func(i *onboarding.Identity) { i.Emails[0].Email = "ada-at-example.org" }), []string{"contact"}},
		{"wrong document type", ada(func(c *onboarding.Context) { c.Subject.Documents[0].Type = str("Visa") }), []string{"document"}},
		// Dropped, but no task needs it: nothing pending.
		{"dropped optional country", ada(func(c *onboarding.Context) { c.Subject.Documents[0].Country = str("gb") }), nil},
		{"empty subject", onboarding.Context{Config: onboarding.Config{Delivery: onboarding.DeliveryAPI}}, all},
		{"two tasks short", id(func(i *onboarding.Identity) {
			i.FirstName = nil
			i.Emails = nil
		}), []string{"personal-details", "contact"}},
	}
}

// grace returns a complete Account prefill changed by edit.
func grace(edit func(*account.Identity)) account.Context {
	p := account.NewAccountPrefill(account.DeliveryAPI, "1906-12-09",
		[]account.PreviousAddress{{FromDate: "1950-01-01", ToDate: "1960-01-01", PostalCode: str("10001")}},
		[]account.IDNumber{{Type: "SSN", IDNumber: "123-45-6789"}},
		[]account.Phone{{Type: "mobile", Number: "+1 555 0100"}})
	if edit != nil {
		edit(p.Subject.Identity)
	}
	return p
}

func accountCases() []prefillCase {
	return []prefillCase{
		{"complete", grace(nil), nil},
		{"missing phones", grace(func(i *account.Identity) { i.Phones = nil }), []string{"phone"}},
		{"wrong phone number", grace(func(i *account.Identity) { i.Phones[0].Number = "0123" }), []string{"phone"}},
		{"wrong phone type", grace(func(i *account.Identity) { i.Phones[0].Type = "pager" }), []string{"phone"}},
		{"missing previous postalCode", grace(func(i *account.Identity) { i.PreviousAddresses[0].PostalCode = nil }), []string{"previous-address"}},
		// The journey schema's pattern rejects an empty toDate: GBG drops it, and then the
		// element whole (it lacks a member the journey schema requires), which leaves the
		// task's array empty.
		{"dropped previous address", grace(func(i *account.Identity) { i.PreviousAddresses[0].ToDate = "" }), []string{"previous-address"}},
		{"short ID number", grace(func(i *account.Identity) { i.IDNumbers[0].IDNumber = "12" }), []string{"id-number"}},
		{"dropped dateOfBirth", grace(func(i *account.Identity) { i.DateOfBirth = str("9 Dec 1906") }), []string{"id-number"}},
		{"one element of two dropped", grace(func(i *account.Identity) {
			bad := account.PreviousAddress{FromDate: "1940-01-01", PostalCode: str("20001")}
			bad.Lines = []string{"no toDate"}
			i.PreviousAddresses = append([]account.PreviousAddress{bad}, i.PreviousAddresses...)
		}), nil},
		{"empty subject", account.Context{Config: account.Config{Delivery: account.DeliveryAPI}}, []string{"phone", "previous-address", "id-number"}},
	}
}

func TestPendingTasksMatchTheEmulator(t *testing.T) {
	emu := emutest.New(t)
	accountID := publishAccount(t, emu.Server)
	client, err := gbg.New(gbg.Config{BaseURL: emu.URL, TokenURL: emu.URL + "/as/token.oauth2",
		ClientID: sandbox.DefaultCredentials.ClientID, ClientSecret: sandbox.DefaultCredentials.ClientSecret,
		Username: sandbox.DefaultCredentials.Username, Password: sandbox.DefaultCredentials.Password})
	if err != nil {
		t.Fatal(err)
	}
	journeys := map[string]journey{
		"Onboarding": {
			keys:  []string{"personal-details", "address", "contact", "document"},
			files: schemaFiles("../../examples/onboarding/schemas/tasks", "personal-details", "address", "contact", "document"),
			start: func(ctx context.Context, c *gbg.Client, p any) (*gbg.StartResult, error) {
				return onboarding.StartOnboarding(ctx, c, p.(onboarding.Context), onboarding.SkipValidation())
			},
			predict: func(p any) []gbg.PendingTask { return onboarding.PendingOnboardingTasks(p.(onboarding.Context)) },
			subject: func(p any) any { return p.(onboarding.Context).Subject },
			version: onboarding.ResourceID,
		},
		"Account": {
			keys:  []string{"phone", "previous-address", "id-number"},
			files: schemaFiles("schemas/tasks", "phone", "previous-address", "id-number"),
			start: func(ctx context.Context, c *gbg.Client, p any) (*gbg.StartResult, error) {
				return account.StartAccount(ctx, c, p.(account.Context), account.SkipValidation(), account.WithResourceID(accountID))
			},
			predict: func(p any) []gbg.PendingTask { return account.PendingAccountTasks(p.(account.Context)) },
			subject: func(p any) any { return p.(account.Context).Subject },
			version: accountID,
		},
	}
	cases := map[string][]prefillCase{"Onboarding": onboardingCases(), "Account": accountCases()}
	for _, name := range []string{"Onboarding", "Account"} {
		j := journeys[name]
		for _, c := range cases[name] {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				ctx := context.Background()
				predicted := j.predict(c.prefill)
				if got := keysOf(predicted); !slices.Equal(got, c.want) {
					t.Errorf("predicted %v, want %v\n%v", got, c.want, predicted)
				}
				if got := emulatorPending(t, ctx, client, j, c.prefill); !slices.Equal(got, keysOf(predicted)) {
					t.Errorf("the emulator left %v pending, the prediction says %v", got, keysOf(predicted))
				}
				if len(predicted) > 0 {
					// v2 names what the first pending task lacks: the prediction's pointers.
					want := refs(predicted[0].Violations)
					if got := outstanding(t, ctx, client, j, c.prefill); !slices.Equal(got, want) {
						t.Errorf("task %s: the emulator says it lacks %v, the prediction %v", predicted[0].Key, got, want)
					}
				}
			})
		}
	}
}

func TestPendingPointersAreRootedAtTheContext(t *testing.T) {
	got := onboarding.PendingOnboardingTasks(ada(func(c *onboarding.Context) { c.Subject.Identity.CurrentAddress.PostalCode = nil }))
	if len(got) != 1 || got[0].Key != "address" || got[0].Title != "Address" {
		t.Fatalf("got %v", got)
	}
	v := got[0].Violations
	if len(v) != 1 || v[0].Pointer != "/subject/identity/currentAddress/postalCode" || v[0].Keyword != "required" {
		t.Fatalf("violations %v, want one at /subject/identity/currentAddress/postalCode", v)
	}
	got = onboarding.PendingOnboardingTasks(ada(func(c *onboarding.Context) { c.Subject.Identity.Emails[0].Type = "private" }))
	if len(got) != 1 || len(got[0].Violations) != 1 || got[0].Violations[0].Pointer != "/subject/identity/emails/0/type" ||
		got[0].Violations[0].Keyword != "enum" {
		t.Fatalf("got %v, want an enum violation at /subject/identity/emails/0/type", got)
	}
}

func TestRefusePendingSendsNothing(t *testing.T) {
	emu := emutest.New(t)
	client, err := gbg.New(gbg.Config{BaseURL: emu.URL, TokenURL: emu.URL + "/as/token.oauth2", ClientID: sandbox.DefaultCredentials.ClientID,
		ClientSecret: sandbox.DefaultCredentials.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	short := ada(func(c *onboarding.Context) {
		c.Subject.Identity.CurrentAddress.PostalCode = nil
		c.Subject.Documents = nil
	})
	_, err = onboarding.StartOnboarding(ctx, client, short, onboarding.RefusePending())
	var perr *gbg.PendingTasksError
	if !errors.As(err, &perr) {
		t.Fatalf("err %v, want a *gbg.PendingTasksError", err)
	}
	if got := keysOf(perr.Tasks); !slices.Equal(got, []string{"address", "document"}) {
		t.Errorf("tasks %v", got)
	}
	for _, want := range []string{"journey Onboarding not started", "address (Address): /subject/identity/currentAddress/postalCode: missing",
		"document (Identity document): /subject/documents: missing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if calls := emu.JourneyCalls(); slices.Contains(calls, "start") {
		t.Errorf("a start was sent: %v", calls)
	}
	// The default is unchanged: the same prefill starts.
	if _, err := onboarding.StartOnboarding(ctx, client, short); err != nil {
		t.Fatalf("without RefusePending: %v", err)
	}
	if _, err := onboarding.StartOnboarding(ctx, client, ada(nil), onboarding.RefusePending()); err != nil {
		t.Fatalf("a complete prefill with RefusePending: %v", err)
	}
	if n := countOf(emu.JourneyCalls(), "start"); n != 2 {
		t.Errorf("%d starts sent, want 2", n)
	}
}

func publishAccount(t *testing.T, srv *sandbox.Server) string {
	t.Helper()
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	v := sandbox.Version{Version: "1", Schema: read("../../examples/onboarding/schemas/journey.schema.json")}
	for _, k := range []string{"phone", "previous-address", "id-number"} {
		v.Tasks = append(v.Tasks, sandbox.Task{Key: k, Schema: read(filepath.Join("schemas", "tasks", k+".json"))})
	}
	id, err := srv.Publish("account", v)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func schemaFiles(dir string, keys ...string) map[string]string {
	m := map[string]string{}
	for _, k := range keys {
		m[k] = filepath.Join(dir, k+".json")
	}
	return m
}

// emulatorPending starts the journey on the emulator and returns the keys of the tasks it
// lists as pending, in the journey's order.
func emulatorPending(t *testing.T, ctx context.Context, c *gbg.Client, j journey, prefill any) []string {
	t.Helper()
	inst, err := j.start(ctx, c, prefill)
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.TaskSchemas(ctx, inst.InstanceID)
	if err != nil {
		t.Fatal(err)
	}
	pending := map[string]bool{}
	for _, s := range list.Schemas {
		pending[keyOf(t, j, s)] = true
	}
	var out []string
	for _, k := range j.keys {
		if pending[k] {
			out = append(out, k)
		}
	}
	return out
}

// keyOf finds which task schema file the emulator's schema is.
func keyOf(t *testing.T, j journey, raw json.RawMessage) string {
	t.Helper()
	var got any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	for k, f := range j.files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var want any
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if jsonEqual(got, want) {
			return k
		}
	}
	t.Fatalf("the emulator lists a task schema of none of the files: %s", raw)
	return ""
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// outstanding starts the journey with v2 (API-first) and returns what the emulator says its
// current interaction still lacks.
func outstanding(t *testing.T, ctx context.Context, c *gbg.Client, j journey, prefill any) []string {
	t.Helper()
	inst, err := c.StartJourneyV2(ctx, j.version, gbg.DeliveryAPI, j.subject(prefill))
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.FetchInteraction(ctx, inst.InstanceID)
	if err != nil {
		t.Fatal(err)
	}
	return in.Outstanding
}

// refs turns violation pointers (/subject/identity/firstName) into interaction refs
// (identity/firstName), each once, in order.
func refs(vs validate.Errors) []string {
	var out []string
	for _, v := range vs {
		r := strings.TrimPrefix(v.Pointer, "/subject/")
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func keysOf(ts []gbg.PendingTask) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Key)
	}
	return out
}

func countOf(xs []string, x string) int {
	n := 0
	for _, e := range xs {
		if e == x {
			n++
		}
	}
	return n
}
