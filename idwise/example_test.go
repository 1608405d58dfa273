package idwise_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gbggen/gbggen/idwise"
)

func ExampleWebhookHandler() {
	hook, err := idwise.WebhookHandler(idwise.WebhookConfig{
		Auth: idwise.BearerAuth("hook-token"),
		Handle: func(_ context.Context, ev *idwise.WebhookEvent) error {
			fmt.Println(ev.Event, ev.Body.JourneyID, ev.Body.SystemDecision)
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	body := `{"event":"Finished Journey","body":{"eventId":"e-1","journeyId":"j-1","referenceNo":"r-1","systemDecision":"Complete"}}`
	for range 2 { // IDWise retries with the same eventId: handled once
		req := httptest.NewRequest(http.MethodPost, "/hooks/idwise", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer hook-token")
		rec := httptest.NewRecorder()
		hook.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// Finished Journey j-1 Complete
	// 200
	// 200
}
