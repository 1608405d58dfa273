package generator

import "errors"

// Journey describes the journey helpers to generate next to the types.
type Journey struct {
	// Name is the journey's Go name, e.g. "Onboarding" (StartOnboarding).
	Name string
	// ResourceID is the journey's resource ID (<hash>@<version>).
	ResourceID string
	// Context is the name of the root type of the journey schema.
	Context string
	// Tasks maps task names to the root type of their schema, in order.
	Tasks []Task
	// Output is the path of the helpers file.
	Output string
}

// Task is one task schema of a journey.
type Task struct {
	Name string
	Type string
}

func (g *generation) journeyFile(typesPath string, roots []loadedRoot) (File, error) {
	return File{}, errors.New("journey helpers are not implemented yet")
}
