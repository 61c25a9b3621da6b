package hooks

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/ratio"
)

// Live staffing ratios (職員配置): per class, the children checked in by
// age group against the staff at work, and an alert to the nursery when a
// class or the nursery is short.

const (
	ratiosJobID       = "lifestageStaffRatios"
	ratiosJobSchedule = "*/5 * * * *"
	kindUnderstaffed  = "nursery.understaffed"
	// noClassKey holds children checked in without a class.
	noClassKey = ""
)

func bindRatios(app core.App) {
	bindJob(app, ratiosJobID, ratiosJobSchedule, func(a core.App) {
		if sent, err := RunRatioAlerts(a, time.Now()); err != nil {
			a.Logger().Error("staffing ratio alerts failed", "sent", sent, "error", err)
		}
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/nursery/ratios", ratiosRoute).Bind(apis.RequireAuth())
		return se.Next()
	})
}

type ageCounts struct {
	Age0  int `json:"age0"`
	Age12 int `json:"age12"`
	Age3  int `json:"age3"`
	Age45 int `json:"age45"`
	Total int `json:"total"`
}

func countsOf(c ratio.Children) ageCounts {
	return ageCounts{c.Age0, c.Age12, c.Age3, c.Age45, c.Total()}
}

type ratioClass struct {
	ID           string    `json:"id"` // "" for children checked in without a class
	Name         string    `json:"name"`
	AgeClass     int       `json:"ageClass"`
	Children     ageCounts `json:"children"`
	Required     int       `json:"required"`
	Exact        float64   `json:"exact"`
	Staff        int       `json:"staff"`
	Cover        int       `json:"cover"`
	Short        int       `json:"short"`
	Understaffed bool      `json:"understaffed"`
}

type nurseryRatios struct {
	Nursery  string `json:"nursery"`
	Date     string `json:"date"`
	At       string `json:"at"`
	Standard struct {
		Age0  int `json:"age0"`
		Age12 int `json:"age12"`
		Age3  int `json:"age3"`
		Age45 int `json:"age45"`
	} `json:"standard"`
	StaffSource string       `json:"staffSource"`
	StaffNote   string       `json:"staffNote"`
	Classes     []ratioClass `json:"classes"`
	Total       struct {
		Children     ageCounts `json:"children"`
		Required     int       `json:"required"`
		Exact        float64   `json:"exact"`
		Staff        int       `json:"staff"`
		Floating     int       `json:"floating"`
		Understaffed bool      `json:"understaffed"`
	} `json:"total"`
}

func twoDecimals(x float64) float64 { return math.Round(x*100) / 100 }

// loadRatios checks the nurseries at now in five queries whatever their
// number: settings, classes, children checked in, staff accounts and staff
// checked in.
func loadRatios(app core.App, nurseries []string, now time.Time) (map[string]*nurseryRatios, *duty, error) {
	day := civil.DateOf(now)
	cfgs, err := nurseryConfigs(app, nurseries)
	if err != nil {
		return nil, nil, err
	}
	classes, err := app.FindAllRecords("nursery_classes", dbx.In("nursery", anys(nurseries)...),
		dbx.HashExp{"fiscalYear": civil.FiscalYear(day)})
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(classes, func(a, b *core.Record) int {
		if d := a.GetInt("ageClass") - b.GetInt("ageClass"); d != 0 {
			return d
		}
		return strings.Compare(a.GetString("name"), b.GetString("name"))
	})
	present, err := childrenPresent(app, nurseries, day)
	if err != nil {
		return nil, nil, err
	}
	d, err := loadDuty(app, nurseries, day)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]*nurseryRatios{}
	for _, n := range nurseries {
		var mine []*core.Record
		for _, c := range classes {
			if c.GetString("nursery") == n {
				mine = append(mine, c)
			}
		}
		out[n] = assessNursery(n, cfgs[n].Standard, mine, present[n], d, now)
	}
	return out, d, nil
}

// childrenPresent counts the children checked in and not yet out, by
// nursery, class and age group.
func childrenPresent(app core.App, nurseries []string, day civil.Date) (map[string]map[string]ratio.Children, error) {
	var rows []struct {
		Nursery   string `db:"nursery"`
		Class     string `db:"class"`
		BirthDate string `db:"birthDate"`
	}
	err := app.DB().Select("a.nursery", "a.class", "c.birthDate").From("attendance a").
		InnerJoin("children c", dbx.NewExp("c.id = a.child")).
		Where(dbx.In("a.nursery", anys(nurseries)...)).
		AndWhere(dbx.NewExp("a.date = {:d} AND a.checkIn != '' AND a.checkOut = ''", dbx.Params{"d": day.String()})).
		All(&rows)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]ratio.Children{}
	for _, r := range rows {
		if out[r.Nursery] == nil {
			out[r.Nursery] = map[string]ratio.Children{}
		}
		c := out[r.Nursery][r.Class]
		c.Add(classAgeOn(r.BirthDate, day))
		out[r.Nursery][r.Class] = c
	}
	return out, nil
}

func assessNursery(nursery string, std ratio.Standard, classes []*core.Record, present map[string]ratio.Children, d *duty, now time.Time) *nurseryRatios {
	std = std.OrNational()
	staffIn := d.present[nursery]
	known := map[string]bool{}
	var in []ratio.Class
	for _, c := range classes {
		known[c.Id] = true
		in = append(in, ratio.Class{Key: c.Id, Children: present[c.Id], Staff: len(staffIn[c.Id])})
	}
	// Children checked in to no class (or last year's) still need staff.
	var stray ratio.Children
	for class, kids := range present {
		if !known[class] {
			stray = stray.Plus(kids)
		}
	}
	if stray.Total() > 0 {
		in = append(in, ratio.Class{Key: noClassKey, Children: stray})
	}
	floating := 0
	for class, ids := range staffIn {
		if !known[class] {
			floating += len(ids)
		}
	}
	res := ratio.Assess(std, in, floating)

	out := &nurseryRatios{Nursery: nursery, Date: civil.DateOf(now).String(), At: rfc3339(now), StaffSource: d.sourceOf(nursery), Classes: []ratioClass{}}
	out.Standard.Age0, out.Standard.Age12, out.Standard.Age3, out.Standard.Age45 = std.Age0, std.Age12, std.Age3, std.Age45
	if d.sourceOf(nursery) == dutyFromAccounts {
		out.StaffNote = "職員の出退勤の記録がないため、この施設の有効な職員アカウントの数を在室の職員として数えています（不足の通知はしません）。"
	}
	for i, r := range res.Classes {
		rc := ratioClass{
			ID: r.Key, Name: "クラス未設定", Children: countsOf(r.Children), Required: r.Required, Exact: twoDecimals(r.Exact),
			Staff: r.Staff, Cover: r.Cover, Short: r.Short, Understaffed: r.Understaffed,
		}
		if i < len(classes) {
			rc.Name, rc.AgeClass = classes[i].GetString("name"), classes[i].GetInt("ageClass")
		}
		out.Classes = append(out.Classes, rc)
	}
	t := &out.Total
	t.Children, t.Required, t.Exact = countsOf(res.Children), res.Required, twoDecimals(res.Exact)
	t.Staff, t.Floating, t.Understaffed = res.Staff, res.Floating, res.Understaffed
	return out
}

// ratiosRoute: GET /api/lifestage/nursery/ratios?nursery= — a nursery's
// staff see their own nursery (the parameter may be left out), the city's
// 保育 staff any.
func ratiosRoute(e *core.RequestEvent) error {
	nursery := e.Request.URL.Query().Get("nursery")
	switch {
	case isNurseryStaff(e.Auth):
		if nursery == "" {
			nursery = e.Auth.GetString("nursery")
		}
		if nursery != e.Auth.GetString("nursery") {
			return e.ForbiddenError("ほかの施設の職員配置は見られません。", nil)
		}
	case isCityStaffIn(e.Auth, collections.DeptNursery):
		if nursery == "" {
			return fieldError("nursery", "nursery_required", "保育施設を指定してください。")
		}
	default:
		return e.ForbiddenError("この操作を行う権限がありません。", nil)
	}
	if _, err := e.App.FindFirstRecordByData("nurseries", "nursery", nursery); err != nil {
		return e.NotFoundError("保育施設が見つかりません。", nil)
	}
	res, _, err := loadRatios(e.App, []string{nursery}, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, res[nursery])
}

// RunRatioAlerts tells each nursery's staff at work, and its director,
// when a class or the whole nursery is short of staff: once an hour for
// the same class while it stays short. A nursery stays silent while nobody
// has checked in there today, since then nobody knows who is in.
func RunRatioAlerts(app core.App, now time.Time) (sent int, err error) {
	var nurseries []string
	if err := app.DB().Select("nursery").From("nurseries").Column(&nurseries); err != nil {
		return 0, err
	}
	checks, d, err := loadRatios(app, nurseries, now)
	if err != nil {
		return 0, err
	}
	hour := now.In(civil.Tokyo).Format("2006-01-02T15")
	err = app.RunInTransaction(func(tx core.App) error {
		var errs []error
		for _, n := range nurseries {
			if d.sourceOf(n) == dutyFromAccounts {
				continue
			}
			for _, m := range understaffedMessages(checks[n], hour) {
				k, err := notify.SendEach(tx, m, d.forNursery(n))
				sent += k
				if err != nil {
					errs = append(errs, err)
				}
			}
		}
		return errors.Join(errs...)
	})
	return sent, err
}

func understaffedMessages(r *nurseryRatios, hour string) []notify.Message {
	var out []notify.Message
	link := "/nursery/day/#ratios"
	for _, c := range r.Classes {
		if !c.Understaffed {
			continue
		}
		out = append(out, notify.Message{
			Kind: kindUnderstaffed, Link: link, Reason: "class:" + r.Nursery + ":" + c.ID + ":" + hour,
			Key: "notify.nursery.understaffed.class",
			Vars: map[string]string{"class": c.Name, "children": strconv.Itoa(c.Children.Total), "required": strconv.Itoa(c.Required),
				"staff": strconv.Itoa(c.Staff), "cover": strconv.Itoa(c.Cover), "short": strconv.Itoa(c.Short)},
		})
	}
	if t := r.Total; t.Staff < t.Required {
		out = append(out, notify.Message{
			Kind: kindUnderstaffed, Link: link, Reason: "nursery:" + r.Nursery + ":" + hour,
			Key:  "notify.nursery.understaffed.total",
			Vars: map[string]string{"children": strconv.Itoa(t.Children.Total), "required": strconv.Itoa(t.Required), "staff": strconv.Itoa(t.Staff)},
		})
	}
	return out
}
