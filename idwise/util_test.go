package idwise

import "errors"

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }
