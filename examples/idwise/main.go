// Command idwise runs an IDWise Journey Builder journey end to end with the step helpers
// gbggen generated from the flow's definition (package kyc) and the idwise runtime, against
// the gbggen emulator started inside the program, and prints the decision.
//
// It starts a local webhook receiver, starts the emulator (the one `gbggen serve` runs, GBG
// and IDWise in one server) with Finished Journey webhooks posted to that receiver, starts a
// journey of the demo flow, checks that its steps are the generated ones, uploads an ID
// document (front and back) and a selfie with kyc.SubmitIDDocument and kyc.SubmitSelfie,
// waiting for each to be processed (never polling the summary faster than every 2 s),
// completes the journey, waits for the summary to show it finished, reads the result and
// waits for the webhook. It exits 0 only if the journey finished and its webhook arrived.
//
// Usage: idwise [-scenario complete|refer|reject] [-timeout D]
//
// The scenario chooses the images: the emulator fails a step's checks when an image carries
// the marker REFER or REJECT, so the three scenarios end Complete, Refer and Rejected.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"time"

	"github.com/gbggen/gbggen/examples/idwise/kyc"
	"github.com/gbggen/gbggen/idwise"
	"github.com/gbggen/gbggen/sandbox"
	emu "github.com/gbggen/gbggen/sandbox/idwise"
)

// Exit codes.
const (
	exitFinished   = 0 // the journey finished and its webhook arrived
	exitUnfinished = 1 // it did not, or a call failed
	exitUsage      = 2
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// outcome is what a run ends with, for the test.
type outcome struct {
	journeyID string
	decision  idwise.Decision
	webhook   *idwise.WebhookEvent
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("idwise", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenario := fs.String("scenario", "complete", "images to submit: complete, refer or reject")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up when the journey has not finished after this long")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	marker, ok := map[string]string{"complete": "", "refer": "REFER", "reject": "REJECT"}[*scenario]
	if !ok || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "idwise: -scenario is complete, refer or reject; no arguments")
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if _, err := journey(ctx, marker, stdout); err != nil {
		fmt.Fprintf(stderr, "idwise: %v\n", err)
		return exitUnfinished
	}
	return exitFinished
}

// journey is the whole demo; it returns the outcome once the journey finished and its webhook
// arrived.
func journey(ctx context.Context, marker string, w io.Writer) (*outcome, error) {
	say := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	say("IDWise: a Journey Builder journey with generated step helpers, from start to finish")

	// The webhook receiver comes first: the emulator needs its URL.
	token := randomHex(16)
	events := make(chan *idwise.WebhookEvent, 4)
	hook, err := idwise.WebhookHandler(idwise.WebhookConfig{
		Auth: idwise.BearerAuth(token),
		Handle: func(_ context.Context, ev *idwise.WebhookEvent) error {
			events <- ev
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	hookURL, stopHook, err := serve(ctx, hook)
	if err != nil {
		return nil, fmt.Errorf("webhook receiver: %w", err)
	}
	defer stopHook()

	iw, err := emu.New(emu.WithProcessingDelay(300*time.Millisecond),
		emu.WithWebhook(emu.Webhook{URL: hookURL + "/idwise", Auth: emu.WebhookAuth{Kind: "bearer", Secret: token}, Backoff: 200 * time.Millisecond}))
	if err != nil {
		return nil, err
	}
	defer iw.Close()
	srv, err := sandbox.New(sandbox.WithIDWise(iw))
	if err != nil {
		return nil, err
	}
	base, stopEmu, err := serve(ctx, srv)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	defer stopEmu()
	say("- started the gbggen emulator at %s (IDWise on %s/…), webhooks to %s/idwise", base, iw.Prefix(), hookURL)

	creds := iw.Credentials()
	client, err := idwise.New(idwise.Config{BaseURL: base, APIKey: creds.Key, APISecret: creds.Secret})
	if err != nil {
		return nil, err
	}
	j, err := client.StartJourney(ctx, idwise.StartRequest{FlowID: kyc.FlowID, ReferenceNo: "demo-" + randomHex(4)})
	if err != nil {
		return nil, err
	}
	say("- started journey %s of flow %s (reference %s) with %d steps", j.JourneyID, kyc.FlowID, j.ReferenceNo, len(j.Steps))
	if err := kyc.CheckSteps(j); err != nil {
		return nil, err
	}
	say("- its steps are the ones kyc was generated from (digest %.12s…)", kyc.FlowDigest)

	front, back, face := picture("front "+marker), picture("back"), picture("face")
	if err := kyc.SubmitIDDocument(ctx, client, j.JourneyID, bytes.NewReader(front), bytes.NewReader(back)); err != nil {
		return nil, err
	}
	say("- uploaded the ID document (front and back) to step %s", kyc.StepIDDocument)
	if _, err := client.WaitForSummary(ctx, j.JourneyID, idwise.UntilStepProcessed(kyc.StepIDDocument)); err != nil {
		return nil, err
	}
	say("- step %s processed", kyc.StepIDDocument)
	if err := kyc.SubmitSelfie(ctx, client, j.JourneyID, bytes.NewReader(face)); err != nil {
		return nil, err
	}
	say("- uploaded the selfie to step %s", kyc.StepSelfie)
	if _, err := client.WaitForSummary(ctx, j.JourneyID, idwise.UntilStepProcessed(kyc.StepSelfie)); err != nil {
		return nil, err
	}
	say("- step %s processed", kyc.StepSelfie)
	if err := client.CompleteJourney(ctx, j.JourneyID); err != nil {
		return nil, err
	}
	say("- completed the journey")
	sum, err := client.WaitForSummary(ctx, j.JourneyID)
	if err != nil {
		return nil, err
	}
	res, err := client.Result(ctx, j.JourneyID)
	if err != nil {
		return nil, err
	}
	if doc, ok := res.DocumentForStep(kyc.StepIDDocument); ok {
		say("- document: %s from %s, full name %q, number %s", doc.DocumentType, doc.IssuingCountryCode, doc.Field("Full Name"), doc.Field("Document Number"))
	}
	rules := make([]string, 0, len(res.RuleResults))
	for id, r := range res.RuleResults {
		rules = append(rules, fmt.Sprintf("%s %s", id, r.Result))
	}
	sort.Strings(rules)
	say("- rules: %v", rules)

	var ev *idwise.WebhookEvent
	select {
	case ev = <-events:
	case <-ctx.Done():
		return nil, fmt.Errorf("no Finished Journey webhook: %w", ctx.Err())
	}
	if ev.Body.JourneyID != j.JourneyID || ev.Body.SystemDecision != res.SystemDecision {
		return nil, fmt.Errorf("webhook for journey %s with decision %s, want %s and %s", ev.Body.JourneyID, ev.Body.SystemDecision, j.JourneyID, res.SystemDecision)
	}
	say("- webhook %q received: event %s, decision %s", ev.Event, ev.Body.EventID, ev.Body.SystemDecision)
	if !sum.Finished() {
		return nil, errors.New("the journey did not finish")
	}
	say("Final decision: %s", res.Decision())
	return &outcome{journeyID: j.JourneyID, decision: res.Decision(), webhook: ev}, nil
}

// serve runs h on a free loopback port until stop is called.
func serve(ctx context.Context, h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}, nil
}

// picture is a small PNG followed by text (after the image's end, where decoders stop), which
// the emulator reads for its scenario markers (REFER, REJECT).
func picture(text string) []byte {
	img := image.NewGray(image.Rect(0, 0, 32, 20))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // an in-memory image: cannot fail
	return append(b.Bytes(), text...)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
