package idwise

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"strings"

	gen "github.com/gbggen/gbggen/generated/idwise"
)

var (
	opStart    = operation{name: "StartJourney"}
	opProcess  = operation{name: "ProcessStep"}
	opSkip     = operation{name: "SkipStep"}
	opComplete = operation{name: "CompleteJourney"}
	opSummary  = operation{name: "Summary", idempotent: true, minWait: MinPollInterval}
	opResult   = operation{name: "Result", idempotent: true}
	opDelete   = operation{name: "DeleteJourney", idempotent: true}
)

// referencePattern is the reference_no IDWise accepts (after trimming).
var referencePattern = regexp.MustCompile(`^[A-Za-z0-9_/\\,.+@-]+$`)

// StartJourney starts a journey of req.FlowID and returns it with the steps
// of its flow, in order. Submit images only for those step IDs.
//
// A reference number IDWise would refuse (empty, or with characters other
// than letters, digits and - _ / \ , . + @) is an error before anything is
// sent. StartJourney is sent again only when the first attempt certainly did
// not reach the server; see the package documentation.
func (c *Client) StartJourney(ctx context.Context, req StartRequest) (*Journey, error) {
	const op = "StartJourney"
	ref := strings.TrimSpace(req.ReferenceNo)
	if req.FlowID == "" {
		return nil, fmt.Errorf("idwise: %s: FlowID is empty", op)
	}
	if !referencePattern.MatchString(ref) {
		return nil, fmt.Errorf("idwise: %s: ReferenceNo %q: want letters, digits and - _ / \\ , . + @ only", op, ref)
	}
	body := gen.StartJourneyJSONRequestBody{FlowID: req.FlowID, ReferenceNo: ref}
	if a := req.Applicant; a != nil {
		if strings.TrimSpace(a.FullName) == "" {
			return nil, fmt.Errorf("idwise: %s: Applicant.FullName is empty (it is required with applicant details)", op)
		}
		body.ApplicantDetails = &gen.ApplicantDetails{
			FullName: a.FullName, BirthDate: opt(a.BirthDate), Sex: opt(a.Sex),
			Address: opt(a.Address), NationalityCode: opt(a.NationalityCode),
		}
	}
	resp, err := c.raw.StartJourney(withOp(ctx, opStart), body, c.rewritePrefix)
	var out Journey
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	if out.JourneyID == "" {
		return nil, fmt.Errorf("idwise: %s: response has no journey_id", op)
	}
	return &out, nil
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Image is one image of a step upload. The zero Image is no image.
type Image struct {
	data []byte
	// Filename is sent as the part's file name; empty means "image" or
	// "image2" with an extension for the detected type.
	Filename string
	// ContentType is the part's type; empty means detected from the first
	// bytes (image/jpeg, image/png, …).
	ContentType string
}

// ImageBytes returns an Image of b. Empty b is no image.
func ImageBytes(b []byte) Image { return Image{data: b} }

// ImageReader reads r to its end and returns an Image of what it read. The
// read happens here, so that a failing reader is an error before a request
// is sent.
func ImageReader(r io.Reader) (Image, error) {
	if r == nil {
		return Image{}, nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return Image{}, fmt.Errorf("idwise: reading image: %w", err)
	}
	return Image{data: b}, nil
}

// Empty reports whether img is no image.
func (img Image) Empty() bool { return len(img.data) == 0 }

// ProcessStep submits the image of step stepID of a journey, and image2 (the
// back of an ID card, say) unless it is empty, as multipart/form-data.
//
// Processing is asynchronous: success means IDWise accepted the images, not
// that the step passed. Wait with WaitForSummary (UntilStepProcessed) before
// submitting the next step or completing the journey.
//
// ProcessStep is never sent twice when the first attempt may have reached
// the server.
func (c *Client) ProcessStep(ctx context.Context, journeyID string, stepID StepID, image, image2 Image) error {
	const op = "ProcessStep"
	if journeyID == "" || stepID == "" {
		return fmt.Errorf("idwise: %s: journey ID and step ID are required", op)
	}
	if image.Empty() {
		return fmt.Errorf("idwise: %s: step %s: image is empty", op, stepID)
	}
	body, ctype, err := stepForm(journeyID, stepID, false, image, image2)
	if err != nil {
		return fmt.Errorf("idwise: %s: %w", op, err)
	}
	return c.postForm(ctx, opProcess, body, ctype)
}

// SkipStep marks step stepID of a journey as skipped (is_skipped), for
// optional steps. Like ProcessStep it is never sent twice when the first
// attempt may have reached the server.
func (c *Client) SkipStep(ctx context.Context, journeyID string, stepID StepID) error {
	const op = "SkipStep"
	if journeyID == "" || stepID == "" {
		return fmt.Errorf("idwise: %s: journey ID and step ID are required", op)
	}
	body, ctype, err := stepForm(journeyID, stepID, true, Image{}, Image{})
	if err != nil {
		return fmt.Errorf("idwise: %s: %w", op, err)
	}
	return c.postForm(ctx, opSkip, body, ctype)
}

func (c *Client) postForm(ctx context.Context, op operation, body []byte, ctype string) error {
	// A bytes.Reader body gets GetBody, so a request that provably never
	// left may be sent again.
	resp, err := c.raw.ProcessJourneyStepWithBody(withOp(ctx, op), ctype, bytes.NewReader(body), c.rewritePrefix)
	return c.call(op.name, resp, err, nil)
}

// stepForm encodes the multipart body of process-journey-step.
func stepForm(journeyID string, stepID StepID, skip bool, image, image2 Image) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fields := [][2]string{{"journey_id", journeyID}, {"step_id", string(stepID)}}
	if skip {
		fields = append(fields, [2]string{"is_skipped", "true"})
	}
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, "", err
		}
	}
	for _, p := range []struct {
		name string
		img  Image
	}{{"image", image}, {"image2", image2}} {
		if p.img.Empty() {
			continue
		}
		if err := writeImage(w, p.name, p.img); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

func writeImage(w *multipart.Writer, field string, img Image) error {
	ctype := img.ContentType
	if ctype == "" {
		ctype = http.DetectContentType(img.data)
		if strings.HasPrefix(ctype, "text/") {
			ctype = "application/octet-stream"
		}
	}
	name := img.Filename
	if name == "" {
		name = field + extension(ctype)
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, quoteSafe(name)))
	h.Set("Content-Type", ctype)
	part, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = part.Write(img.data)
	return err
}

