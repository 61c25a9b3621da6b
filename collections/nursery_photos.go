package collections

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/photos"
)

// Photo sales (写真販売): nursery staff upload photos and tag the children in
// them; the families of those children (and, for class-wide photos, of the
// whole class) see them and order prints or data, which go onto the monthly
// invoice.
//
// Who may see a photo is denormalised into its hidden `viewers` list (the
// guardians and sharing family of every child it concerns), kept current by
// the hooks whenever a photo, a child's sharing or an enrolment changes. The
// alternative, a rule through children.guardians and enrolments, would join
// two multi-valued relations per photo on every list and file request.

// PhotoMaxBytes caps one uploaded photo; a phone's JPEG is 2–6 MB.
const PhotoMaxBytes = 10 << 20

// PhotoThumbs are the thumbnails PocketBase makes on demand: a square for the
// grid and a width-limited one to look at before ordering.
var PhotoThumbs = []string{"300x300", "800x0"}

// photoViewer is a citizen the photo was published to.
var photoViewer = allOf(citizen, `status = "`+photos.Published+`"`, listHas("viewers"))

func init() {
	register(
		Spec{
			Name: "photo_prices", System: SystemNursery,
			Description: "写真の価格表（保育施設ごと・サイズごと。載っていないサイズは販売しない）",
			Fields: []core.Field{
				nurseryField(),
				&core.SelectField{Name: "size", Required: true, MaxSelect: 1, Values: photos.Sizes, Help: "サイズ: L=L判, 2L=2L判, A4=A4判, data=データ（元の画像のダウンロード）"},
				&core.NumberField{Name: "price", OnlyInt: true, Min: ptr(0.0), Max: ptr(float64(photos.MaxPrice)), Help: "1枚の価格（円、税込）"},
			},
			Indexes: []Index{{Name: "idx_photo_prices_nursery", Unique: true, Columns: "nursery, size"}},
			// A price is not personal: any signed-in account may read it; the
			// nursery's director sets it.
			Rules: Rules{
				List:   rule(`@request.auth.id != ""`),
				View:   rule(`@request.auth.id != ""`),
				Create: rule(nurseryDirectorOf("@request.body.nursery")),
				Update: rule(allOf(nurseryDirectorOf("nursery"), bodyUnset("nursery"))),
				Delete: rule(nurseryDirectorOf("nursery")),
			},
		},
		Spec{
			Name: "nursery_photos", System: SystemNursery, Personal: true,
			Description: "園で撮影した写真（販売用）。写っている子とクラス全体公開の別を持ち、その子の保護者と共有された家族だけが見られる",
			Fields: []core.Field{
				nurseryField(),
				&core.RelationField{Name: "class", MaxSelect: 1, CollectionId: Id("nursery_classes"), Help: "クラス"},
				&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true, Help: "行事・アルバム名（例: 運動会）"},
				civilDate("takenOn", "撮影日（YYYY-MM-DD）", true),
				&core.FileField{
					Name: "image", Required: true, MaxSelect: 1, MaxSize: PhotoMaxBytes, Protected: true,
					MimeTypes: []string{"image/jpeg", "image/png", "image/webp"}, Thumbs: PhotoThumbs,
					Help: "写真（JPEG・PNG・WebP、10MBまで。見るにはファイル用トークンが必要）",
				},
				&core.RelationField{Name: "children", MaxSelect: 100, CollectionId: Id("children"), Help: "写っている子ども（保護者にはわが子の分だけ知らせる）"},
				&core.BoolField{Name: "classWide", Help: "クラス全体の写真（撮影日にそのクラスに在籍した子の家族全員に公開）"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{photos.Draft, photos.Published, photos.Withdrawn}, Help: "状態: draft=下書き（職員のみ）, published=公開中, withdrawn=公開停止"},
				civilDate("salesUntil", "販売期限（YYYY-MM-DD、空なら期限なし）", false),
				&core.RelationField{Name: "uploadedBy", MaxSelect: 1, CollectionId: Id(NurseryStaff), Help: "登録した職員"},
				&core.RelationField{Name: "viewers", MaxSelect: 5000, CollectionId: Id(Users), Hidden: true, Help: "見られる市民アカウント（写っている子・クラスの子の保護者と共有された家族。自動設定、非公開）"},
			},
			// Pages always ask for one nursery and a span of days: the
			// first index bounds the rows whose viewers the rule must test
			// (see BenchmarkPhotosListAsParent).
			Indexes: []Index{
				{Name: "idx_nursery_photos_nursery", Columns: "nursery, takenOn, status"},
				{Name: "idx_nursery_photos_class", Columns: "class, takenOn"},
			},
			// Staff of the nursery manage its photos; families only read
			// those published to them. Deleting goes through a route that
			// refuses photos with open orders. The city has no need to see
			// children's photos. (PocketBase drops hidden fields such as
			// viewers from a non-superuser's body; the create hook sets
			// uploadedBy.)
			Rules: Rules{
				List:   anyOf(nurseryStaffOf("nursery"), photoViewer),
				View:   anyOf(nurseryStaffOf("nursery"), photoViewer),
				Create: rule(nurseryStaffOf("@request.body.nursery")),
				Update: rule(allOf(nurseryStaffOf("nursery"), bodyUnset("nursery", "uploadedBy"))),
			},
		},
		Spec{
			Name: "photo_orders", System: SystemNursery, Personal: true, Subject: "user",
			Description: "写真の注文。月ごとに世帯の請求に載る（価格・合計・請求月はサーバーが計算）",
			Fields: []core.Field{
				// Not required, so that an account or child removed later leaves
				// the order (a billing record) in place; the route always sets them.
				&core.RelationField{Name: "user", MaxSelect: 1, CollectionId: Id(Users), Help: "注文した保護者"},
				&core.RelationField{Name: "child", MaxSelect: 1, CollectionId: Id("children"), Help: "注文の対象の子ども（在籍する園の請求に載る）"},
				&core.RelationField{Name: "household", MaxSelect: 1, CollectionId: Id("households"), Help: "請求先の世帯（子どもから自動設定）"},
				nurseryField(),
				&core.JSONField{Name: "items", Required: true, MaxSize: 32 << 10, Help: "注文の明細: [{photo, size, quantity, unitPrice, amount, title, takenOn}]"},
				&core.NumberField{Name: "total", OnlyInt: true, Min: ptr(0.0), Help: "合計（円、税込）"},
				&core.TextField{Name: "month", Required: true, Max: 7, Pattern: `^\d{4}-(0[1-9]|1[0-2])$`, Help: "請求月（YYYY-MM、注文した日の東京の月）"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{photos.Ordered, photos.Cancelled, photos.Invoiced}, Help: "状態: ordered=注文済, cancelled=取消, invoiced=請求済（取消できない）"},
				&core.TextField{Name: "invoice", Max: 15, Help: "載った請求書のID（請求の実行時に設定）"},
				&core.DateField{Name: "cancelledAt", Help: "取消日時"},
			},
			Indexes: []Index{
				{Name: "idx_photo_orders_user", Columns: "user, created"},
				{Name: "idx_photo_orders_child", Columns: "child"},
				{Name: "idx_photo_orders_billing", Columns: "household, nursery, month, status"},
				{Name: "idx_photo_orders_nursery", Columns: "nursery, month, status"},
			},
			// Orders are placed and cancelled through routes that price them
			// on the server. The orderer and the child's guardians (who share
			// the invoice) read them; the nursery reads them to print.
			Rules: Rules{
				List: anyOf(allOf(citizen, `user = @request.auth.id || `+listHas("child.guardians")), nurseryStaffOf("nursery")),
				View: anyOf(allOf(citizen, `user = @request.auth.id || `+listHas("child.guardians")), nurseryStaffOf("nursery")),
			},
		},
	)
}
