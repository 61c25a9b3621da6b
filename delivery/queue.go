package delivery

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Queue runs delivery jobs on a fixed number of workers behind a bounded
// buffer, so a fan-out to thousands of people never holds up the request
// that caused it and never spawns thousands of goroutines.
type Queue struct {
	jobs    chan func()
	pending atomic.Int64
	once    sync.Once
	done    chan struct{}
}

// NewQueue starts workers that take jobs from a buffer of the given size.
func NewQueue(workers, capacity int) *Queue {
	q := &Queue{jobs: make(chan func(), capacity), done: make(chan struct{})}
	for range workers {
		go q.work()
	}
	return q
}

func (q *Queue) work() {
	for {
		select {
		case job := <-q.jobs:
			job()
			q.pending.Add(-1)
		case <-q.done:
			return
		}
	}
}

// Submit queues a job, waiting while the buffer is full until ctx ends. It
// reports whether the job was queued.
func (q *Queue) Submit(ctx context.Context, job func()) bool {
	q.pending.Add(1)
	select {
	case q.jobs <- job:
		return true
	case <-ctx.Done():
	case <-q.done:
	}
	q.pending.Add(-1)
	return false
}

// After queues a job once d has passed (a retry's backoff, the end of quiet
// hours). Waiting jobs count as pending.
func (q *Queue) After(d time.Duration, job func()) {
	q.pending.Add(1)
	time.AfterFunc(d, func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		q.Submit(ctx, job)
		q.pending.Add(-1)
	})
}

// Pending counts queued, running and waiting jobs.
func (q *Queue) Pending() int64 { return q.pending.Load() }

// WaitIdle waits until no job is pending or ctx ends.
func (q *Queue) WaitIdle(ctx context.Context) error {
	for q.Pending() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// Close stops the workers; queued jobs are dropped.
func (q *Queue) Close() { q.once.Do(func() { close(q.done) }) }