// quoteSafe drops what %q could not carry in a header parameter.
func quoteSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, s)
}

func extension(ctype string) string {
	switch ctype {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/webp":
		return ".webp"
	case "application/pdf":
		return ".pdf"
	}
	return ""
}

// CompleteJourney finalises a journey and triggers IDWise's decision; no
// step can be submitted or changed afterwards. It is never sent twice when
// the first attempt may have reached the server.
func (c *Client) CompleteJourney(ctx context.Context, journeyID string) error {
	const op = "CompleteJourney"
	if journeyID == "" {
		return fmt.Errorf("idwise: %s: journey ID is empty", op)
	}
	resp, err := c.raw.CompleteJourney(withOp(ctx, opComplete), gen.CompleteJourneyJSONRequestBody{JourneyID: journeyID}, c.rewritePrefix)
	return c.call(op, resp, err, nil)
}

// Summary returns the status of a journey and of each of its steps.
//
// IDWise asks that it be called no more often than every 2 seconds per
// journey, so the Client keeps to that: a Summary of a journey whose last
// summary request is less than MinPollInterval old first waits for the rest
// of the interval (or until ctx ends). Summary is retried after connection
// errors, 429 and 5xx, never sooner than MinPollInterval.
func (c *Client) Summary(ctx context.Context, journeyID string) (*Summary, error) {
	const op = "Summary"
	if journeyID == "" {
		return nil, fmt.Errorf("idwise: %s: journey ID is empty", op)
	}
	if err := c.pace(ctx, journeyID); err != nil {
		return nil, fmt.Errorf("idwise: %s: %w", op, err)
	}
	resp, err := c.raw.GetJourneySummary(withOp(ctx, opSummary), &gen.GetJourneySummaryParams{JourneyID: journeyID}, c.rewritePrefix)
	var out Summary
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Result returns the final verification result of a journey: decisions,
// documents by step, extracted fields, rule results, selfie and AML. It is
// retried after connection errors, 429 and 5xx.
func (c *Client) Result(ctx context.Context, journeyID string) (*Result, error) {
	const op = "Result"
	if journeyID == "" {
		return nil, fmt.Errorf("idwise: %s: journey ID is empty", op)
	}
	resp, err := c.raw.GetJourneyResult(withOp(ctx, opResult), &gen.GetJourneyResultParams{JourneyID: journeyID}, c.rewritePrefix)
	var out Result
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteJourney removes all personal data of a journey (DELETE
// /journey/{journey-id}, outside the path prefix). Deleting twice is
// harmless, so it is retried like a read.
func (c *Client) DeleteJourney(ctx context.Context, journeyID string) error {
	const op = "DeleteJourney"
	if journeyID == "" {
		return fmt.Errorf("idwise: %s: journey ID is empty", op)
	}
	resp, err := c.raw.DeleteJourney(withOp(ctx, opDelete), journeyID)
	return c.call(op, resp, err, nil)
}
