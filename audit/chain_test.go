package audit

import (
	"errors"
	"testing"
)

func chain(n int) []Entry {
	head := EmptyHead
	var out []Entry
	for i := range n {
		e := Link(Entry{At: "2026-11-26T00:00:00.000Z", Actor: "u1", Action: ActionUpdate, Collection: "children",
			Record: "r" + string(rune('a'+i)), Fields: []string{"givenName", "birthDate"}}, head)
		head = Head{Seq: e.Seq, Hash: e.Hash}
		out = append(out, e)
	}
	return out
}

func verify(entries []Entry) (int64, error) {
	v := NewVerifier()
	for _, e := range entries {
		if err := v.Check(e); err != nil {
			return e.Seq, err
		}
	}
	return 0, nil
}

func TestIntactChainVerifies(t *testing.T) {
	entries := chain(5)
	if _, err := verify(entries); err != nil {
		t.Fatal(err)
	}
	if entries[0].PrevHash != Genesis || entries[1].PrevHash != entries[0].Hash {
		t.Fatal("entries are not linked")
	}
	if entries[0].Fields[0] != "birthDate" {
		t.Fatal("field names must be sorted before hashing")
	}
}

func TestTamperingIsFoundAtTheEntry(t *testing.T) {
	cases := []struct {
		name   string
		tamper func([]Entry) []Entry
		broken int64
	}{
		{"changed actor", func(e []Entry) []Entry { e[2].Actor = "someone-else"; return e }, 3},
		{"changed field list", func(e []Entry) []Entry { e[1].Fields = []string{"birthDate"}; return e }, 2},
		{"recomputed own hash only", func(e []Entry) []Entry { e[2].Record = "x"; e[2].Hash = e[2].ComputeHash(); return e }, 4},
		{"deleted entry", func(e []Entry) []Entry { return append(e[:2], e[3:]...) }, 4},
		{"swapped entries", func(e []Entry) []Entry { e[1], e[2] = e[2], e[1]; return e }, 3},
	}
	for _, c := range cases {
		seq, err := verify(c.tamper(chain(5)))
		if !errors.Is(err, ErrBroken) || seq != c.broken {
			t.Errorf("%s: broken at %d (%v), want %d", c.name, seq, err, c.broken)
		}
	}
}

func TestChangedFields(t *testing.T) {
	before := map[string]any{"a": 1, "b": "x", "c": []string{"p"}}
	after := map[string]any{"a": 1, "b": "y", "c": []string{"p", "q"}}
	got := ChangedFields([]string{"a", "b", "c"}, func(n string) any { return before[n] }, func(n string) any { return after[n] })
	if len(got) != 2 || got[0] != "b" || got[1] != "c" {
		t.Fatalf("got %v", got)
	}
}
