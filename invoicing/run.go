// Package invoicing runs the monthly nursery billing against the database:
// it loads a month in a handful of queries, lets package billing compute
// the invoices, and stores them in one transaction. It is the PocketBase
// side of billing, as auditlog is of audit; the CLI, the monthly job, the
// city's route and the demo all call it.
package invoicing

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/billing"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// Errors a caller may turn into a field error.
var (
	ErrNoFeeTable     = errors.New("invoicing: no fee table for the month")
	ErrUnknownNursery = errors.New("invoicing: no nursery settings for that nursery")
)

// Summary is what a run did.
type Summary struct {
	Month     string `json:"month"`
	Nursery   string `json:"nursery"`
	Invoices  int    `json:"invoices"`  // the month's invoices in scope after the run
	Created   int    `json:"created"`   // new drafts
	Updated   int    `json:"updated"`   // drafts whose amounts or notes changed
	Unchanged int    `json:"unchanged"` // drafts left as they were
	Skipped   int    `json:"skipped"`   // issued or paid: never touched again
	Held      int    `json:"held"`      // drafts that need a check before issue
	TotalYen  int    `json:"totalYen"`  // sum of the in-scope invoices
	// Problems are data problems no invoice can carry (a child with no
	// household, say), in Japanese.
	Problems []string `json:"problems"`
}

// Changes counts the invoices the run wrote.
func (s Summary) Changes() int { return s.Created + s.Updated }

// Run bills a month (its first day; any day works) for every nursery or
// only one. Drafts are recomputed in place, issued and paid invoices are
// left alone, and an invoice that would not change is not saved, so a
// second run changes nothing. Everything is written in one transaction.
// ctx carries the actor for the audit log.
func Run(app core.App, ctx context.Context, day civil.Date, nursery string) (Summary, error) {
	first := civil.Date{Year: day.Year, Month: day.Month, Day: 1}
	s := Summary{Month: monthKey(first), Nursery: nursery, Problems: []string{}}
	m, err := load(app, first, nursery)
	if err != nil {
		return s, err
	}
	// The stored invoices and photo orders are read, and the invoices
	// computed, inside the write transaction: PocketBase runs one writer at
	// a time, so two runs of a month (the job and a person) cannot both
	// create an invoice, and an order cancelled meanwhile is not billed.
	err = app.RunInTransaction(func(tx core.App) error {
		existing, err := existingInvoices(tx, s.Month, nursery)
		if err != nil {
			return err
		}
		if err := m.loadPhotos(tx); err != nil {
			return err
		}
		stored := map[string]bool{}
		for _, r := range existing {
			stored[r.Id] = true
		}
		m.in.Photos = m.photosFor(stored)
		computed, err := billing.Run(m.in)
		if errors.Is(err, billing.ErrNoFeeTable) {
			return ErrNoFeeTable
		}
		if err != nil {
			return err
		}
		w := &writer{tx: tx, ctx: ctx, m: m, existing: existing, summary: &s}
		return w.write(computed)
	})
	s.Problems = append(s.Problems, m.notes...)
	return s, err
}

type invoiceKey struct{ household, nursery string }

func existingInvoices(app core.App, month, nursery string) (map[invoiceKey]*core.Record, error) {
	filter := dbx.HashExp{"month": month}
	if nursery != "" {
		filter["nursery"] = nursery
	}
	recs, err := app.FindAllRecords(collections.Invoices, filter)
	out := make(map[invoiceKey]*core.Record, len(recs))
	for _, r := range recs {
		out[invoiceKey{r.GetString("household"), r.GetString("nursery")}] = r
	}
	return out, err
}

type writer struct {
	tx       core.App
	ctx      context.Context
	m        *month
	existing map[invoiceKey]*core.Record
	summary  *Summary
	col      *core.Collection
}

