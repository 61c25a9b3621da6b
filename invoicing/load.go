package invoicing

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/billing"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/fees"
)

// PhotoOrders is the photo sales engineer's collection; billing reads it
// by these field names when it exists: household, nursery, month
// ("YYYY-MM"), total (yen), status (ordered|cancelled|invoiced), invoice.
const PhotoOrders = "photo_orders"

// Photo order states billing reads and writes.
const (
	photoOrdered  = "ordered"
	photoInvoiced = "invoiced"
)

// LoadFeeTable reads a fiscal year's fee table from fee_tables, where city
// staff keep it; found is false when the year has no rows.
func LoadFeeTable(app core.App, fy int) (t fees.Table, found bool, err error) {
	recs, err := app.FindAllRecords(collections.FeeTables, dbx.HashExp{"fiscalYear": fy})
	if err != nil || len(recs) == 0 {
		return fees.Table{}, false, err
	}
	rows := make([]fees.Row, 0, len(recs))
	source := ""
	for _, r := range recs {
		tier, err := fees.ParseTier(r.GetString("tier"))
		if err != nil {
			return fees.Table{}, true, err
		}
		rows = append(rows, fees.Row{
			Tier: tier, Label: r.GetString("label"),
			IncomeTaxFrom: r.GetInt("incomeTaxFrom"), IncomeTaxBelow: r.GetInt("incomeTaxBelow"),
			Standard: r.GetInt("standard"), Short: r.GetInt("short"),
			ProtectedStandard: r.GetInt("protectedStandard"), ProtectedShort: r.GetInt("protectedShort"),
		})
		if source == "" {
			source = r.GetString("source")
		}
	}
	t, err = fees.NewTable(fy, source, rows)
	return t, true, err
}

// month is what a run loads: the billing input plus what the stored
// invoices show that billing does not compute (names).
type month struct {
	in           billing.Input
	first, last  civil.Date
	nurseryNames map[string]string
	addressees   map[string]string // by household
	photoRecords map[string]*core.Record
	notes        []string // problems with the data that no invoice can show
}

// load reads everything a month's run needs in a fixed handful of queries,
// whatever the number of children.
func load(app core.App, first civil.Date, nursery string) (*month, error) {
	m := &month{first: first, last: first.AddMonthsClamped(1).AddDays(-1), nurseryNames: map[string]string{}}
	m.in = billing.Input{Month: first, Policy: fees.NationalPolicy(), Nursery: nursery}
	fy := civil.FiscalYear(first)
	table, found, err := LoadFeeTable(app, fy)
	switch {
	case err != nil:
		return nil, fmt.Errorf("invoicing: the FY%d fee table: %w", fy, err)
	case !found:
		return nil, fmt.Errorf("%w (FY%d)", ErrNoFeeTable, fy)
	}
	m.in.Table = table
	steps := []func(core.App) error{m.loadSettings, m.loadEnrolments, m.loadAssessments, m.loadChildren, m.loadAttendance}
	for _, step := range steps {
		if err := step(app); err != nil {
			return nil, err
		}
	}
	if nursery != "" {
		if _, ok := m.in.Settings[nursery]; !ok {
			return nil, ErrUnknownNursery
		}
	}
	return m, nil
}

func (m *month) params() dbx.Params {
	return dbx.Params{"first": m.first.String(), "last": m.last.String(), "nursery": m.in.Nursery}
}

func (m *month) loadSettings(app core.App) error {
	var rows []struct {
		Nursery      string `db:"nursery"`
		Name         string `db:"name"`
		StandardFrom string `db:"standardFrom"`
		ShortFrom    string `db:"shortFrom"`
		Unit         int    `db:"extensionUnitMinutes"`
		Price        int    `db:"extensionUnitPrice"`
		Cap          int    `db:"extensionMonthlyCap"`
		SideDish     int    `db:"sideDishFee"`
	}
	err := app.DB().NewQuery(`SELECT n.nursery, COALESCE(f.name, '') AS name, n.standardFrom, n.shortFrom,
		n.extensionUnitMinutes, n.extensionUnitPrice, n.extensionMonthlyCap, n.sideDishFee
		FROM nurseries n LEFT JOIN facilities f ON f.id = n.nursery`).All(&rows)
	if err != nil {
		return err
	}
	m.in.Settings = make(map[string]billing.Settings, len(rows))
	for _, r := range rows {
		std, err1 := billing.ParseClock(r.StandardFrom)
		short, err2 := billing.ParseClock(r.ShortFrom)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("invoicing: nursery %s has a bad start time", r.Nursery)
		}
		m.in.Settings[r.Nursery] = billing.Settings{StandardFrom: std, ShortFrom: short,
			ExtensionUnit: time.Duration(r.Unit) * time.Minute, ExtensionPrice: r.Price, ExtensionCap: r.Cap, SideDish: r.SideDish}
		m.nurseryNames[r.Nursery] = r.Name
	}
	return nil
}

