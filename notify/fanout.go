package notify

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
)

// DefaultBatch is how many notifications one fan-out transaction stores: big
// enough to amortise the commit, small enough that the write lock is held
// only briefly, so requests keep flowing between batches.
const DefaultBatch = 250

// FanoutResult is the end of a fan-out.
type FanoutResult struct {
	Sent   int // notifications stored (repeats of the day are not)
	Failed int // recipients of batches that rolled back
	Err    error
}

// Fanout sends the message to many recipients in the background and returns
// at once; the channel yields the result when the last batch is stored. Each
// batch is one transaction, so a failure rolls back that batch only, and the
// channels (push, email) get each notification after its batch commits.
// Use it for targeted announcements to hundreds or thousands of people.
func Fanout(app core.App, m Message, recipients []*core.Record, batch int) <-chan FanoutResult {
	if batch <= 0 {
		batch = DefaultBatch
	}
	out := make(chan FanoutResult, 1)
	go func() {
		var res FanoutResult
		var errs []error
		for start := 0; start < len(recipients); start += batch {
			chunk := recipients[start:min(start+batch, len(recipients))]
			var sent int
			err := app.RunInTransaction(func(tx core.App) error {
				var err error
				sent, err = SendEach(tx, m, chunk)
				return err
			})
			if err != nil {
				res.Failed += len(chunk)
				errs = append(errs, err)
				app.Logger().Error("notification fan-out batch failed", "kind", m.Kind, "recipients", len(chunk), "error", err)
				continue
			}
			res.Sent += sent
		}
		res.Err = errors.Join(errs...)
		out <- res
		close(out)
	}()
	return out
}
