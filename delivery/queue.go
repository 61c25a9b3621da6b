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
	pending atomic.Int64 // queued or running
	once    sync.Once
	done    chan struct{}

	mu      sync.Mutex
	waiting map[*time.Timer]time.Time // delayed jobs and when they are due
}

// NewQueue starts workers that take jobs from a buffer of the given size.
func NewQueue(workers, capacity int) *Queue {
	q := &Queue{jobs: make(chan func(), capacity), done: make(chan struct{}), waiting: map[*time.Timer]time.Time{}}
	for range workers {
		go q.work()
	}
	return q
}

func (q *Queue) work() {
	for {
		select {
		case job := <-q.jobs:
			q.run(job)
		case <-q.done:
			return
		}
	}
}

// run runs one job; a panicking job (say, its app was shut down meanwhile)
// must not take the worker, or the process, with it.
func (q *Queue) run(job func()) {
	defer q.pending.Add(-1)
	defer func() { _ = recover() }()
	job()
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
// hours).
func (q *Queue) After(d time.Duration, job func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		q.Submit(ctx, job)
		q.mu.Lock()
		delete(q.waiting, t)
		q.mu.Unlock()
	})
	q.waiting[t] = time.Now().Add(d)
}

// Pending counts queued and running jobs.
func (q *Queue) Pending() int64 { return q.pending.Load() }

// Waiting counts delayed jobs due within the horizon.
func (q *Queue) Waiting(horizon time.Duration) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n, limit := 0, time.Now().Add(horizon)
	for _, due := range q.waiting {
		if due.Before(limit) {
			n++
		}
	}
	return n
}

// WaitIdle waits until no job is queued or running and none is delayed by
// less than the horizon (jobs held for hours, such as quiet hours, do not
// count), or ctx ends.
func (q *Queue) WaitIdle(ctx context.Context, horizon time.Duration) error {
	for q.Pending() > 0 || q.Waiting(horizon) > 0 {
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