// enrolmentWindow selects the enrolments that touch the month.
const enrolmentWindow = `e.start <= {:last} AND (e."end" = '' OR e."end" IS NULL OR e."end" >= {:first})`

// loadEnrolments reads every nursery's enrolments of the month (siblings
// count across nurseries) with the child's name and birth date, and names
// each household's addressee: the first guardian of its eldest child.
func (m *month) loadEnrolments(app core.App) error {
	var rows []struct {
		Child          string `db:"child"`
		Household      string `db:"household"`
		Nursery        string `db:"nursery"`
		Hours          string `db:"hours"`
		CertifiedHours int    `db:"certifiedHours"`
		Start          string `db:"start"`
		End            string `db:"end"`
		Birth          string `db:"birthDate"`
		FamilyName     string `db:"familyName"`
		GivenName      string `db:"givenName"`
		Guardians      string `db:"guardians"`
	}
	err := app.DB().NewQuery(`SELECT e.child, COALESCE(NULLIF(e.household, ''), c.household, '') AS household, e.nursery,
		e.hours, COALESCE(e.certifiedHours, 0) AS certifiedHours, e.start, COALESCE(e."end", '') AS "end",
		c.birthDate, c.familyName, c.givenName, COALESCE(c.guardians, '[]') AS guardians
		FROM enrolments e JOIN children c ON c.id = e.child
		WHERE ` + enrolmentWindow + ` ORDER BY c.birthDate, e.child`).Bind(m.params()).All(&rows)
	if err != nil {
		return err
	}
	firstGuardian := map[string]string{} // household -> user id
	for _, r := range rows {
		birth, err1 := civil.Parse(r.Birth)
		start, err2 := civil.Parse(r.Start)
		end, err3 := civil.Parse(r.End)
		if r.End == "" {
			end, err3 = civil.Date{}, nil
		}
		name := r.FamilyName + " " + r.GivenName
		switch {
		case err1 != nil || err2 != nil || err3 != nil:
			m.note("%sの生年月日または入所期間の日付が読めないため、請求していません。", name)
			continue
		case r.Household == "":
			m.note("%sの世帯が登録されていないため、請求していません。", name)
			continue
		}
		m.in.Enrolments = append(m.in.Enrolments, billing.Enrolment{Child: r.Child, ChildName: name, Birth: birth,
			Household: r.Household, Nursery: r.Nursery, Hours: fees.Hours(r.Hours), CertifiedHours: r.CertifiedHours,
			Start: start, End: end})
		var guardians []string
		if _, ok := firstGuardian[r.Household]; !ok && json.Unmarshal([]byte(r.Guardians), &guardians) == nil && len(guardians) > 0 {
			firstGuardian[r.Household] = guardians[0]
		}
	}
	return m.loadAddressees(app, firstGuardian)
}

// loadAddressees names each household's addressee: its eldest child's
// first guardian account, else the household head (世帯主) of the resident
// register, who receives the city's mail.
func (m *month) loadAddressees(app core.App, firstGuardian map[string]string) error {
	m.addressees = map[string]string{}
	ids := make([]any, 0, len(firstGuardian))
	for _, id := range firstGuardian {
		ids = append(ids, id)
	}
	if len(ids) > 0 {
		var users []struct {
			ID   string `db:"id"`
			Name string `db:"name"`
		}
		if err := app.DB().Select("id", "name").From(collections.Users).Where(dbx.In("id", ids...)).All(&users); err != nil {
			return err
		}
		names := make(map[string]string, len(users))
		for _, u := range users {
			names[u.ID] = u.Name
		}
		for h, id := range firstGuardian {
			m.addressees[h] = names[id]
		}
	}
	var heads []struct {
		Household string `db:"household"`
		Name      string `db:"name"`
	}
	err := app.DB().NewQuery(`SELECT r.household, r.familyName || ' ' || r.givenName AS name FROM residents r
		WHERE r.relationship = '世帯主' AND r.household IN (SELECT e.household FROM enrolments e WHERE ` + enrolmentWindow + `)
		ORDER BY r.birthDate, r.id`).Bind(m.params()).All(&heads)
	for _, h := range heads {
		if m.addressees[h.Household] == "" {
			m.addressees[h.Household] = h.Name
		}
	}
	return err
}

