package browser

// Photo sales: the parent sees the photos (protected files shown through a
// file token), orders a print and sees the order; the grandparent sees the
// shared child's photos but cannot order; nursery staff upload a photo with
// the child tagged from the class roster and publish it.

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
)

// thumbsLoaded is true once every thumbnail on the page has loaded.
const thumbsLoaded = `document.querySelectorAll(".photo-tile img").length > 0 &&
	[...document.querySelectorAll(".photo-tile img")].every((i) => i.complete && i.naturalWidth > 0)`

func TestParentOrdersAPhotoPrint(t *testing.T) {
	base, app := siteApp(t)
	ctx := browseLong(t)
	login(t, ctx, base, "parent")
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/photos/"),
		chromedp.WaitVisible(chromedp.CSS(`.photo-tile`)),
		chromedp.Poll[chromedp.Void](thumbsLoaded),
	)
	if err != nil {
		t.Fatalf("gallery: %v", err)
	}
	gallery := text(t, ctx, `#gallery`)
	for _, want := range []string{"運動会", "秋のお散歩"} {
		if !strings.Contains(gallery, want) {
			t.Errorf("gallery lacks %s: %q", want, gallery)
		}
	}
	for _, never := range []string{"お誕生会", "作品展", "いも掘り"} {
		if strings.Contains(gallery, never) {
			t.Errorf("gallery shows %s", never)
		}
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); err != nil || w > 0 {
		t.Errorf("the page scrolls sideways by %dpx (%v)", w, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.photo-tile`)),
		chromedp.WaitVisible(chromedp.CSS(`#photo-dialog input[name="size"][value="2L"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#dialog-image img")?.naturalWidth > 0`),
		chromedp.Click(chromedp.CSS(`#photo-dialog input[name="size"][value="2L"]`)),
		chromedp.SetValue(chromedp.ID(`line-quantity`), "3"),
		chromedp.Click(chromedp.ID(`line-add`)),
		waitText(`#cart-lines`, "2L判 × 3枚"),
		waitText(`#cart-total`, "750円"),
		chromedp.Click(chromedp.CSS(`#order-form button[type="submit"]`)),
		waitText(`#order-status`, "注文しました（750円）"),
		waitText(`#orders`, "2L判 × 3枚"),
	)
	if err != nil {
		t.Fatalf("order: %v", err)
	}
	n, err := app.CountRecords("photo_orders", dbx.HashExp{"user": fx.IDs["parent"], "total": 750, "status": "ordered"})
	if err != nil || n != 1 {
		t.Fatalf("%d orders of 750 yen stored (%v)", n, err)
	}
}

func TestGrandparentSeesPhotosButDoesNotOrder(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	login(t, ctx, base, "grandparent")
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/photos/"),
		chromedp.WaitVisible(chromedp.CSS(`.photo-tile`)),
		chromedp.Poll[chromedp.Void](thumbsLoaded),
		chromedp.WaitVisible(chromedp.ID(`order-note`)),
	)
	if err != nil {
		t.Fatalf("grandparent's gallery: %v", err)
	}
	if g := text(t, ctx, `#gallery`); strings.Contains(g, "お店やさんごっこ") {
		t.Error("the grandparent sees the photo of a child not shared with her")
	}
}

func TestStaffUploadAndPublishAPhoto(t *testing.T) {
	base, app := siteApp(t)
	staff, err := app.FindRecordById("nursery_staff", fx.IDs["nursery_staff"])
	if err != nil {
		t.Fatal(err)
	}
	// A class of the demo nursery with parent's child in it today.
	e, err := app.FindFirstRecordByFilter("enrolments", "nursery = {:n} && class != '' && child.guardians ~ {:p}",
		dbx.Params{"n": staff.GetString("nursery"), "p": fx.IDs["parent"]})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ensoku.png")
	if err := os.WriteFile(file, pngBytes(t), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx := browseLong(t)
	a := fx.Accounts["nursery_staff"]
	err = chromedp.Do(ctx,
		loginAs("nursery", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems-title`)),
		chromedp.Navigate(base+"/nursery/photos/"),
		chromedp.WaitVisible(chromedp.ID(`upload-form`)),
		chromedp.Poll[chromedp.Void](`!document.getElementById("staff-photos").hasAttribute("aria-busy")`),
		chromedp.SendKeys(chromedp.ID(`up-title`), "遠足"),
		chromedp.SetValue(chromedp.ID(`up-class`), e.GetString("class")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("up-class").dispatchEvent(new Event("change"))`),
		chromedp.SetUploadFiles(chromedp.ID(`up-files`), []string{file}),
		chromedp.WaitVisible(chromedp.CSS(`.upload-card input[value="`+e.GetString("child")+`"]`)),
		chromedp.Click(chromedp.CSS(`.upload-card input[value="`+e.GetString("child")+`"]`)),
		chromedp.Click(chromedp.CSS(`#upload-form button[value="published"]`)),
		waitText(`#upload-status`, "1枚を登録して公開しました"),
		waitText(`#staff-photos`, "遠足"),
	)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	p, err := app.FindFirstRecordByFilter("nursery_photos", "title = '遠足'")
	if err != nil {
		t.Fatal(err)
	}
	if p.GetString("status") != "published" || !slices.Contains(p.GetStringSlice("children"), e.GetString("child")) {
		t.Fatalf("stored photo: status %s, children %v", p.GetString("status"), p.GetStringSlice("children"))
	}
	if !slices.Contains(p.GetStringSlice("viewers"), fx.IDs["parent"]) {
		t.Fatal("the parent is not among the viewers")
	}

	// A wrong tag is fixed in place: untag the child, tag nobody, and the
	// server refuses to publish to nobody; class-wide is the other way.
	child := `#staff-photos li:first-child details input[value="` + e.GetString("child") + `"]`
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#staff-photos li:first-child details summary`)),
		chromedp.WaitVisible(chromedp.CSS(child)),
		chromedp.Click(chromedp.CSS(child)),
		chromedp.Click(chromedp.CSS(`#staff-photos li:first-child details button[type="submit"]`)),
		waitText(`#list-status`, "公開するには、写っているお子さまを選ぶか"),
	)
	if err != nil {
		t.Fatalf("tag editor: %v", err)
	}
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * 4), 120, uint8(y * 5), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
