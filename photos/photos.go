// Package photos holds the rules of nursery photo sales (写真販売): who may
// see a photo, what makes a photo publishable, how an order is priced and
// billed, and when it may be cancelled. It knows nothing of PocketBase; the
// hooks load records and call it with plain values.
package photos

import (
	"fmt"
	"slices"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Photo states, mirrored in the nursery_photos collection.
const (
	Draft     = "draft"     // uploaded, seen by staff only
	Published = "published" // the families it concerns see it and may order
	Withdrawn = "withdrawn" // hidden again; past orders stand
)

// Order states, mirrored in the photo_orders collection.
const (
	Ordered   = "ordered"   // placed, waiting for the monthly invoice
	Cancelled = "cancelled" // withdrawn by the family or the nursery
	Invoiced  = "invoiced"  // on an invoice: fixed
)

// Sizes a nursery may sell. Data is the full-resolution file, downloaded
// once bought; the others are prints.
const (
	SizeL    = "L"
	Size2L   = "2L"
	SizeA4   = "A4"
	SizeData = "data"
)

// Sizes lists every size in display order.
var Sizes = []string{SizeL, Size2L, SizeA4, SizeData}

// Order limits: a print run per photo and line count per order that no
// family needs to exceed, so a typo cannot put 1,000 prints on an invoice.
const (
	MaxQuantity = 20
	MaxLines    = 100
	MaxPrice    = 100000
)

// Problem is why a photo or an order is refused: the field, a stable code
// and a Japanese message.
type Problem struct {
	Field, Code, Message string
}

func (p *Problem) Error() string { return p.Field + ": " + p.Code }

// Audience merges the reader lists (guardians, family viewers and managers
// of every child a photo concerns) into one sorted list of account ids.
func Audience(readers ...[]string) []string {
	var out []string
	for _, r := range readers {
		for _, id := range r {
			if id != "" {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Photo is what CheckPhoto needs to know about a photo.
type Photo struct {
	Status     string
	TakenOn    string // YYYY-MM-DD
	SalesUntil string // YYYY-MM-DD or ""
	Class      string // class id or ""
	ClassWide  bool
	Tagged     int // how many children are tagged
}

// CheckPhoto refuses a photo whose dates or audience make no sense. A
// published photo must concern someone: tagged children or, when class
// wide, the class.
func CheckPhoto(p Photo, today civil.Date) *Problem {
	taken, err := civil.Parse(p.TakenOn)
	if err != nil {
		return &Problem{"takenOn", "invalid_date", "撮影日をYYYY-MM-DDの形式で入力してください。"}
	}
	if taken.After(today) {
		return &Problem{"takenOn", "future_date", "撮影日に未来の日付は入力できません。"}
	}
	if p.SalesUntil != "" {
		until, err := civil.Parse(p.SalesUntil)
		if err != nil {
			return &Problem{"salesUntil", "invalid_date", "販売期限をYYYY-MM-DDの形式で入力してください。"}
		}
		if until.Before(taken) {
			return &Problem{"salesUntil", "before_taken", "販売期限は撮影日より後の日付にしてください。"}
		}
	}
	if p.ClassWide && p.Class == "" {
		return &Problem{"class", "class_required", "クラス全体の写真にするには、クラスを選んでください。"}
	}
	if p.Status == Published && p.Tagged == 0 && !p.ClassWide {
		return &Problem{"children", "no_audience", "公開するには、写っているお子さまを選ぶか、クラス全体の写真にしてください。"}
	}
	return nil
}

// OnSale reports whether a photo may be ordered on the given day.
func OnSale(status, salesUntil string, today civil.Date) bool {
	if status != Published {
		return false
	}
	if salesUntil == "" {
		return true
	}
	until, err := civil.Parse(salesUntil)
	return err == nil && !today.After(until)
}

// Line is one line of an order as the family sends it.
type Line struct {
	Photo    string `json:"photo"`
	Size     string `json:"size"`
	Quantity int    `json:"quantity"`
}

// PricedLine is a line with the price the server charged.
type PricedLine struct {
	Line
	UnitPrice int `json:"unitPrice"`
	Amount    int `json:"amount"`
}

// Quote prices the lines with the nursery's price list (yen by size; a size
// missing from it is not sold) and returns them with the total.
func Quote(lines []Line, prices map[string]int) ([]PricedLine, int, *Problem) {
	if len(lines) == 0 {
		return nil, 0, &Problem{"items", "empty", "注文する写真を選んでください。"}
	}
	if len(lines) > MaxLines {
		return nil, 0, &Problem{"items", "too_many", fmt.Sprintf("1回の注文は%d行までです。分けて注文してください。", MaxLines)}
	}
	seen := map[[2]string]bool{}
	out := make([]PricedLine, len(lines))
	total := 0
	for i, l := range lines {
		field := fmt.Sprintf("items.%d", i)
		price, sold := prices[l.Size]
		switch {
		case !slices.Contains(Sizes, l.Size) || !sold:
			return nil, 0, &Problem{field + ".size", "size_unavailable", "この園では選んだサイズを販売していません。"}
		case l.Quantity < 1 || l.Quantity > MaxQuantity:
			return nil, 0, &Problem{field + ".quantity", "invalid_quantity", fmt.Sprintf("枚数は1〜%d枚で選んでください。", MaxQuantity)}
		case l.Size == SizeData && l.Quantity != 1:
			return nil, 0, &Problem{field + ".quantity", "data_once", "データは1枚ずつのご購入です。"}
		case seen[[2]string{l.Photo, l.Size}]:
			return nil, 0, &Problem{field, "duplicate", "同じ写真・同じサイズが2行あります。枚数をまとめてください。"}
		}
		seen[[2]string{l.Photo, l.Size}] = true
		out[i] = PricedLine{Line: l, UnitPrice: price, Amount: price * l.Quantity}
		total += out[i].Amount
	}
	return out, total, nil
}

// BillingMonth is the month (YYYY-MM, Tokyo) whose invoice carries an order
// placed at t.
func BillingMonth(t time.Time) string {
	d := civil.DateOf(t)
	return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
}

// CanCancel reports whether an order in the given state may be cancelled:
// until it is on an invoice.
func CanCancel(status string) bool { return status == Ordered }
