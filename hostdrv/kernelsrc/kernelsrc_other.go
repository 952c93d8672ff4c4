//go:build !linux

package kernelsrc

import (
	"context"
	"errors"
)

// Watch is only available on Linux; elsewhere it returns an error.
func Watch(ctx context.Context, opt Options) (<-chan Snapshot, <-chan error, error) {
	return nil, nil, errors.New("kernelsrc: rtnetlink is only available on Linux")
}
