package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gbggen/gbggen/examples/onboarding/onboarding"
	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/validate"
)

// demo runs the journey and reports whether it completed. An error means a call failed.
func demo(ctx context.Context, s *story, t target) (bool, error) {
	// 1. Sign in. The client fetches an OAuth 2 token on its first call and renews it
	// itself; Health is a cheap first call.
	s.begin("Sign in")
	client, err := gbg.New(t.cfg)
	if err != nil {
		return false, err
	}
	msg, err := client.Health(ctx)
	if err != nil {
		return false, fmt.Errorf("signing in: %w", err)
	}
	grant := "client-credentials"
	if t.cfg.Username != "" {
		grant = "password"
	}
	s.say("Signed in with the OAuth 2 %s grant; the journey service answers %q.", grant, msg)

	// 2. The prefill, built with the types generated from GBG's published context schema
	// (schemas/journey.schema.json) and the journey's task schemas. In the context schema
	// almost everything is optional, so Validate alone cannot say whether a prefill is
	// enough; what the journey needs is what its tasks' schemas require.
	// NewOnboardingPrefill takes every such value, so forgetting one does not compile. The
	// demo then loses the postcode on purpose (as a CRM record without one would), and the
	// identity document is left to the person's phone.
	s.begin("Build the prefill with the generated types")
	prefill := onboarding.NewOnboardingPrefill(onboarding.DeliveryAPI,
		"Ada", []string{"Lovelace"}, "1815-12-10", // personal details
		"SW1Y 4JH", "GBR", // current address
		[]onboarding.Email{{Type: onboarding.ContactTypeHome, Email: "ada@example.org"}}, // contact
		nil) // documents: the phone takes a photo of the passport later
	prefill.Subject.Identity.CurrentAddress.PostalCode = nil // the postcode is lost on the way
	s.say("The types come from schemas/journey.schema.json, GBG's published context schema (onboarding.SchemaDigest %s).", onboarding.SchemaDigest)
	s.say("Ada Lovelace, born 1815-12-10, ada@example.org, living in GBR; her postcode is lost on the way, and no document yet.")
	var violations validate.Errors // every violation, each with its JSON Pointer
	switch err := prefill.Validate(); {
	case err == nil:
		s.say("prefill.Validate() finds nothing wrong: in the context schema every one of those fields is optional.")
	case !errors.As(err, &violations):
		return false, fmt.Errorf("validating the prefill: %w", err)
	default:
		return false, fmt.Errorf("the demo's prefill does not validate: %w", err)
	}
	predicted := onboarding.PendingOnboardingTasks(prefill)
	s.say("onboarding.PendingOnboardingTasks(prefill) predicts, from the task schemas, %s:", plural(len(predicted), "pending task"))
	for _, p := range predicted {
		for _, v := range p.Violations {
			s.say("  %s (%s): %s %s", p.Title, p.Key, v.Pointer, v.Message)
		}
	}
	s.say("With onboarding.RefusePending(), StartOnboarding would refuse to send it. The demo sends it, to compare.")

	// 3. Start the journey. StartOnboarding knows the resource ID. GBG checks nothing it
	// could reject: missing or invalid data silently turns into pending tasks.
	s.begin("Start the journey with that prefill")
	var opts []onboarding.Option
	if t.resourceID != "" {
		opts = append(opts, onboarding.WithResourceID(t.resourceID)) // the same journey on another tenant
	}
	inst, err := onboarding.StartOnboarding(ctx, client, prefill, opts...)
	if err != nil {
		return false, fmt.Errorf("starting the journey: %w", err)
	}
	sent, err := json.Marshal(prefill)
	if err != nil {
		return false, err
	}
	s.say("Sent context: %s", sent)
	s.say("GBG accepted it: journey instance %s started, no error.", inst.InstanceID)

	// 4. Which tasks are pending? ListTasks gives their IDs; TaskSchemas gives each one's
	// schema, whose title names it.
	s.begin("List the tasks waiting for data")
	list, err := client.ListTasks(ctx, inst.InstanceID)
	if err != nil {
		return false, fmt.Errorf("listing tasks: %w", err)
	}
	schemas, err := client.TaskSchemas(ctx, inst.InstanceID)
	if err != nil {
		return false, fmt.Errorf("listing task schemas: %w", err)
	}
	if list.Status.Terminal() {
		s.say("None: the journey has already ended (%s).", list.Status)
		return finish(ctx, s, client, inst.InstanceID)
	}
	pending := map[string]string{} // task title → task ID
	var titles []string
	for _, task := range list.Tasks {
		title := schemaTitle(schemas.Schemas[task.ID])
		if title == "" {
			title = "untitled"
		}
		pending[title] = task.ID
		titles = append(titles, title)
		s.say("- %s (task %s)", title, task.ID)
	}
	s.say("%s pending.", plural(len(list.Tasks), "task is", "tasks are"))
	for _, k := range knownTasks {
		if _, ok := pending[k.title]; !ok {
			s.say("%s is not among them: the prefill held everything it needs, so it completed at once.", k.title)
		}
	}
	if err := samePending(predicted, titles); err != nil {
		return false, err
	}
	s.say("That is what PendingOnboardingTasks predicted before anything was sent.")
	addressTask, ok := pending[addressTitle]
	if !ok {
		return false, fmt.Errorf("expected task %s to be pending after a prefill without a postcode; pending: %s",
			addressTitle, strings.Join(titles, ", "))
	}
	s.say("GBG accepted the prefill, but task %s is now pending: the missing postcode became work for someone.", addressTitle)
	if _, ok := pending[documentTitle]; ok {
		s.say("Task %s is pending as planned: the person's phone will send a photo of a passport.", documentTitle)
	}

	// 5. Fetch the Address task's schema: what it needs. Then check that the schemas of the
	// pending tasks are still the ones our types were generated from: a journey republished
	// since would ask for other fields.
	s.begin("Fetch the schema of task " + addressTitle)
	raw, err := client.TaskSchema(ctx, addressTask)
	if err != nil {
		return false, fmt.Errorf("fetching the schema of task %s: %w", addressTitle, err)
	}
	s.say("It requires:")
	for _, p := range requiredLeaves(raw) {
		s.say("  %s", p)
	}
	drift, err := onboarding.CheckOnboardingSchemas(ctx, client, inst.InstanceID)
	if err != nil {
		return false, fmt.Errorf("checking the task schemas: %w", err)
	}
	if len(drift) == 0 {
		s.say("onboarding.CheckOnboardingSchemas: the pending tasks' schemas are the ones the types were generated from.")
	}
	for _, d := range drift {
		s.say("WARNING: %s; fetch the new schemas and run go generate.", d)
	}

	// 6. Complete it with a typed payload generated from that task schema. SubmitAddress
	// validates the payload, then sends it with the Complete intent.
	s.begin("Complete task " + addressTitle + " with a typed payload")
	payload := onboarding.NewAddressTask(onboarding.NewAddressContext(onboarding.NewAddressSubject(
		onboarding.NewAddressIdentity(onboarding.NewCurrentAddress("SW1Y 4JH", "GBR")))))
	if err := onboarding.SubmitAddress(ctx, client, inst.InstanceID, addressTask, payload); err != nil {
		return false, fmt.Errorf("completing task %s: %w", addressTitle, err)
	}
	s.say("onboarding.SubmitAddress checked the payload (postcode SW1Y 4JH, country GBR) and sent it.")
	s.say("GBG took it: task %s is complete.", addressTitle)
	if err := sayState(ctx, s, client, inst.InstanceID); err != nil {
		return false, err
	}

	// 7. The identity document comes from the person's phone: the back end creates a
	// single-use connect token, the phone exchanges it for its own end-user token and
	// completes the task with it.
	docTask, ok := pending[documentTitle]
	if !ok {
		s.begin("No document to collect")
		s.say("Task %s is not pending, so there is nothing for a phone to do.", documentTitle)
	} else {
		s.begin("Hand task " + documentTitle + " to the person's phone")
		ct, err := client.StartDevice(ctx, inst.InstanceID, gbg.ScopeMobile)
		if err != nil {
			return false, fmt.Errorf("starting a device connection: %w", err)
		}
		s.say("Back end: created a single-use connect token for a mobile device, valid for %s.", ct.ExpiresIn)
		phone, err := client.ConnectDevice(ctx, ct.Token, gbg.DeviceInfo{ID: "demo-phone-1", Name: "Ada's phone", Type: "mobile"})
		if err != nil {
			return false, fmt.Errorf("connecting the phone: %w", err)
		}
		s.say("Phone: connected with the token and got its own end-user token, good for this journey only.")
		// The phone's *gbg.DeviceClient carries its end-user token; SubmitDocument takes it
		// like the back end's client, and validates the payload before sending.
		passport := onboarding.NewDocumentSubjectDocument(onboarding.DocumentTypePassport, passportFront)
		country := "GBR"
		passport.Country = &country
		doc := onboarding.NewDocumentTask(onboarding.NewDocumentContext(
			onboarding.NewDocumentSubject([]onboarding.DocumentSubjectDocument{passport})))
		if err := onboarding.SubmitDocument(ctx, phone, inst.InstanceID, docTask, doc); err != nil {
			return false, fmt.Errorf("the phone completing task %s: %w", documentTitle, err)
		}
		s.say("Phone: sent a photo of a GBR passport; task %s is complete.", documentTitle)
	}

	// 8. Poll the state until the journey is finished.
	return finish(ctx, s, client, inst.InstanceID)
}

// finish polls the state of the instance until it is finished and reports whether the
// journey completed.
func finish(ctx context.Context, s *story, client *gbg.Client, instanceID string) (bool, error) {
	// WaitForCompletion fetches the state at once, then again after growing pauses, until
	// it is Completed or Failed.
	s.begin("Poll the journey's state until it is finished")
	state, err := client.WaitForCompletion(ctx, instanceID, gbg.PollInterval(250*time.Millisecond, 5*time.Second))
	if err != nil && !errors.Is(err, gbg.ErrJourneyFailed) {
		return false, fmt.Errorf("waiting for the journey: %w", err)
	}
	s.say("State: %s.", state.Status)
	if !state.Status.Equal(gbg.StatusCompleted) {
		s.blank()
		s.say("The journey did not complete (outcome %q).", outcome(state.Data))
		return false, nil
	}
	when := state.MetaData.CompletedTime
	if when == "" {
		when = "an unrecorded time"
	}
	s.say("Completed at %s with outcome %q.", when, outcome(state.Data))
	s.blank()
	s.say("The journey completed.")
	return true, nil
}

// sayState fetches the state of the instance and tells how far it got.
func sayState(ctx context.Context, s *story, client *gbg.Client, instanceID string) error {
	state, err := client.FetchState(ctx, instanceID)
	if err != nil {
		return fmt.Errorf("fetching the state: %w", err)
	}
	tasks, err := client.ListTasks(ctx, instanceID)
	if err != nil {
		return fmt.Errorf("listing tasks: %w", err)
	}
	s.say("Journey state: %s, %s still pending.", state.Status, plural(len(tasks.Tasks), "task"))
	return nil
}

