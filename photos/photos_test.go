package photos

import (
	"slices"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

func TestAudience(t *testing.T) {
	got := Audience([]string{"g2", "g1"}, nil, []string{"g1", "", "v1"}, []string{"m1"})
	if want := []string{"g1", "g2", "m1", "v1"}; !slices.Equal(got, want) {
		t.Fatalf("Audience = %v, want %v", got, want)
	}
	if got := Audience(); len(got) != 0 {
		t.Fatalf("no readers: %v", got)
	}
}

func TestCheckPhoto(t *testing.T) {
	today := civil.Date{Year: 2026, Month: time.November, Day: 26}
	ok := Photo{Status: Published, TakenOn: "2026-11-20", Tagged: 1}
	cases := []struct {
		name string
		edit func(p *Photo)
		code string
	}{
		{"tagged and published", func(*Photo) {}, ""},
		{"taken today", func(p *Photo) { p.TakenOn = "2026-11-26" }, ""},
		{"taken tomorrow", func(p *Photo) { p.TakenOn = "2026-11-27" }, "future_date"},
		{"impossible day", func(p *Photo) { p.TakenOn = "2026-02-30" }, "invalid_date"},
		{"sales until the day taken", func(p *Photo) { p.SalesUntil = "2026-11-20" }, ""},
		{"sales end before taken", func(p *Photo) { p.SalesUntil = "2026-11-19" }, "before_taken"},
		{"sales until garbage", func(p *Photo) { p.SalesUntil = "soon" }, "invalid_date"},
		{"class wide needs a class", func(p *Photo) { p.ClassWide = true }, "class_required"},
		{"class wide with no tags", func(p *Photo) { p.ClassWide, p.Class, p.Tagged = true, "c1", 0 }, ""},
		{"published to nobody", func(p *Photo) { p.Tagged = 0 }, "no_audience"},
		{"draft of nobody yet", func(p *Photo) { p.Status, p.Tagged = Draft, 0 }, ""},
		{"withdrawn of nobody", func(p *Photo) { p.Status, p.Tagged = Withdrawn, 0 }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.edit(&p)
			got := CheckPhoto(p, today)
			switch {
			case c.code == "" && got != nil:
				t.Fatalf("refused: %v", got)
			case c.code != "" && (got == nil || got.Code != c.code):
				t.Fatalf("got %v, want %s", got, c.code)
			}
		})
	}
}

func TestOnSale(t *testing.T) {
	today := civil.Date{Year: 2026, Month: time.November, Day: 26}
	cases := []struct {
		status, until string
		want          bool
	}{
		{Published, "", true},
		{Published, "2026-11-26", true}, // the last day still sells
		{Published, "2026-11-25", false},
		{Published, "bad", false},
		{Draft, "", false},
		{Withdrawn, "2026-12-31", false},
	}
	for _, c := range cases {
		if got := OnSale(c.status, c.until, today); got != c.want {
			t.Errorf("OnSale(%s, %q) = %v, want %v", c.status, c.until, got, c.want)
		}
	}
}

func TestQuote(t *testing.T) {
	prices := map[string]int{SizeL: 40, Size2L: 120, SizeData: 200}
	line := func(photo, size string, q int) Line { return Line{Photo: photo, Size: size, Quantity: q} }
	cases := []struct {
		name  string
		lines []Line
		total int
		field string
		code  string
	}{
		{"one print", []Line{line("p1", SizeL, 2)}, 80, "", ""},
		{"prints and data", []Line{line("p1", SizeL, 3), line("p1", Size2L, 1), line("p2", SizeData, 1)}, 440, "", ""},
		{"twenty is the most", []Line{line("p1", SizeL, MaxQuantity)}, 40 * MaxQuantity, "", ""},
		{"nothing", nil, 0, "items", "empty"},
		{"zero prints", []Line{line("p1", SizeL, 0)}, 0, "items.0.quantity", "invalid_quantity"},
		{"twenty-one prints", []Line{line("p1", SizeL, 1), line("p2", SizeL, MaxQuantity+1)}, 0, "items.1.quantity", "invalid_quantity"},
		{"negative prints", []Line{line("p1", SizeL, -1)}, 0, "items.0.quantity", "invalid_quantity"},
		{"size not on the list", []Line{line("p1", SizeA4, 1)}, 0, "items.0.size", "size_unavailable"},
		{"unknown size", []Line{line("p1", "B5", 1)}, 0, "items.0.size", "size_unavailable"},
		{"data twice", []Line{line("p1", SizeData, 2)}, 0, "items.0.quantity", "data_once"},
		{"same line twice", []Line{line("p1", SizeL, 1), line("p1", SizeL, 2)}, 0, "items.1", "duplicate"},
		{"too many lines", make([]Line, MaxLines+1), 0, "items", "too_many"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			priced, total, p := Quote(c.lines, prices)
			if c.code != "" {
				if p == nil || p.Code != c.code || p.Field != c.field {
					t.Fatalf("got %v, want %s at %s", p, c.code, c.field)
				}
				return
			}
			if p != nil {
				t.Fatalf("refused: %v", p)
			}
			if total != c.total {
				t.Fatalf("total %d, want %d", total, c.total)
			}
			sum := 0
			for i, l := range priced {
				if l.Line != c.lines[i] || l.Amount != l.UnitPrice*l.Quantity || l.UnitPrice != prices[l.Size] {
					t.Fatalf("line %d priced as %+v", i, l)
				}
				sum += l.Amount
			}
			if sum != total {
				t.Fatalf("lines sum to %d, total %d", sum, total)
			}
		})
	}
}

func TestBillingMonth(t *testing.T) {
	cases := []struct {
		at   string
		want string
	}{
		{"2026-11-26T03:00:00Z", "2026-11"},
		// 15:00 UTC on the last day of a month is already the 1st in Tokyo.
		{"2026-11-30T15:00:00Z", "2026-12"},
		{"2026-11-30T14:59:59Z", "2026-11"},
		{"2026-12-31T15:30:00Z", "2027-01"},
	}
	for _, c := range cases {
		at, _ := time.Parse(time.RFC3339, c.at)
		if got := BillingMonth(at); got != c.want {
			t.Errorf("BillingMonth(%s) = %s, want %s", c.at, got, c.want)
		}
	}
}

func TestCanCancel(t *testing.T) {
	for status, want := range map[string]bool{Ordered: true, Cancelled: false, Invoiced: false} {
		if got := CanCancel(status); got != want {
			t.Errorf("CanCancel(%s) = %v", status, got)
		}
	}
}