func (w *writer) write(computed []billing.Invoice) error {
	col, err := w.tx.FindCachedCollectionByNameOrId(collections.Invoices)
	if err != nil {
		return err
	}
	w.col = col
	seen := map[invoiceKey]bool{}
	for _, inv := range computed {
		k := invoiceKey{inv.Household, inv.Nursery}
		seen[k] = true
		if err := w.put(k, inv); err != nil {
			return err
		}
	}
	// A draft the month no longer bills (an enrolment corrected away) is
	// emptied rather than deleted: nobody deletes invoices.
	for k := range w.existing {
		if !seen[k] {
			if err := w.put(k, billing.Invoice{Household: k.household, Nursery: k.nursery, Warnings: []billing.Warning{{
				Code: billing.WarnNoCharges, Hold: true, Message: "今月の請求対象がなくなりました。発行は不要です。",
			}}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// put stores one computed invoice unless it is issued or paid, or would
// not change.
func (w *writer) put(k invoiceKey, inv billing.Invoice) error {
	rec := w.existing[k]
	if rec != nil && rec.GetString("status") != collections.InvoiceDraft {
		w.summary.Skipped++
		w.count(rec.GetInt("total"), false)
		w.noteSkipped(rec, inv)
		return nil
	}
	fields := map[string]any{
		"addressee": w.m.addressees[inv.Household], "nurseryName": w.m.nurseryNames[inv.Nursery],
		"lines": nonNil(inv.Lines), "total": inv.Total, "warnings": nonNil(inv.Warnings),
	}
	switch {
	case rec == nil:
		rec = core.NewRecord(w.col)
		rec.Load(map[string]any{"household": inv.Household, "nursery": inv.Nursery, "month": w.summary.Month, "status": collections.InvoiceDraft})
		rec.Load(fields)
		w.summary.Created++
	case sameInvoice(rec, fields):
		w.summary.Unchanged++
		w.count(inv.Total, inv.Held())
		return w.markPhotos(rec.Id, inv.PhotoOrders)
	default:
		rec.Load(fields)
		w.summary.Updated++
	}
	w.count(inv.Total, inv.Held())
	if err := w.tx.SaveWithContext(w.ctx, rec); err != nil {
		return err
	}
	return w.markPhotos(rec.Id, inv.PhotoOrders)
}

// noteSkipped tells staff what an issued invoice no longer shows: a
// different amount after a correction, or photo orders that came too late.
func (w *writer) noteSkipped(rec *core.Record, inv billing.Invoice) {
	who := rec.GetString("addressee") + "様（" + w.m.nurseryNames[inv.Nursery] + "）"
	late, lateYen := 0, 0
	for _, id := range inv.PhotoOrders {
		if r := w.m.photoRecords[id]; r != nil && r.GetString("status") == photoOrdered {
			late++
			lateYen += r.GetInt("total")
		}
	}
	if total := inv.Total - lateYen; total != rec.GetInt("total") {
		w.m.note("%sの発行済みの請求書（%d円）は、いまのデータで計算すると%d円です。差額は翌月以降に調整してください。", who, rec.GetInt("total"), total)
	}
	if late > 0 {
		w.m.note("%sの写真の注文%d件（%d円）は、請求書が発行済みのため載せていません。", who, late, lateYen)
	}
}

func (w *writer) count(total int, held bool) {
	w.summary.Invoices++
	w.summary.TotalYen += total
	if held {
		w.summary.Held++
	}
}

// markPhotos puts the orders on the invoice at the run: from then on they
// cannot be cancelled, and a rerun finds them through the invoice id.
func (w *writer) markPhotos(invoice string, ids []string) error {
	for _, id := range ids {
		r := w.m.photoRecords[id]
		if r == nil || (r.GetString("status") == photoInvoiced && r.GetString("invoice") == invoice) {
			continue
		}
		r.Set("status", photoInvoiced)
		r.Set("invoice", invoice)
		if err := w.tx.SaveWithContext(w.ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// sameInvoice compares a stored draft with freshly computed fields through
// their JSON, the form they are stored in.
func sameInvoice(rec *core.Record, fields map[string]any) bool {
	for name, v := range fields {
		switch name {
		case "lines", "warnings":
			var stored, fresh any
			raw, _ := json.Marshal(v)
			if json.Unmarshal([]byte(rec.GetString(name)), &stored) != nil || json.Unmarshal(raw, &fresh) != nil ||
				!reflect.DeepEqual(stored, fresh) {
				return false
			}
		case "total":
			if rec.GetInt(name) != v.(int) {
				return false
			}
		default:
			if rec.GetString(name) != v.(string) {
				return false
			}
		}
	}
	return true
}

// nonNil stores an empty list as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ClosingDay runs, for each nursery whose closing day is today's day of the
// month, the previous month: the monthly job.
func ClosingDay(app core.App, ctx context.Context, today civil.Date) ([]Summary, error) {
	var nurseries []string
	err := app.DB().Select("nursery").From("nurseries").Where(dbx.HashExp{"closingDay": today.Day}).OrderBy("nursery").Column(&nurseries)
	if err != nil {
		return nil, err
	}
	prev := civil.Date{Year: today.Year, Month: today.Month, Day: 1}.AddMonthsClamped(-1)
	var out []Summary
	var errs []error
	for _, n := range nurseries {
		s, err := Run(app, ctx, prev, n)
		out = append(out, s)
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// IssueSummary is what a bulk issue did.
type IssueSummary struct {
	Month  string `json:"month"`
	Issued int    `json:"issued"`
	Held   int    `json:"held"` // drafts with a warning that asks for a check first
}

// Issue issues the month's drafts (of one nursery, or all) that carry no
// warning asking for a check, in one transaction. The invoices hook stamps
// issuedAt and tells the families.
func Issue(app core.App, ctx context.Context, day civil.Date, nursery string) (IssueSummary, error) {
	first := civil.Date{Year: day.Year, Month: day.Month, Day: 1}
	s := IssueSummary{Month: monthKey(first)}
	filter := dbx.HashExp{"month": s.Month, "status": collections.InvoiceDraft}
	if nursery != "" {
		filter["nursery"] = nursery
	}
	err := app.RunInTransaction(func(tx core.App) error {
		drafts, err := tx.FindAllRecords(collections.Invoices, filter)
		if err != nil {
			return err
		}
		for _, r := range drafts {
			if held(r) {
				s.Held++
				continue
			}
			r.Set("status", collections.InvoiceIssued)
			if err := tx.SaveWithContext(ctx, r); err != nil {
				return err
			}
			s.Issued++
		}
		return nil
	})
	return s, err
}

func held(r *core.Record) bool {
	var ws []billing.Warning
	_ = json.Unmarshal([]byte(r.GetString("warnings")), &ws)
	return billing.Invoice{Warnings: ws}.Held()
}
