package seed

import (
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/invoicing"
)

// billingLookback bounds how far back the demo looks for a month that has
// a fee table (a demo made after the last loaded fiscal year still bills).
const billingLookback = 24

// billing runs the previous month's billing for the demo city, leaving the
// drafts for 保育担当 to look at, and issues the demo parent's invoice so
// /me/invoices/ shows one (parent2's stays a draft the family cannot see).
func (d *demo) billing() error {
	month := civil.Date{Year: d.today.Year, Month: d.today.Month, Day: 1}
	for range billingLookback {
		month = month.AddMonthsClamped(-1)
		s, err := invoicing.Run(d.tx, bulk, month, "")
		if errors.Is(err, invoicing.ErrNoFeeTable) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo billing: %w", err)
		}
		if err := auditlog.LogImport(d.tx, collections.Invoices, s.Changes()); err != nil {
			return err
		}
		return d.issueParentInvoice(s.Month)
	}
	return nil // no fee table at all: nothing to bill
}

func (d *demo) issueParentInvoice(month string) error {
	invs, err := d.tx.FindAllRecords(collections.Invoices, dbx.HashExp{
		"household": d.records["parent"].GetString("household"), "month": month, "status": collections.InvoiceDraft,
	})
	if err != nil {
		return err
	}
	for _, inv := range invs {
		inv.Set("status", collections.InvoiceIssued)
		inv.Set("note", "口座振替日: 翌月27日（デモ）")
		if err := d.tx.SaveWithContext(bulk, inv); err != nil {
			return err
		}
	}
	return nil
}
