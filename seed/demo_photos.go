package seed

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/photos"
)

// demoPrices are the two demo nurseries' price lists (yen). The other
// nursery sells no A4, so the demo shows a size that is not offered.
var demoPrices = []map[string]int{
	{photos.SizeL: 120, photos.Size2L: 250, photos.SizeA4: 600, photos.SizeData: 300},
	{photos.SizeL: 100, photos.Size2L: 200, photos.SizeData: 250},
}

// demoPhoto is one photo of the demo; tags name children by role: "mine"
// (parent's child), "sibling" (parent's other child), "mate" (a child of
// another family in the same class) and "other" (parent2's child).
type demoPhoto struct {
	key, title string
	daysAgo    int
	tags       []string
	classOf    string // class-wide photo of this child's class
	status     string
}

var demoPhotos = []demoPhoto{
	{key: "sports-1", title: "運動会", daysAgo: 21, tags: []string{"mine"}, status: photos.Published},
	{key: "sports-2", title: "運動会", daysAgo: 21, tags: []string{"mine", "mate"}, status: photos.Published},
	{key: "walk", title: "秋のお散歩", daysAgo: 7, classOf: "mine", status: photos.Published},
	{key: "birthday", title: "お誕生会", daysAgo: 10, tags: []string{"mate"}, status: photos.Published},
	{key: "draft", title: "作品展", daysAgo: 2, tags: []string{"mine"}, status: photos.Draft},
	{key: "sibling", title: "お店やさんごっこ", daysAgo: 14, tags: []string{"sibling"}, status: photos.Published},
	{key: "potato", title: "いも掘り", daysAgo: 18, tags: []string{"other"}, status: photos.Published},
}

// photoSales gives both demo nurseries a price list and photos drawn in Go
// (shapes and colours, no people), and parent and parent2 an order each.
// The grandparent's shared child is the one tagged as "mine" when it is
// enrolled, so the grandparent sees photos too.
func (d *demo) photoSales() error {
	staff := d.records["nursery_staff"]
	mine := staff.GetString("nursery")
	w := &writer{tx: d.tx, cols: map[string]*core.Collection{}}
	parentKids, err := d.enrolmentsOf("parent", mine)
	if err != nil || len(parentKids) == 0 {
		return errors.New("demo parent has no child in the demo nursery")
	}
	otherKids, err := d.enrolmentsOf("parent2", "")
	if err != nil || len(otherKids) == 0 {
		return errors.New("demo parent2 has no child in a nursery")
	}
	other := otherKids[0].GetString("nursery")
	for i, nursery := range []string{mine, other} {
		for size, price := range demoPrices[i] {
			if _, err := w.insert("photo_prices", nursery+"/"+size, map[string]any{"nursery": nursery, "size": size, "price": price}); err != nil {
				return err
			}
		}
	}
	cast := map[string]*core.Record{"mine": parentKids[0], "other": otherKids[0]}
	mate, err := d.classmate(parentKids[0])
	if err != nil {
		return err
	}
	if mate != nil {
		cast["mate"] = mate
	}
	if len(parentKids) > 1 {
		cast["sibling"] = parentKids[1]
	}
	made := map[string]*core.Record{} // by key
	byID := map[string]*core.Record{} // by record id
	for i, p := range demoPhotos {
		rec, err := d.demoPhoto(w, p, i, cast, staff.Id)
		if err != nil {
			return fmt.Errorf("demo photo %s: %w", p.key, err)
		}
		if rec != nil {
			made[p.key], byID[rec.Id] = rec, rec
		}
	}
	if err := auditlog.LogImport(d.tx, "nursery_photos", len(made)); err != nil {
		return err
	}
	// Lines of photos a small city could not cast are left out.
	line := func(key, size string, quantity int) []photos.Line {
		if p, ok := made[key]; ok {
			return []photos.Line{{Photo: p.Id, Size: size, Quantity: quantity}}
		}
		return nil
	}
	orders := []struct {
		role  string
		child *core.Record
		lines []photos.Line
		price map[string]int
	}{
		{"parent", parentKids[0], slices.Concat(line("sports-1", photos.SizeL, 2), line("walk", photos.Size2L, 1), line("sports-2", photos.SizeData, 1)), demoPrices[0]},
		{"parent2", otherKids[0], line("potato", photos.SizeL, 1), demoPrices[1]},
	}
	for _, o := range orders {
		if err := d.demoOrder(w, o.role, o.child, o.lines, o.price, byID); err != nil {
			return fmt.Errorf("demo %s photo order: %w", o.role, err)
		}
	}
	return auditlog.LogImport(d.tx, "photo_orders", len(orders))
}

// enrolmentsOf are the enrolments of the role's children in a class (at the
// nursery, when given), youngest first.
func (d *demo) enrolmentsOf(role, nursery string) ([]*core.Record, error) {
	kids, err := d.enrolledKids(role)
	if err != nil {
		return nil, err
	}
	var out []*core.Record
	for _, k := range kids {
		if e := k.enrolment; e.GetString("class") != "" && (nursery == "" || e.GetString("nursery") == nursery) {
			out = append(out, e)
		}
	}
	return out, nil
}

