package sandbox

import (
	"context"
	"testing"
)

func TestAsyncStartDefersPrefillEvaluation(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	h := &handlers{s}
	subject := map[string]any{"identity": map[string]any{"firstName": "Ada", "lastNames": []any{"L"}, "dateOfBirth": "1815-12-10"}}
	in, err := h.start(context.Background(), OnboardingResourceID+"@1", subject, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	in.mu.Lock()
	lazy, pending := in.lazy, in.pending()
	in.mu.Unlock()
	if !lazy || pending != 3 {
		t.Fatalf("after async start: lazy %v, %d pending; want deferred evaluation, 3 pending", lazy, pending)
	}
	got, err := h.lookup(context.Background(), in.id)
	if err != nil {
		t.Fatal(err)
	}
	pending = got.pending()
	got.mu.Unlock()
	if pending != 2 {
		t.Fatalf("after the next call: %d pending, want 2 (personal details done)", pending)
	}

	sync, err := h.start(context.Background(), OnboardingResourceID+"@1", subject, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if sync.lazy || sync.pending() != 2 {
		t.Fatalf("synchronous start: lazy %v, %d pending", sync.lazy, sync.pending())
	}
}