// samePending reports an error unless the titles of the tasks the server lists as pending
// are those of the predicted tasks.
func samePending(predicted []gbg.PendingTask, titles []string) error {
	var want []string
	for _, p := range predicted {
		want = append(want, p.Title)
	}
	got := slices.Clone(titles)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("the server left %v pending, PendingOnboardingTasks predicted %v", got, want)
	}
	return nil
}

// passportFront stands in for a photo: a base64 image without a data: prefix, as the
// document schema asks (these are the first bytes of a PNG file).
const passportFront = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

// outcome digs data.process.flow.<variant>.result.outcome out of a v1 state's data.
func outcome(data json.RawMessage) string {
	var d struct {
		Process struct {
			Flow map[string]struct {
				Result struct {
					Outcome string `json:"outcome"`
				} `json:"result"`
			} `json:"flow"`
		} `json:"process"`
	}
	if json.Unmarshal(data, &d) != nil {
		return ""
	}
	for _, f := range d.Process.Flow {
		if f.Result.Outcome != "" {
			return f.Result.Outcome
		}
	}
	return ""
}

// plural writes n and the word, choosing the plural form (the second word, or word+"s")
// when n is not 1.
func plural(n int, word string, pluralForm ...string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	if len(pluralForm) > 0 {
		return fmt.Sprintf("%d %s", n, pluralForm[0])
	}
	return fmt.Sprintf("%d %ss", n, word)
}
