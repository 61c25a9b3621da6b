package collections

import "github.com/pocketbase/pocketbase/core"

// Invoices are the monthly nursery bills (請求書), one per household,
// nursery and month. Only the billing run writes their amounts; people move
// their status.
const Invoices = "invoices"

// Invoice states: a draft is the run's to recompute and only staff see it;
// issued goes to the family; paid closes it.
const (
	InvoiceDraft  = "draft"
	InvoiceIssued = "issued"
	InvoicePaid   = "paid"
)

// invoiceComputed are the fields the billing run owns.
var invoiceComputed = []string{"household", "nursery", "month", "addressee", "nurseryName", "lines", "total", "warnings", "issuedAt", "paidAt"}

func init() {
	register(Spec{
		Name: Invoices, System: SystemNursery, Personal: true, Sensitive: true, Subject: "household",
		Description: "保育施設の月次請求書（世帯・施設・月ごとに1件）。保育料・延長保育料・副食費・写真代の内訳と合計。金額は請求処理だけが計算する",
		Fields: []core.Field{
			&core.RelationField{Name: "household", Required: true, MaxSelect: 1, CollectionId: Id("households"), Help: "請求先の世帯"},
			nurseryField(),
			&core.TextField{Name: "month", Required: true, Max: 7, Pattern: `^\d{4}-(0[1-9]|1[0-2])$`, Presentable: true, Help: "対象月（YYYY-MM）"},
			&core.TextField{Name: "addressee", Max: 100, Help: "宛名（請求時点の保護者の氏名）"},
			&core.TextField{Name: "nurseryName", Max: 200, Help: "施設名（請求時点）"},
			&core.JSONField{Name: "lines", MaxSize: 64 << 10, Help: "内訳: [{kind: hoikuryo=保育料|extension=延長保育料|side_dish=副食費|photos=写真代, child, childName, label, detail, quantity, unit, yen, notes}]"},
			&core.NumberField{Name: "total", OnlyInt: true, Min: ptr(0.0), Help: "合計（円）"},
			&core.JSONField{Name: "warnings", MaxSize: 64 << 10, Help: "発行前の確認事項: [{code, child, childName, date, message, hold}]（hold=true は確認が済むまで一括発行しない）"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{InvoiceDraft, InvoiceIssued, InvoicePaid}, Help: "状態: draft=下書き（職員のみ閲覧・再計算される）, issued=発行済, paid=入金済"},
			&core.DateField{Name: "issuedAt", Help: "発行日時"},
			&core.DateField{Name: "paidAt", Help: "入金確認日時"},
			&core.TextField{Name: "note", Max: 500, Help: "備考（請求書に印字される。例: 口座振替日）"},
		},
		Indexes: []Index{
			{Name: "idx_invoices_household", Unique: true, Columns: "household, nursery, month"},
			{Name: "idx_invoices_nursery", Columns: "nursery, month, status"},
			{Name: "idx_invoices_month", Columns: "month, status"},
		},
		// Families read their household's invoices once issued; the nursery
		// reads its own; 保育担当 reads all, issues and records payment. A
		// director may record payment of the nursery's invoices (private
		// nurseries collect extended care and 副食費 themselves). Nobody
		// deletes an invoice, and the amounts change only by a rerun.
		Rules: Rules{
			List: anyOf(allOf(citizen, `household = @request.auth.household`, `status != "draft"`),
				nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
			View: anyOf(allOf(citizen, `household = @request.auth.household`, `status != "draft"`),
				nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
			Update: anyOf(allOf(cityStaffIn(DeptNursery), bodyUnset(invoiceComputed...)),
				allOf(nurseryDirectorOf("nursery"), `@request.body.status = "paid"`, bodyUnset(append(invoiceComputed, "note")...))),
		},
	})
}
