package audit

import "context"

// Actor is who did something, and from where.
type Actor struct {
	ID         string
	Collection string // auth collection, "_superusers", or "" for the system
	Role       string // e.g. "ops:manager" for city staff, "citizen", "system"
	IP         string
	UserAgent  string
}

// System is the actor of work no person started (seeds, jobs, migrations).
var System = Actor{Role: "system"}

type actorKey struct{}

// WithActor returns a context that carries the actor, for saves made by
// custom routes (app.SaveWithContext).
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, if any.
func ActorFrom(ctx context.Context) (Actor, bool) {
	if ctx == nil {
		return Actor{}, false
	}
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

type bulkKey struct{}

// Bulk marks a context as a bulk load: records saved with it are not logged
// one by one; the loader writes one import entry instead.
func Bulk(ctx context.Context) context.Context { return context.WithValue(ctx, bulkKey{}, true) }

// IsBulk reports whether ctx is a bulk load.
func IsBulk(ctx context.Context) bool {
	if ctx == nil {
		return false
	}
	b, _ := ctx.Value(bulkKey{}).(bool)
	return b
}