// classmate is the enrolment of a child of another family in the same class,
// placing one there when the small test city has none; nil when the city
// has no child of that age at all.
func (d *demo) classmate(of *core.Record) (*core.Record, error) {
	households := []string{of.GetString("household")}
	for _, role := range []string{"parent", "parent2"} {
		households = append(households, d.records[role].GetString("household"))
	}
	notOurs := dbx.Not(dbx.In("household", toAny(households)...))
	if mates, err := d.tx.FindAllRecords("enrolments", dbx.HashExp{"class": of.GetString("class")}, notOurs); err == nil && len(mates) > 0 {
		return mates[0], nil
	}
	class, err := d.tx.FindRecordById("nursery_classes", of.GetString("class"))
	if err != nil {
		return nil, err
	}
	fy, age := class.GetInt("fiscalYear"), class.GetInt("ageClass")
	kids, err := d.tx.FindAllRecords("children", notOurs, dbx.NewExp("birthDate >= {:from} AND birthDate <= {:to}",
		dbx.Params{"from": civil.FiscalYearStart(fy - age - 1).String(), "to": civil.FiscalYearStart(fy - age).String()}))
	if err != nil {
		return nil, err
	}
	for _, k := range kids {
		birth, err := civil.Parse(k.GetString("birthDate"))
		if err != nil || civil.ClassAge(birth, fy) != age || d.today.Before(birth.AddDays(57)) {
			continue
		}
		if err := d.placeInNursery(k, class.GetString("nursery")); err != nil {
			return nil, err
		}
		return d.tx.FindFirstRecordByFilter("enrolments", "child = {:c}", dbx.Params{"c": k.Id})
	}
	return nil, nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// demoPhoto saves one photo, taken no earlier than its children's
// enrolments began. It skips photos of a cast member the family lacks.
func (d *demo) demoPhoto(w *writer, p demoPhoto, scene int, cast map[string]*core.Record, staff string) (*core.Record, error) {
	var members []*core.Record
	for _, role := range append(append([]string{}, p.tags...), p.classOf) {
		if role == "" {
			continue
		}
		e, ok := cast[role]
		if !ok {
			return nil, nil
		}
		members = append(members, e)
	}
	taken := d.today.AddDays(-p.daysAgo)
	for _, e := range members {
		if start, err := civil.Parse(e.GetString("start")); err == nil {
			taken = civil.Later(taken, start)
		}
	}
	pic, err := demoPicture(scene)
	if err != nil {
		return nil, err
	}
	file, err := filesystem.NewFileFromBytes(pic, p.key+".png")
	if err != nil {
		return nil, err
	}
	fields := map[string]any{
		"nursery": members[0].GetString("nursery"), "title": p.title, "takenOn": taken.String(),
		"image": file, "status": p.status, "uploadedBy": staff, "classWide": p.classOf != "",
		"class": members[0].GetString("class"),
	}
	var tags []string
	for _, role := range p.tags {
		tags = append(tags, cast[role].GetString("child"))
	}
	fields["children"] = tags
	return w.insert("nursery_photos", p.key, fields)
}

// demoOrder saves an order priced the way the order route prices one.
func (d *demo) demoOrder(w *writer, role string, enrolment *core.Record, lines []photos.Line, prices map[string]int, photoByID map[string]*core.Record) error {
	priced, total, prob := photos.Quote(lines, prices)
	if prob != nil {
		return prob
	}
	items := make([]map[string]any, len(priced))
	for i, l := range priced {
		p := photoByID[l.Photo]
		items[i] = map[string]any{
			"photo": l.Photo, "size": l.Size, "quantity": l.Quantity, "unitPrice": l.UnitPrice, "amount": l.Amount,
			"title": p.GetString("title"), "takenOn": p.GetString("takenOn"),
		}
	}
	_, err := w.insert("photo_orders", role, map[string]any{
		"user": d.records[role].Id, "child": enrolment.GetString("child"), "household": enrolment.GetString("household"),
		"nursery": enrolment.GetString("nursery"), "items": items, "total": total,
		"month": photos.BillingMonth(time.Now()), "status": photos.Ordered,
	})
	return err
}

// demoPicture draws a sunny playground scene (sky, ground, sun, balloons or
// flags) whose colours and layout vary with the scene number. No people.
func demoPicture(scene int) ([]byte, error) {
	const width, height = 960, 720
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	skies := []color.RGBA{{135, 206, 235, 255}, {173, 216, 230, 255}, {255, 204, 153, 255}, {176, 224, 230, 255}}
	grounds := []color.RGBA{{124, 186, 90, 255}, {196, 164, 120, 255}, {102, 170, 102, 255}}
	accents := []color.RGBA{{230, 57, 70, 255}, {255, 183, 3, 255}, {58, 134, 255, 255}, {131, 56, 236, 255}, {251, 86, 7, 255}, {6, 214, 160, 255}}
	horizon := height * 2 / 3
	draw.Draw(img, image.Rect(0, 0, width, horizon), image.NewUniform(skies[scene%len(skies)]), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, horizon, width, height), image.NewUniform(grounds[scene%len(grounds)]), image.Point{}, draw.Src)
	disc(img, width-150, 120, 70, color.RGBA{255, 221, 0, 255})
	for i := 0; i < 6; i++ {
		c := accents[(scene+i)%len(accents)]
		x := 90 + i*140
		if scene%2 == 0 { // balloons on strings
			y := 180 + (i*53+scene*31)%160
			draw.Draw(img, image.Rect(x, y+55, x+3, horizon), image.NewUniform(color.RGBA{80, 80, 80, 255}), image.Point{}, draw.Src)
			disc(img, x, y, 55, c)
		} else { // flags on a line
			for row := 0; row < 60; row++ {
				half := (60 - row) * 35 / 60
				draw.Draw(img, image.Rect(x-half, 80+row, x+half, 81+row), image.NewUniform(c), image.Point{}, draw.Src)
			}
		}
		disc(img, x+30, horizon+60+(i*37)%120, 18, accents[(scene+i+2)%len(accents)]) // flowers
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

func disc(img *image.RGBA, cx, cy, r int, c color.RGBA) {
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			if x*x+y*y <= r*r {
				img.SetRGBA(cx+x, cy+y, c)
			}
		}
	}
}