func (m *month) loadAssessments(app core.App) error {
	var rows []struct {
		Household string `db:"household"`
		IncomeTax int    `db:"incomeTax"`
		Welfare   bool   `db:"welfare"`
		TaxExempt bool   `db:"taxExempt"`
		Protected bool   `db:"protectedHousehold"`
	}
	taxYear := fees.TaxYear(m.first)
	err := app.DB().Select("household", "incomeTax", "welfare", "taxExempt", "protectedHousehold").
		From("fee_assessments").Where(dbx.HashExp{"taxYear": taxYear}).All(&rows)
	m.in.Assessments = make(map[string]billing.Assessment, len(rows))
	for _, r := range rows {
		m.in.Assessments[r.Household] = billing.Assessment{Protected: r.Protected,
			Income: fees.Income{Welfare: r.Welfare, TaxExempt: r.TaxExempt, IncomeTax: r.IncomeTax, TaxYear: taxYear}}
	}
	return err
}

// loadChildren reads all children of the households in care, any age, for
// the low-income sibling count.
func (m *month) loadChildren(app core.App) error {
	var rows []struct {
		ID        string `db:"id"`
		Household string `db:"household"`
		Birth     string `db:"birthDate"`
	}
	err := app.DB().NewQuery(`SELECT c.id, c.household, c.birthDate FROM children c
		WHERE c.household IN (SELECT e.household FROM enrolments e WHERE ` + enrolmentWindow + `)`).Bind(m.params()).All(&rows)
	m.in.Children = map[string]map[string]civil.Date{}
	for _, r := range rows {
		birth, perr := civil.Parse(r.Birth)
		if perr != nil {
			continue
		}
		if m.in.Children[r.Household] == nil {
			m.in.Children[r.Household] = map[string]civil.Date{}
		}
		m.in.Children[r.Household][r.ID] = birth
	}
	return err
}

// loadAttendance reads the month's attendance of the billed nurseries
// through the (nursery, date) index.
func (m *month) loadAttendance(app core.App) error {
	nurseries := []any{m.in.Nursery}
	if m.in.Nursery == "" {
		nurseries = nurseries[:0]
		for n := range m.in.Settings {
			nurseries = append(nurseries, n)
		}
	}
	// Scanned by hand: this is the largest read of a run (a row per child
	// and day), and reflection doubled its cost.
	rows, err := app.DB().Select("child", "nursery", "date", "checkIn", "checkOut").From("attendance").
		Where(dbx.In("nursery", nurseries...)).
		AndWhere(dbx.Between("date", m.first.String(), m.last.String())).
		OrderBy("child", "date").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	m.in.Attendance = map[string][]billing.Attendance{}
	var child, nursery, date, in, out string
	for rows.Next() {
		if err := rows.Scan(&child, &nursery, &date, &in, &out); err != nil {
			return err
		}
		day, perr := civil.Parse(date)
		if perr != nil {
			continue
		}
		m.in.Attendance[child] = append(m.in.Attendance[child], billing.Attendance{
			Nursery: nursery, Date: day, In: instant(in), Out: instant(out)})
	}
	return rows.Err()
}

// instant reads a stored date field; empty or unreadable is zero.
func instant(s string) time.Time {
	dt, err := types.ParseDateTime(s)
	if err != nil {
		return time.Time{}
	}
	return dt.Time()
}

// loadPhotos reads the month's photo orders still to bill, and those an
// earlier run put on an invoice. Without the collection there is nothing
// to bill.
func (m *month) loadPhotos(app core.App) error {
	m.photoRecords = map[string]*core.Record{}
	if _, err := app.FindCachedCollectionByNameOrId(PhotoOrders); err != nil {
		return nil
	}
	filter := dbx.And(dbx.HashExp{"month": monthKey(m.first)}, dbx.In("status", photoOrdered, photoInvoiced))
	if m.in.Nursery != "" {
		filter = dbx.And(filter, dbx.HashExp{"nursery": m.in.Nursery})
	}
	recs, err := app.FindAllRecords(PhotoOrders, filter)
	if err != nil {
		return err
	}
	for _, r := range recs {
		m.photoRecords[r.Id] = r
	}
	return nil
}

// photosFor picks the orders billing should see: every order still to
// bill, and the invoiced ones of the invoices in the run's scope, so that a
// recomputed invoice keeps its photos.
func (m *month) photosFor(invoices map[string]bool) []billing.PhotoOrder {
	var out []billing.PhotoOrder
	for _, r := range m.photoRecords {
		if r.GetString("status") == photoInvoiced && !invoices[r.GetString("invoice")] {
			continue
		}
		out = append(out, billing.PhotoOrder{ID: r.Id, Household: r.GetString("household"), Nursery: r.GetString("nursery"), Total: r.GetInt("total")})
	}
	slices.SortFunc(out, func(a, b billing.PhotoOrder) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (m *month) note(format string, args ...any) {
	m.notes = append(m.notes, fmt.Sprintf(format, args...))
}

// monthKey is the stored spelling of a month, YYYY-MM.
func monthKey(d civil.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }
