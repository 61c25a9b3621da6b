package hooks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/photos"
	"github.com/saijo-dx/lifestage/testutil"
)

// The demo photos (seed/demo_photos.go), by the name their file was
// uploaded under: parent's child ("mine") is in sports1, sports2 (with a
// classmate), the class-wide walk and the draft; the classmate alone in
// birthday; parent's other child in sibling; parent2's child in potato at
// another nursery. The grandparent shares "mine".
var photoKeys = []string{"sports_1", "sports_2", "walk", "birthday", "draft", "sibling", "potato"}

type photoDemo struct {
	photo     map[string]*core.Record // by key
	key       map[string]string       // photo id -> key
	mine      *core.Record            // parent's child's enrolment
	other     *core.Record            // parent2's child's enrolment
	order     map[string]*core.Record // by role: parent, parent2
	outsider  string                  // auth token of another nursery's director
	fileToken map[string]string       // by role, plus "outsider"
}

var demoPhotosOnce struct {
	demo *photoDemo
	err  error
}

// loadPhotoDemo reads the demo photos once; ids and tokens hold in every
// clone of the fixture.
func loadPhotoDemo(t testing.TB) *photoDemo {
	t.Helper()
	if demoPhotosOnce.demo != nil {
		return demoPhotosOnce.demo
	}
	app := fx.NewApp(t)
	defer app.Cleanup()
	d := &photoDemo{photo: map[string]*core.Record{}, key: map[string]string{}, order: map[string]*core.Record{}, fileToken: map[string]string{}}
	recs, err := app.FindAllRecords(collections.Id("nursery_photos"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		for _, k := range photoKeys {
			if strings.HasPrefix(r.GetString("image"), k+"_") {
				d.photo[k], d.key[r.Id] = r, k
			}
		}
	}
	if len(d.photo) != len(photoKeys) {
		t.Fatalf("the demo has photos %v, want %v", d.key, photoKeys)
	}
	enrolmentOf := func(child string) *core.Record {
		e, err := app.FindFirstRecordByFilter("enrolments", "child = {:c}", dbx.Params{"c": child})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	d.mine = enrolmentOf(d.photo["sports_1"].GetStringSlice("children")[0])
	d.other = enrolmentOf(d.photo["potato"].GetStringSlice("children")[0])
	for _, role := range []string{"parent", "parent2"} {
		if d.order[role], err = app.FindFirstRecordByFilter("photo_orders", "user = {:u}", dbx.Params{"u": fx.IDs[role]}); err != nil {
			t.Fatalf("%s has no demo order", role)
		}
	}
	for role, a := range fx.Accounts {
		rec, err := app.FindAuthRecordByEmail(a.Collection, a.Email)
		if err != nil {
			t.Fatal(err)
		}
		if d.fileToken[role], err = rec.NewFileToken(); err != nil {
			t.Fatal(err)
		}
	}
	outsider, err := app.FindAuthRecordByEmail(collections.NurseryStaff, "outsider-nursery_staff@test.lifestage.example")
	if err != nil {
		t.Fatal(err)
	}
	if outsider.GetString("nursery") == d.photo["sports_1"].GetString("nursery") {
		t.Fatal("the outsider works at the demo nursery")
	}
	d.outsider, _ = outsider.NewAuthToken()
	d.fileToken["outsider"], _ = outsider.NewFileToken()
	demoPhotosOnce.demo = d
	return d
}

func (d *photoDemo) id(key string) string { return d.photo[key].Id }

// fileURL is a photo's file, as a thumbnail when thumb is set.
func (d *photoDemo) fileURL(key, thumb, token string) string {
	p := d.photo[key]
	u := "/api/files/nursery_photos/" + p.Id + "/" + p.GetString("image") + "?"
	if thumb != "" {
		u += "thumb=" + thumb + "&"
	}
	if token != "" {
		u += "token=" + token
	}
	return u
}

// listedPhotos checks that a list answer holds exactly the photos.
func (d *photoDemo) listedPhotos(want ...string) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		var page struct {
			Items []map[string]any `json:"items"`
		}
		raw, _ := io.ReadAll(res.Body)
		if err := json.Unmarshal(raw, &page); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range page.Items {
			got = append(got, d.key[it["id"].(string)])
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("listed %v, want %v", got, want)
		}
	}
}

func roleAuth(role string) map[string]string {
	if tok := fx.Tokens[role]; tok != "" {
		return map[string]string{"Authorization": tok}
	}
	return nil
}

