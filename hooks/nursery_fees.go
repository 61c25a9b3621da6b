package hooks

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/fees"
	"github.com/saijo-dx/lifestage/invoicing"
)

const (
	// feeEstimateBodyLimit caps the estimate's body: eight short fields.
	feeEstimateBodyLimit = 2 << 10
	// maxIncomeTax and maxSiblingOrder bound what a form can send; no
	// household is near either.
	maxIncomeTax    = 100_000_000
	maxSiblingOrder = 20
)

// sideDishPolicy prices 副食費 at the national guide: Saijo's own amount is
// not in our sources (domain-data.md §7), and the answer says so.
var sideDishPolicy = fees.NationalPolicy()

// bindNurseryFees serves the public nursery fee estimate.
func bindNurseryFees(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Public, like the fee table it reads: a family can estimate before
		// applying. Nothing is stored; the guest limit on /api/lifestage/
		// applies.
		se.Router.POST("/api/lifestage/nursery/fee-estimate", feeEstimate).Bind(apis.BodyLimit(feeEstimateBodyLimit))
		return se.Next()
	})
}

type feeEstimateResponse struct {
	FiscalYear  int      `json:"fiscalYear"`
	ClassAge    int      `json:"classAge"`
	TaxYear     int      `json:"taxYear"`
	Tier        string   `json:"tier"`
	TierLabel   string   `json:"tierLabel"`
	Hours       string   `json:"hours"`
	BaseFee     int      `json:"baseFee"`
	Fee         int      `json:"fee"`
	SideDishFee int      `json:"sideDishFee"`
	Notes       []string `json:"notes"`
}

func feeEstimate(e *core.RequestEvent) error {
	body := struct {
		BirthDate          string `json:"birthDate"`
		Month              string `json:"month"`
		Hours              string `json:"hours"`
		Welfare            bool   `json:"welfare"`
		TaxExempt          bool   `json:"taxExempt"`
		IncomeTax          any    `json:"incomeTax"` // any: a string or a fraction gets a field error
		ProtectedHousehold bool   `json:"protectedHousehold"`
		SiblingOrder       any    `json:"siblingOrder"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("birthDate", "invalid_body", "リクエストの形式が正しくありません。")
	}
	errs := validation.Errors{}
	in := fees.Input{
		Hours:     fees.Hours(strings.TrimSpace(body.Hours)),
		Income:    fees.Income{Welfare: body.Welfare, TaxExempt: body.TaxExempt},
		Protected: body.ProtectedHousehold,
	}
	in.Birth = parseBirthDate(errs, body.BirthDate)
	in.Month = parseMonth(errs, body.Month)
	if in.Hours == "" {
		errs["hours"] = validation.NewError("required", "保育時間（standard＝保育標準時間、short＝保育短時間）を指定してください。")
	}
	// A household on welfare or exempt from tax has no 所得割 to type in.
	in.Income.IncomeTax = wholeNumber(errs, "incomeTax", body.IncomeTax, maxIncomeTax, !body.Welfare && !body.TaxExempt,
		"市民税所得割額を円単位で入力してください（均等割のみの世帯は0）。")
	in.SiblingOrder = 1
	if body.SiblingOrder != nil {
		in.SiblingOrder = wholeNumber(errs, "siblingOrder", body.SiblingOrder, maxSiblingOrder, true,
			"きょうだいの順番は1（第1子）から20までの整数で指定してください。")
	}
	if len(errs) > 0 {
		return badInput(errs)
	}
	for _, p := range in.Check() {
		errs[p.Field] = validation.NewError(p.Code, p.Message)
	}
	if len(errs) > 0 {
		return badInput(errs)
	}

	fy := civil.FiscalYear(in.Month)
	table, found, err := invoicing.LoadFeeTable(e.App, fy)
	switch {
	case err != nil:
		e.App.Logger().Error("fee table unusable", "fiscalYear", fy, "error", err)
		return e.InternalServerError("保育料表に不備があるため計算できません。市の保育担当へお問い合わせください。", nil)
	case !found:
		return fieldError("month", "no_fee_table", fmt.Sprintf("%d年度（%d年4月〜%d年3月）の保育料表はまだありません。", fy, fy, fy+1))
	}
	est, err := fees.Compute(table, in, sideDishPolicy)
	if err != nil {
		return e.InternalServerError("保育料を計算できませんでした。", nil)
	}
	return e.JSON(http.StatusOK, feeEstimateResponse{
		FiscalYear: est.FiscalYear, ClassAge: est.ClassAge, TaxYear: est.TaxYear,
		Tier: string(est.Tier), TierLabel: est.TierLabel, Hours: string(in.Hours),
		BaseFee: est.BaseFee, Fee: est.Fee, SideDishFee: est.SideDishFee,
		Notes: append(est.Notes, estimateCaveats(est)...),
	})
}

// estimateCaveats are what the public answer adds to the computation.
func estimateCaveats(est fees.Estimate) []string {
	out := []string{}
	if est.SideDishFee > 0 {
		out = append(out, "副食費は国の目安額で示しています。実際の額は入所する施設にご確認ください。")
	}
	return append(out, "この金額は試算です。保育料は市が世帯の状況と税額を確認して決定し、通知します。")
}

func badInput(errs validation.Errors) error {
	msg := "入力内容を確認してください。"
	if len(errs) == 1 {
		for _, err := range errs {
			msg = err.Error()
		}
	}
	return apis.NewBadRequestError(msg, errs)
}

func parseBirthDate(errs validation.Errors, s string) civil.Date {
	s = strings.TrimSpace(s)
	d, err := civil.Parse(s)
	switch {
	case s == "":
		errs["birthDate"] = validation.NewError("required", "生年月日を入力してください。")
	case err != nil:
		errs["birthDate"] = validation.NewError("invalid_date", "生年月日は YYYY-MM-DD の形式で指定してください（例: 2025-04-10）。")
	case d.After(civil.Today()):
		errs["birthDate"] = validation.NewError("future_date", "生年月日が今日より後になっています。")
	}
	return d
}

// parseMonth reads a billing month, YYYY-MM, as its first day.
func parseMonth(errs validation.Errors, s string) civil.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		errs["month"] = validation.NewError("required", "対象月を入力してください（例: 2026-06）。")
		return civil.Date{}
	}
	d, err := civil.Parse(s + "-01")
	if len(s) != len("2006-01") || err != nil {
		errs["month"] = validation.NewError("invalid_month", "対象月は YYYY-MM の形式で指定してください（例: 2026-06）。")
	}
	return d
}

// wholeNumber reads a JSON number that must be a whole number up to most
// (fees.Input.Check reports one that is too small); absent is 0, or an
// error when required.
func wholeNumber(errs validation.Errors, field string, v any, most int, required bool, msg string) int {
	var n float64
	switch x := v.(type) {
	case nil:
		if required {
			errs[field] = validation.NewError("required", msg)
		}
		return 0
	case float64:
		n = x
	default:
		errs[field] = validation.NewError("invalid_number", msg)
		return 0
	}
	switch {
	case n != math.Trunc(n):
		errs[field] = validation.NewError("not_integer", msg)
	case n > float64(most):
		errs[field] = validation.NewError("too_large", msg)
	}
	// Any negative becomes -1, which the domain rejects with its own code;
	// a huge negative float has no int.
	return int(max(n, -1))
}
