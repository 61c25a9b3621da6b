package hooks

import (
	"context"
	"time"
)

// Push delivery internals for tests in hooks_test: shorter retries and a way
// to wait for the background queue.

// SetPushRetryBase shortens the retry backoff; the returned func restores it.
func SetPushRetryBase(d time.Duration) func() {
	old := pushRetryBase
	pushRetryBase = d
	return func() { pushRetryBase = old }
}

// PushPending counts queued and running deliveries and those held for
// less than two hours (retries, short quiet periods).
func PushPending() int64 { return pushQueue.Pending() + int64(pushQueue.Waiting(2*time.Hour)) }

// WaitPushIdle waits until no delivery is pending.
func WaitPushIdle(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return pushQueue.WaitIdle(ctx, time.Minute)
}