func TestNurseryPhotoVisibility(t *testing.T) {
	d := loadPhotoDemo(t)
	list := "/api/collections/nursery_photos/records?perPage=100&skipTotal=1&sort=-takenOn"
	family := []string{"sports_1", "sports_2", "walk"}
	scenarios := []tests.ApiScenario{
		{
			Name: "parent sees their children's photos and their class's, not a classmate's alone nor drafts", Method: http.MethodGet,
			URL: list, Headers: roleAuth("parent"), ExpectedStatus: 200, ExpectedContent: []string{`"items":[`},
			// Families never learn who else is in a photo.
			NotExpectedContent: []string{`"children"`, `"viewers"`, `"uploadedBy"`},
			AfterTestFunc:      d.listedPhotos(append(family, "sibling")...),
		},
		{
			Name: "grandparent sees the shared child's photos only", Method: http.MethodGet,
			URL: list, Headers: roleAuth("grandparent"), ExpectedStatus: 200, ExpectedContent: []string{`"items":[`},
			AfterTestFunc: d.listedPhotos(family...),
		},
		{
			Name: "parent2 sees only their own child's photo at the other nursery", Method: http.MethodGet,
			URL: list, Headers: roleAuth("parent2"), ExpectedStatus: 200, ExpectedContent: []string{`"items":[`},
			AfterTestFunc: d.listedPhotos("potato"),
		},
		{
			Name: "nursery staff see every photo of their nursery, drafts and tags included", Method: http.MethodGet,
			URL: list, Headers: roleAuth("nursery_staff"), ExpectedStatus: 200, ExpectedContent: []string{`"children":[`, `"uploadedBy":"` + fx.IDs["nursery_staff"] + `"`},
			NotExpectedContent: []string{`"viewers"`},
			AfterTestFunc:      d.listedPhotos("sports_1", "sports_2", "walk", "birthday", "draft", "sibling"),
		},
		{
			Name: "staff of another nursery see none of the demo nursery's photos", Method: http.MethodGet,
			URL: list + "&filter=" + url.QueryEscape(`nursery="`+d.photo["walk"].GetString("nursery")+`"`), Headers: map[string]string{"Authorization": d.outsider},
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`},
		},
		{
			Name: "viewers cannot be filtered on to probe who sees a photo", Method: http.MethodGet,
			URL: list + "&filter=" + url.QueryEscape(`viewers ~ "`+fx.IDs["parent"]+`"`), Headers: roleAuth("parent"),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
		},
		{
			Name: "parent cannot open a photo of a classmate alone", Method: http.MethodGet,
			URL: "/api/collections/nursery_photos/records/" + d.id("birthday"), Headers: roleAuth("parent"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "parent cannot open a draft of their own child", Method: http.MethodGet,
			URL: "/api/collections/nursery_photos/records/" + d.id("draft"), Headers: roleAuth("parent"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "parent opens their child's photo without the other children in it", Method: http.MethodGet,
			URL: "/api/collections/nursery_photos/records/" + d.id("sports_2"), Headers: roleAuth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + d.id("sports_2") + `"`}, NotExpectedContent: []string{`"children"`},
		},
	}
	// The city has no need for children's photos; nor has any other account.
	for _, role := range []string{"anonymous", "family", "volunteer", "medical_staff", "city_child", "city_nursery", "city_elderly", "city_admin"} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name: role + " sees no photos", Method: http.MethodGet, URL: list, Headers: auth(role),
			ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`},
		}, tests.ApiScenario{
			Name: role + " cannot open a photo", Method: http.MethodGet, URL: "/api/collections/nursery_photos/records/" + d.id("walk"),
			Headers: auth(role), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		})
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestNurseryPhotoFiles(t *testing.T) {
	d := loadPhotoDemo(t)
	tok := d.fileToken
	image := []string{"\x89PNG"}
	refused := func(name, url string, status int) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: http.MethodGet, URL: url, ExpectedStatus: status, ExpectedContent: []string{fmt.Sprintf(`"status":%d`, status)}}
	}
	scenarios := []tests.ApiScenario{
		refused("no token, no thumbnail", d.fileURL("sports_1", "300x300", ""), 404),
		refused("no token, no original", d.fileURL("sports_1", "", ""), 404),
		// The file route reads only the file token, never the login.
		{Name: "an auth header is no file token", Method: http.MethodGet, URL: d.fileURL("sports_1", "300x300", ""), Headers: roleAuth("parent"), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{Name: "parent's token opens the thumbnail", Method: http.MethodGet, URL: d.fileURL("sports_1", "300x300", tok["parent"]), ExpectedStatus: 200, ExpectedContent: image},
		{Name: "parent's token opens the preview size", Method: http.MethodGet, URL: d.fileURL("walk", "800x0", tok["parent"]), ExpectedStatus: 200, ExpectedContent: image},
		{Name: "grandparent's token opens the shared child's photo", Method: http.MethodGet, URL: d.fileURL("sports_1", "300x300", tok["grandparent"]), ExpectedStatus: 200, ExpectedContent: image},
		refused("parent2's token is refused", d.fileURL("sports_1", "300x300", tok["parent2"]), 404),
		refused("grandparent's token is refused for the other child", d.fileURL("sibling", "300x300", tok["grandparent"]), 404),
		refused("parent's token is refused for a classmate's photo", d.fileURL("birthday", "300x300", tok["parent"]), 404),
		refused("parent's token is refused for a draft", d.fileURL("draft", "300x300", tok["parent"]), 404),
		refused("city staff's token is refused", d.fileURL("walk", "300x300", tok["city_nursery"]), 404),
		refused("another nursery's token is refused", d.fileURL("walk", "300x300", tok["outsider"]), 404),
		refused("an auth token is no file token", d.fileURL("walk", "300x300", fx.Tokens["parent"]), 404),
		// Originals: only to buyers of the data and to the nursery.
		refused("parent's token is refused the original of a photo not bought as data", d.fileURL("sports_1", "", tok["parent"]), 403),
		{Name: "parent downloads the original bought as data", Method: http.MethodGet, URL: d.fileURL("sports_2", "", tok["parent"]), ExpectedStatus: 200, ExpectedContent: image},
		refused("the grandparent did not buy it", d.fileURL("sports_2", "", tok["grandparent"]), 403),
		refused("an unknown thumb size is the original, refused", d.fileURL("sports_1", "123x45", tok["parent"]), 403),
		{Name: "the nursery downloads originals", Method: http.MethodGet, URL: d.fileURL("draft", "", tok["nursery_staff"]), ExpectedStatus: 200, ExpectedContent: image},
		{
			Name: "a cancelled data order no longer opens the original", Method: http.MethodGet, URL: d.fileURL("sports_2", "", tok["parent"]),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				o, _ := app.FindRecordById("photo_orders", d.order["parent"].Id)
				o.Set("status", photos.Cancelled)
				if err := app.Save(o); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "POST /api/files/token gives a citizen a file token", Method: http.MethodPost, URL: "/api/files/token", Headers: roleAuth("parent"),
			ExpectedStatus: 200, ExpectedContent: []string{`"token":"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// ---- uploads ----------------------------------------------------------------

// tinyPNG is a real 8×8 image.
func tinyPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{200, 40, 40, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload is a photo upload: the fields (children may repeat) and the image.
func upload(t testing.TB, fields [][2]string, name string, data []byte) string {
	return multipartBody(t, "image", fields, name, data)
}

// matrixUpload is a valid draft photo of the nursery.
func matrixUpload(t testing.TB, nursery string) string {
	return upload(t, [][2]string{{"nursery", nursery}, {"title", "テスト"}, {"takenOn", civil.Today().AddDays(-1).String()}, {"status", "draft"}}, "test.png", tinyPNG(t))
}

// seesPhoto states, without the photo's viewers list, who sees a photo:
// staff of its nursery; families of a tagged child, or for a class-wide
// photo of a child in the class on the day; published photos only.
func (w *world) seesPhoto(t testing.TB, me *core.Record, role string) func(*core.Record) bool {
	if me.Collection().Name == collections.NurseryStaff {
		return func(r *core.Record) bool { return r.GetString("nursery") == me.GetString("nursery") }
	}
	mine := map[string]bool{}
	if me.Collection().Name == collections.Users {
		for _, id := range w.ownIDs(t, "children", role, false) {
			mine[id] = true
		}
	}
	return func(r *core.Record) bool {
		if r.GetString("status") != photos.Published {
			return false
		}
		if slices.ContainsFunc(r.GetStringSlice("children"), func(c string) bool { return mine[c] }) {
			return true
		}
		if !r.GetBool("classWide") {
			return false
		}
		day := r.GetString("takenOn")
		enrolments, _ := w.app.FindAllRecords("enrolments", dbx.HashExp{"class": r.GetString("class")})
		return slices.ContainsFunc(enrolments, func(e *core.Record) bool {
			return mine[e.GetString("child")] && e.GetString("start") <= day && (e.GetString("end") == "" || e.GetString("end") >= day)
		})
	}
}

func TestNurseryPhotoUpload(t *testing.T) {
	d := loadPhotoDemo(t)
	nursery, class := d.mine.GetString("nursery"), d.mine.GetString("class")
	child := d.mine.GetString("child")
	yesterday := civil.Today().AddDays(-1).String()
	base := [][2]string{{"nursery", nursery}, {"class", class}, {"title", "遠足"}, {"takenOn", yesterday}}
	with := func(extra ...[2]string) [][2]string { return append(append([][2]string{}, base...), extra...) }
	staff := map[string]string{"Authorization": fx.Tokens["nursery_staff"], "Content-Type": matrixUploadType}
	post := "/api/collections/nursery_photos/records"
	pic := tinyPNG(t)
	refused := func(name string, headers map[string]string, body, field, code string) tests.ApiScenario {
		return tests.ApiScenario{
			Name: name, Method: http.MethodPost, URL: post, Headers: headers, Body: strings.NewReader(body),
			ExpectedStatus: 400, ExpectedContent: []string{`"` + field + `":{"code":"` + code + `"`},
			ExpectedEvents: map[string]int{"OnModelCreateExecute": 0},
		}
	}
	as := func(role string) map[string]string {
		return map[string]string{"Authorization": fx.Tokens[role], "Content-Type": matrixUploadType}
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "staff upload a tagged photo and publish it", Method: http.MethodPost, URL: post, Headers: staff,
			Body:           strings.NewReader(upload(t, with([2]string{"children", child}, [2]string{"status", "published"}), "enso.png", pic)),
			ExpectedStatus: 200, ExpectedContent: []string{`"uploadedBy":"` + fx.IDs["nursery_staff"] + `"`, `"status":"published"`},
			NotExpectedContent: []string{`"viewers"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				// A notice sent earlier today would hide the new one.
				if _, err := app.DB().NewQuery("DELETE FROM notifications WHERE kind = 'nursery.photos_published'").Execute(); err != nil {
					t.Fatal(err)
				}
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var body struct{ ID string }
				json.NewDecoder(res.Body).Decode(&body)
				p, err := app.FindRecordById("nursery_photos", body.ID)
				if err != nil {
					t.Fatal(err)
				}
				v := p.GetStringSlice("viewers")
				if !slices.Contains(v, fx.IDs["parent"]) || !slices.Contains(v, fx.IDs["grandparent"]) || slices.Contains(v, fx.IDs["parent2"]) {
					t.Errorf("viewers %v", v)
				}
				for _, role := range []string{"parent", "grandparent"} {
					n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs[role], "kind": "nursery.photos_published"})
					if n != 1 {
						t.Errorf("%s got %d notices of new photos", role, n)
					}
				}
			},
		},
		{
			Name: "a draft stays with the staff: nobody is told", Method: http.MethodPost, URL: post, Headers: staff,
			Body:           strings.NewReader(upload(t, with([2]string{"children", child}), "draft.png", pic)),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"draft"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				app.DB().NewQuery("DELETE FROM notifications WHERE kind = 'nursery.photos_published'").Execute()
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if n, _ := app.CountRecords("notifications", dbx.HashExp{"kind": "nursery.photos_published"}); n != 0 {
					t.Errorf("%d notices for a draft", n)
				}
			},
		},
		refused("a text file named .png is no image", staff, upload(t, with(), "notes.png", []byte("これは写真ではありません")), "image", "validation_invalid_mime_type"),
		refused("a GIF is not accepted", staff, upload(t, with(), "anim.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")), "image", "validation_invalid_mime_type"),
		refused("a photo over 10 MB is refused", staff, upload(t, with(), "huge.png", append(pic, make([]byte, collections.PhotoMaxBytes)...)), "image", "validation_file_size_limit"),
		refused("a photo needs its file", staff, upload(t, with(), "", nil), "image", "validation_required"),
		refused("a child of another nursery cannot be tagged", staff, upload(t, with([2]string{"children", d.other.GetString("child")}), "x.png", pic), "children", "not_enrolled"),
		refused("a class of another nursery cannot be chosen", staff, upload(t, [][2]string{{"nursery", nursery}, {"class", d.other.GetString("class")}, {"title", "x"}, {"takenOn", yesterday}}, "x.png", pic), "class", "other_nursery"),
		refused("a published photo must concern someone", staff, upload(t, with([2]string{"status", "published"}), "x.png", pic), "children", "no_audience"),
		refused("class-wide needs a class", staff, upload(t, [][2]string{{"nursery", nursery}, {"title", "x"}, {"takenOn", yesterday}, {"classWide", "true"}}, "x.png", pic), "class", "class_required"),
		refused("a photo cannot be taken tomorrow", staff, upload(t, [][2]string{{"nursery", nursery}, {"title", "x"}, {"takenOn", civil.Today().AddDays(1).String()}}, "x.png", pic), "takenOn", "future_date"),
		{
			// PocketBase drops hidden fields from the body; the hook decides.
			Name: "staff cannot set who sees a photo", Method: http.MethodPost, URL: post, Headers: staff,
			Body:           strings.NewReader(upload(t, with([2]string{"viewers", fx.IDs["parent2"]}, [2]string{"uploadedBy", fx.IDs["parent2"]}), "x.png", pic)),
			ExpectedStatus: 200, ExpectedContent: []string{`"uploadedBy":"` + fx.IDs["nursery_staff"] + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var body struct{ ID string }
				json.NewDecoder(res.Body).Decode(&body)
				p, err := app.FindRecordById("nursery_photos", body.ID)
				if err != nil || len(p.GetStringSlice("viewers")) != 0 {
					t.Errorf("a draft of nobody has viewers: %v", err)
				}
			},
		},
		{
			Name: "staff of another nursery cannot upload to the demo nursery", Method: http.MethodPost, URL: post,
			Headers: map[string]string{"Authorization": d.outsider, "Content-Type": matrixUploadType},
			Body:    strings.NewReader(upload(t, with(), "x.png", pic)), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "staff cannot move a photo to another nursery", Method: http.MethodPatch, URL: post + "/" + d.id("walk"),
			Headers: roleAuth("nursery_staff"), Body: strings.NewReader(`{"nursery":"` + d.other.GetString("nursery") + `"}`),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "staff fix a wrong tag: the family of the untagged child loses the photo", Method: http.MethodPatch, URL: post + "/" + d.id("sports_1"),
			Headers: roleAuth("nursery_staff"), Body: strings.NewReader(`{"children":["` + d.photo["birthday"].GetStringSlice("children")[0] + `"]}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"children":["` + d.photo["birthday"].GetStringSlice("children")[0] + `"]`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				p, _ := app.FindRecordById("nursery_photos", d.id("sports_1"))
				if slices.Contains(p.GetStringSlice("viewers"), fx.IDs["parent"]) {
					t.Errorf("parent still among the viewers %v", p.GetStringSlice("viewers"))
				}
			},
		},
		{
			Name: "a tag of a child from elsewhere is refused on edit too", Method: http.MethodPatch, URL: post + "/" + d.id("sports_1"),
			Headers: roleAuth("nursery_staff"), Body: strings.NewReader(`{"children":["` + child + `","` + d.other.GetString("child") + `"]}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"children":{"code":"not_enrolled"`}, ExpectedEvents: map[string]int{"OnModelUpdateExecute": 0},
		},
		{
			Name: "staff withdraw a published photo; families no longer see it", Method: http.MethodPatch, URL: post + "/" + d.id("sports_1"),
			Headers: roleAuth("nursery_staff"), Body: strings.NewReader(`{"status":"withdrawn"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"withdrawn"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				p, _ := app.FindRecordById("nursery_photos", d.id("sports_1"))
				parent, _ := app.FindRecordById(collections.Users, fx.IDs["parent"])
				if ok, _ := app.CanAccessRecord(p, &core.RequestInfo{Auth: parent}, p.Collection().ViewRule); ok {
					t.Error("parent still sees a withdrawn photo")
				}
			},
		},
	}
	for _, role := range []string{"parent", "grandparent", "city_nursery", "anonymous"} {
		h := as(role)
		if role == "anonymous" {
			delete(h, "Authorization")
		}
		scenarios = append(scenarios, tests.ApiScenario{
			Name: role + " cannot upload photos", Method: http.MethodPost, URL: post, Headers: h,
			Body:           strings.NewReader(upload(t, with([2]string{"children", child}), "x.png", pic)),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		})
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestNurseryPhotoDeleteAndRoster(t *testing.T) {
	d := loadPhotoDemo(t)
	del := func(key string) string { return "/api/lifestage/nursery/photos/" + d.id(key) }
	roster := "/api/lifestage/nursery/photos/roster?class=" + d.mine.GetString("class")
	scenarios := []tests.ApiScenario{
		{
			Name: "staff delete a photo nobody has ordered", Method: http.MethodDelete, URL: del("birthday"), Headers: roleAuth("nursery_staff"),
			ExpectedStatus: 204,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if _, err := app.FindRecordById("nursery_photos", d.id("birthday")); err == nil {
					t.Error("the photo is still there")
				}
				if n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection": "nursery_photos", "record": d.id("birthday"), "action": "delete", "actor": fx.IDs["nursery_staff"]}); n != 1 {
					t.Errorf("%d audit entries of the delete", n)
				}
			},
		},
		{
			Name: "an ordered photo is withdrawn, not deleted", Method: http.MethodDelete, URL: del("sports_1"), Headers: roleAuth("nursery_staff"),
			ExpectedStatus: 400, ExpectedContent: []string{`"id":{"code":"photo_ordered"`}, ExpectedEvents: map[string]int{"OnModelDelete": 0},
		},
		{
			Name: "once its order is cancelled, the photo may go", Method: http.MethodDelete, URL: del("potato"),
			Headers: map[string]string{"Authorization": d.outsider},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				// Move the outsider to parent2's nursery and cancel the order.
				out, _ := app.FindAuthRecordByEmail(collections.NurseryStaff, "outsider-nursery_staff@test.lifestage.example")
				out.Set("nursery", d.other.GetString("nursery"))
				o, _ := app.FindRecordById("photo_orders", d.order["parent2"].Id)
				o.Set("status", photos.Cancelled)
				if err := app.Save(out); err != nil {
					t.Fatal(err)
				}
				if err := app.Save(o); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 204,
		},
		{Name: "staff of another nursery cannot delete", Method: http.MethodDelete, URL: del("birthday"), Headers: map[string]string{"Authorization": d.outsider}, ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelDelete": 0}},
		{Name: "a parent cannot delete", Method: http.MethodDelete, URL: del("sports_1"), Headers: roleAuth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "city staff cannot delete", Method: http.MethodDelete, URL: del("sports_1"), Headers: roleAuth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "a guest cannot delete", Method: http.MethodDelete, URL: del("sports_1"), ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "the records API never deletes photos", Method: http.MethodDelete, URL: "/api/collections/nursery_photos/records/" + d.id("birthday"), Headers: roleAuth("nursery_staff"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{
			Name: "staff get the class roster to tag children", Method: http.MethodGet, URL: roster, Headers: roleAuth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + d.mine.GetString("child") + `"`, `"givenName":`},
			NotExpectedContent: []string{`"birthDate"`, `"guardians"`, `"id":"` + d.other.GetString("child") + `"`},
		},
		{
			Name: "without a class, the roster is the whole nursery's", Method: http.MethodGet, URL: "/api/lifestage/nursery/photos/roster",
			Headers: roleAuth("nursery_staff"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"id":"` + d.mine.GetString("child") + `"`, `"class":"` + d.mine.GetString("class") + `"`},
			NotExpectedContent: []string{`"id":"` + d.other.GetString("child") + `"`},
		},
		{Name: "a roster on a bad day", Method: http.MethodGet, URL: roster + "&on=2026-13-01", Headers: roleAuth("nursery_staff"), ExpectedStatus: 400, ExpectedContent: []string{`"on":{"code":"invalid_date"`}},
		{Name: "another nursery's roster is not theirs", Method: http.MethodGet, URL: roster, Headers: map[string]string{"Authorization": d.outsider}, ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{
			Name: "another nursery's whole roster shows none of the demo children", Method: http.MethodGet, URL: "/api/lifestage/nursery/photos/roster",
			Headers: map[string]string{"Authorization": d.outsider}, ExpectedStatus: 200, ExpectedContent: []string{`"items":`},
			NotExpectedContent: []string{`"id":"` + d.mine.GetString("child") + `"`},
		},
		{Name: "parents get no roster", Method: http.MethodGet, URL: roster, Headers: roleAuth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "city staff get no roster", Method: http.MethodGet, URL: roster, Headers: roleAuth("city_nursery"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "guests get no roster", Method: http.MethodGet, URL: roster, ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// ---- orders -----------------------------------------------------------------

func TestPhotoOrders(t *testing.T) {
	d := loadPhotoDemo(t)
	url := "/api/lifestage/nursery/photo-orders"
	mine := d.mine.GetString("child")
	body := func(child string, lines ...string) string {
		return `{"child":"` + child + `","items":[` + strings.Join(lines, ",") + `]}`
	}
	line := func(key, size string, q int) string {
		return fmt.Sprintf(`{"photo":"%s","size":"%s","quantity":%d}`, d.id(key), size, q)
	}
	refused := func(name, role, b string, status int, content string) tests.ApiScenario {
		return tests.ApiScenario{
			Name: name, Method: http.MethodPost, URL: url, Headers: auth(role), Body: strings.NewReader(b),
			ExpectedStatus: status, ExpectedContent: []string{content}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		}
	}
	app := fx.NewApp(t)
	parent, err := app.FindRecordById(collections.Users, fx.IDs["parent"])
	app.Cleanup()
	if err != nil {
		t.Fatal(err)
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "parent orders prints and data, priced by the server", Method: http.MethodPost, URL: url, Headers: roleAuth("parent"),
			Body:           strings.NewReader(body(mine, line("sports_1", "L", 3), line("walk", "data", 1), line("sibling", "A4", 1))),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"total":1260`, `"status":"ordered"`, `"month":"` + photos.BillingMonth(time.Now()) + `"`,
				`"household":"` + parent.GetString("household") + `"`, `"user":"` + fx.IDs["parent"] + `"`,
				`"unitPrice":120`, `"amount":360`, `"title":"運動会"`,
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var o struct{ ID string }
				json.NewDecoder(res.Body).Decode(&o)
				if n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection": "photo_orders", "record": o.ID, "action": "create", "actor": fx.IDs["parent"]}); n != 1 {
					t.Errorf("%d audit entries of the order", n)
				}
			},
		},
		{
			Name: "a price sent by the family is ignored", Method: http.MethodPost, URL: url, Headers: roleAuth("parent"),
			Body:           strings.NewReader(`{"child":"` + mine + `","items":[{"photo":"` + d.id("walk") + `","size":"L","quantity":1,"unitPrice":1,"amount":1}],"total":1}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"total":120`},
		},
		refused("no lines", "parent", body(mine), 400, `"items":{"code":"empty"`),
		refused("twenty-one prints", "parent", body(mine, line("sports_1", "L", 21)), 400, `"items.0.quantity":{"code":"invalid_quantity"`),
		refused("zero prints", "parent", body(mine, line("sports_1", "L", 0)), 400, `"items.0.quantity":{"code":"invalid_quantity"`),
		refused("the data twice", "parent", body(mine, line("sports_1", "data", 2)), 400, `"items.0.quantity":{"code":"data_once"`),
		refused("a size nobody sells", "parent", body(mine, line("sports_1", "B5", 1)), 400, `"items.0.size":{"code":"size_unavailable"`),
		refused("a classmate's photo", "parent", body(mine, line("sports_1", "L", 1), line("birthday", "L", 1)), 400, `"items.1.photo":{"code":"photo_unavailable"`),
		refused("a draft", "parent", body(mine, line("draft", "L", 1)), 400, `"items.0.photo":{"code":"photo_unavailable"`),
		refused("someone else's child", "parent", body(d.other.GetString("child"), line("walk", "L", 1)), 400, `"child":{"code":"not_found"`),
		refused("parent2 orders a photo they cannot see", "parent2", body(d.other.GetString("child"), line("walk", "L", 1)), 400, `"items.0.photo":{"code":"photo_unavailable"`),
		refused("the grandparent sees the photo but is no guardian", "grandparent", body(mine, line("walk", "L", 1)), 403, `"status":403`),
		refused("nursery staff cannot order", "nursery_staff", body(mine, line("walk", "L", 1)), 403, `"status":403`),
		refused("city staff cannot order", "city_nursery", body(mine, line("walk", "L", 1)), 403, `"status":403`),
		refused("guests cannot order", "anonymous", body(mine, line("walk", "L", 1)), 401, `"status":401`),
		refused("a broken body", "parent", `{"child":`, 400, `"items":{"code":"invalid_body"`),
		{
			Name: "the sales period has ended", Method: http.MethodPost, URL: url, Headers: roleAuth("parent"),
			Body: strings.NewReader(body(mine, line("walk", "L", 1))),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				p, _ := app.FindRecordById("nursery_photos", d.id("walk"))
				p.Set("salesUntil", civil.Today().AddDays(-1).String())
				if err := app.Save(p); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"items.0.photo":{"code":"sales_closed"`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "a child who has left the nursery", Method: http.MethodPost, URL: url, Headers: roleAuth("parent"),
			Body: strings.NewReader(body(mine, line("sports_1", "L", 1))),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				e, _ := app.FindRecordById("enrolments", d.mine.Id)
				e.Set("end", civil.Today().AddDays(-1).String())
				if err := app.Save(e); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"child":{"code":"not_enrolled"`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestPhotoOrderCancel(t *testing.T) {
	d := loadPhotoDemo(t)
	cancel := "/api/lifestage/nursery/photo-orders/" + d.order["parent"].Id + "/cancel"
	invoiced := func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		o, _ := app.FindRecordById("photo_orders", d.order["parent"].Id)
		o.Set("status", photos.Invoiced)
		o.Set("invoice", "inv000000000001")
		if err := app.Save(o); err != nil {
			t.Fatal(err)
		}
	}
	denied := func(name string, headers map[string]string, status int) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: cancel, Headers: headers, ExpectedStatus: status,
			ExpectedContent: []string{fmt.Sprintf(`"status":%d`, status)}, ExpectedEvents: map[string]int{"OnModelUpdate": 0}}
	}
	scenarios := []tests.ApiScenario{
		{Name: "parent cancels their order", Method: http.MethodPost, URL: cancel, Headers: roleAuth("parent"), ExpectedStatus: 200, ExpectedContent: []string{`"status":"cancelled"`, `"cancelledAt":"2`}},
		{
			Name: "the nursery cancels an order and the parent is told", Method: http.MethodPost, URL: cancel, Headers: roleAuth("nursery_staff"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"cancelled"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if n, _ := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["parent"], "kind": "nursery.photo_order_cancelled"}); n != 1 {
					t.Errorf("parent got %d notices of the cancellation", n)
				}
			},
		},
		{
			Name: "an invoiced order stays", Method: http.MethodPost, URL: cancel, Headers: roleAuth("parent"), BeforeTestFunc: invoiced,
			ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"not_cancellable"`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		denied("parent2 cannot cancel parent's order", roleAuth("parent2"), 404),
		denied("the grandparent cannot cancel it", roleAuth("grandparent"), 404),
		denied("another nursery cannot cancel it", map[string]string{"Authorization": d.outsider}, 404),
		denied("city staff cannot cancel it", roleAuth("city_nursery"), 403),
		denied("guests cannot cancel it", nil, 401),
		{
			Name: "orders are never written through the records API", Method: http.MethodPatch, URL: "/api/collections/photo_orders/records/" + d.order["parent"].Id,
			Headers: roleAuth("parent"), Body: strings.NewReader(`{"status":"cancelled"}`), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "staff list their nursery's orders for printing", Method: http.MethodGet, URL: "/api/collections/photo_orders/records?skipTotal=1",
			Headers: roleAuth("nursery_staff"), ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + d.order["parent"].Id + `"`},
			NotExpectedContent: []string{`"id":"` + d.order["parent2"].Id + `"`},
		},
		{
			Name: "city staff see no orders", Method: http.MethodGet, URL: "/api/collections/photo_orders/records?skipTotal=1",
			Headers: roleAuth("city_nursery"), ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// ---- who sees a photo follows sharing and enrolment ------------------------

func TestNurseryPhotoViewersFollowSharing(t *testing.T) {
	d := loadPhotoDemo(t)
	app := fx.NewApp(t)
	defer app.Cleanup()
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	list := "/api/collections/nursery_photos/records?perPage=100&skipTotal=1&fields=id"
	thumb := d.fileURL("walk", "300x300", d.fileToken["grandparent"])
	expect(t, "grandparent sees the class walk", call(h, http.MethodGet, list, fx.Tokens["grandparent"], ""), 200, d.id("walk"))
	if r := call(h, http.MethodGet, thumb, "", ""); r.Status != 200 {
		t.Fatalf("grandparent's thumbnail: %d", r.Status)
	}
	share, err := app.FindFirstRecordByFilter("family_shares", "member = {:m}", dbx.Params{"m": fx.IDs["grandparent"]})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "parent revokes the share", call(h, http.MethodPost, "/api/lifestage/family/shares/"+share.Id+"/revoke", fx.Tokens["parent"], ""), 200)
	expect(t, "grandparent sees no photos", call(h, http.MethodGet, list, fx.Tokens["grandparent"], ""), 200, `"items":[]`)
	if r := call(h, http.MethodGet, thumb, "", ""); r.Status != 404 {
		t.Fatalf("grandparent's thumbnail after the revocation: %d", r.Status)
	}
	expect(t, "parent still sees them", call(h, http.MethodGet, list, fx.Tokens["parent"], ""), 200, d.id("walk"), d.id("sports_1"))

	// parent2's child joins the class (from before the walk): the class-wide
	// walk now concerns parent2 too, the tagged photos do not.
	col, _ := app.FindCollectionByNameOrId("enrolments")
	e := core.NewRecord(col)
	e.Load(map[string]any{
		"child": d.other.GetString("child"), "nursery": d.mine.GetString("nursery"), "class": d.mine.GetString("class"),
		"certification": "2", "hours": "standard", "start": d.photo["walk"].GetString("takenOn"),
	})
	if err := app.Save(e); err != nil {
		t.Fatal(err)
	}
	r := call(h, http.MethodGet, list, fx.Tokens["parent2"], "")
	expect(t, "parent2 sees the class walk", r, 200, d.id("walk"), d.id("potato"))
	if strings.Contains(r.Body, d.id("sports_1")) {
		t.Fatal("parent2 sees a photo of parent's child")
	}
	// Joining the day after the walk would not have shown it.
	e.Set("start", civil.DateOf(time.Now()).String())
	if err := app.Save(e); err != nil {
		t.Fatal(err)
	}
	if r := call(h, http.MethodGet, list, fx.Tokens["parent2"], ""); strings.Contains(r.Body, d.id("walk")) {
		t.Fatal("a child who joined after the walk makes it visible")
	}
	if err := app.Delete(e); err != nil {
		t.Fatal(err)
	}
	expect(t, "parent2 is back to their own photo", call(h, http.MethodGet, list, fx.Tokens["parent2"], ""), 200, d.id("potato"))
}

func TestPhotoPrices(t *testing.T) {
	d := loadPhotoDemo(t)
	app := fx.NewApp(t)
	demoL, err := app.FindFirstRecordByFilter("photo_prices", "nursery = {:n} && size = 'L'", dbx.Params{"n": d.mine.GetString("nursery")})
	outsider, _ := app.FindAuthRecordByEmail(collections.NurseryStaff, "outsider-nursery_staff@test.lifestage.example")
	app.Cleanup()
	if err != nil {
		t.Fatal(err)
	}
	director := map[string]string{"Authorization": d.outsider}
	post := "/api/collections/photo_prices/records"
	scenarios := []tests.ApiScenario{
		{
			Name: "a director prices their own nursery's photos", Method: http.MethodPost, URL: post, Headers: director,
			Body:           strings.NewReader(`{"nursery":"` + outsider.GetString("nursery") + `","size":"A4","price":180}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"price":180`},
		},
		{
			Name: "a director cannot price another nursery's photos", Method: http.MethodPost, URL: post, Headers: director,
			Body:           strings.NewReader(`{"nursery":"` + d.mine.GetString("nursery") + `","size":"2L","price":1}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, ExpectedEvents: map[string]int{"OnModelCreate": 0},
		},
		{
			Name: "nor change them", Method: http.MethodPatch, URL: post + "/" + demoL.Id, Headers: director,
			Body: strings.NewReader(`{"price":1}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "staff who are not the director cannot change prices", Method: http.MethodPatch, URL: post + "/" + demoL.Id, Headers: roleAuth("nursery_staff"),
			Body: strings.NewReader(`{"price":1}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "a price is whole yen", Method: http.MethodPost, URL: post, Headers: director,
			Body:           strings.NewReader(`{"nursery":"` + outsider.GetString("nursery") + `","size":"A4","price":99.5}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"price":{"code":`},
		},
		{
			Name: "families read the price list", Method: http.MethodGet, URL: post + "?filter=" + url.QueryEscape(`nursery="`+d.mine.GetString("nursery")+`"`),
			Headers: roleAuth("parent"), ExpectedStatus: 200, ExpectedContent: []string{`"size":"data"`, `"price":300`},
		},
		{
			Name: "guests do not", Method: http.MethodGet, URL: post, ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// photoBench fills a clone of the fixture with a city-sized photo table:
// LIFESTAGE_BENCH_PHOTOS photos (default 30000, about a year of Saijo's
// nurseries) over 20 nurseries and two years, each seen by 60 accounts (a
// class-wide photo); the demo parent sees one in ten of the demo nursery's.
func photoBench(b *testing.B) (http.Handler, string) {
	n := 30000
	if v, err := strconv.Atoi(os.Getenv("LIFESTAGE_BENCH_PHOTOS")); err == nil && v > 0 {
		n = v
	}
	d := loadPhotoDemo(b)
	app := fx.NewApp(b)
	b.Cleanup(app.Cleanup)
	app.Settings().RateLimits.Enabled = false
	mine := d.mine.GetString("nursery")
	err := app.RunInTransaction(func(tx core.App) error {
		for i := range n {
			viewers := make([]string, 60)
			for j := range viewers {
				viewers[j] = fmt.Sprintf("bench%05d%05d", i%997, j)
			}
			nursery := fmt.Sprintf("benchnursery%03d", i%20)
			if i%20 == 0 {
				nursery = mine
				if i%200 == 0 {
					viewers[7] = fx.IDs["parent"]
				}
			}
			raw, _ := json.Marshal(viewers)
			_, err := tx.DB().Insert("nursery_photos", dbx.Params{
				"id": fmt.Sprintf("bp%013d", i), "nursery": nursery, "title": "ベンチ",
				"takenOn": civil.Today().AddDays(-(i % 700)).String(), "image": "bench.png", "children": "[]",
				"classWide": false, "status": photos.Published, "viewers": string(raw), "salesUntil": "", "class": "", "uploadedBy": "",
				"created": "2026-01-01 00:00:00.000Z", "updated": "2026-01-01 00:00:00.000Z",
			}).Execute()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	h, err := testutil.Handler(app)
	if err != nil {
		b.Fatal(err)
	}
	return h, mine
}

func benchPhotos(b *testing.B, query, role string) {
	h, nursery := photoBench(b)
	yearAgo := civil.Today().AddDays(-365).String()
	query = strings.ReplaceAll(query, "NURSERY", url.QueryEscape(`nursery = "`+nursery+`" && takenOn >= "`+yearAgo+`"`))
	u := "/api/collections/nursery_photos/records?perPage=30&skipTotal=1&sort=-takenOn" + query
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := call(h, http.MethodGet, u, fx.Tokens[role], ""); r.Status != 200 {
			b.Fatalf("%s answered %d", u, r.Status)
		}
	}
}

// A family's page of photos, as /me/photos/ asks for it: one nursery and a
// year at a time, so SQLite walks those photos in the index and tests the
// rule's LIKE over viewers on them only.
func BenchmarkPhotosListAsParent(b *testing.B) {
	benchPhotos(b, "&filter=NURSERY", "parent")
}

// The same without the nursery: the LIKE runs over every photo in the city.
func BenchmarkPhotosListAsParentUnfiltered(b *testing.B) {
	benchPhotos(b, "", "parent")
}

// Staff see a year of their nursery's photos; the rule's join makes
// PocketBase add DISTINCT over those rows.
func BenchmarkPhotosListAsStaff(b *testing.B) {
	benchPhotos(b, "&filter=NURSERY", "nursery_staff")
}
