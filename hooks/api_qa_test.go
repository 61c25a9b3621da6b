package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/saijo-dx/lifestage/auditlog"
)

// qaThread is a demo thread by its title prefix.
func qaThread(t testing.TB, app core.App, title string) *core.Record {
	t.Helper()
	r, err := app.FindFirstRecordByFilter("qa_threads", "title ~ {:t}", dbx.Params{"t": title})
	if err != nil {
		t.Fatalf("demo has no thread %q: %v", title, err)
	}
	return r
}

const (
	qaPublicTitle  = "離乳食はいつから"    // parent's public thread, answered by a 保健師 and parent2
	qaPrivateTitle = "産後、気分の落ち込み"  // parent's private consultation
	qaOpenTitle    = "保育園の慣らし保育"   // parent2's thread nobody answered yet
	qaPendingTitle = "夜に急に熱が出たときは" // parent's thread with a post held by the word list
)

// qaProfileOf is a demo role's nickname profile.
func qaProfileOf(t testing.TB, app core.App, role string) *core.Record {
	t.Helper()
	p, err := app.FindFirstRecordByData("qa_profiles", "user", fx.IDs[role])
	if err != nil {
		t.Fatalf("%s has no nickname: %v", role, err)
	}
	return p
}

// newCitizen registers a resident with no nickname yet.
func newCitizen(t testing.TB, app core.App, email string) (*core.Record, string) {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	u := core.NewRecord(col)
	u.SetEmail(email)
	u.SetPassword("long-enough-password")
	u.Set("name", "新規 利用者")
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}
	tok, err := u.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return u, tok
}

func qaJSON(v map[string]any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestQANicknameChosenOnce(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	_, tok := newCitizen(t, app, "qa-new@test.lifestage.example")
	post := func(nick string) (int, string) {
		return send(t, app, http.MethodPost, "/api/lifestage/qa/profile", tok, qaJSON(map[string]any{"nickname": nick}))
	}
	for _, tc := range []struct {
		nick string
		code int
		want string
	}{
		{"ほ", 400, `"code":"nickname_length"`},
		{"保健師ママ", 400, `"code":"nickname_reserved"`},
		{"市役所の人", 400, `"code":"nickname_reserved"`},
		{"ﾊﾞｶ", 400, `"code":"blocked_word"`},
		{"ヒマワリママ", 400, `"code":"nickname_taken"`}, // ひまわりママ is taken; kana folding makes them one
		{"そらまめ", 200, `"nickname":"そらまめ"`},
		{"べつのなまえ", 409, `"status":409`},
	} {
		code, body := post(tc.nick)
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s, want %d %s", tc.nick, code, body, tc.code, tc.want)
		}
	}
	// The record API cannot change a nickname either.
	mine := 0
	code, body := send(t, app, http.MethodGet, "/api/collections/qa_profiles/records", tok, "")
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &page) != nil {
		t.Fatalf("own profile list: %d %s", code, body)
	}
	for _, it := range page.Items {
		if it["nickname"] == "そらまめ" {
			mine++
		}
		if _, ok := it["user"]; ok {
			t.Errorf("profile shows its account: %v", it)
		}
	}
	if len(page.Items) != 1 || mine != 1 {
		t.Fatalf("own profile list holds %v", page.Items)
	}
	id := page.Items[0]["id"].(string)
	if code, _ := send(t, app, http.MethodPatch, "/api/collections/qa_profiles/records/"+id, tok, `{"nickname":"かえたい"}`); code != 403 {
		t.Errorf("nickname update through the record API: %d, want 403", code)
	}
	code, body = send(t, app, http.MethodPost, "/api/lifestage/qa/threads", tok,
		`{"title":"はじめての質問","body":"よろしくお願いします","category":"life"}`)
	if code != 200 || !strings.Contains(body, `"nickname":"そらまめ"`) {
		t.Errorf("first question: %d %s", code, body)
	}
}

func TestQANeedsANickname(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	_, tok := newCitizen(t, app, "qa-nonick@test.lifestage.example")
	code, body := send(t, app, http.MethodPost, "/api/lifestage/qa/threads", tok, `{"title":"質問","body":"本文","category":"life"}`)
	if code != 400 || !strings.Contains(body, `"code":"no_profile"`) {
		t.Errorf("question without a nickname: %d %s", code, body)
	}
}

func TestQAPosting(t *testing.T) {
	ask := func(body string) *strings.Reader { return strings.NewReader(body) }
	threadURL := func(title string) func(testing.TB, *tests.TestApp) string {
		return func(t testing.TB, app *tests.TestApp) string {
			return "/api/lifestage/qa/threads/" + qaThread(t, app, title).Id + "/answers"
		}
	}
	notified := func(role string, want int) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			if n := notificationsOf(t, app, role, "qa.answered"); n != want {
				t.Errorf("%s has %d qa.answered notifications, want %d", role, n, want)
			}
		}
	}
	type answerCase struct {
		name, role, title, body string
		status                  int
		want                    []string
		after                   func(testing.TB, *tests.TestApp, *http.Response)
	}
	answers := []answerCase{
		{"guest cannot answer", "anonymous", qaPublicTitle, `{"body":"こんにちは"}`, 401, []string{`"status":401`}, nil},
		{"nursery staff cannot answer", "nursery_staff", qaPublicTitle, `{"body":"こんにちは"}`, 403, []string{`"status":403`}, nil},
		{"medical staff cannot answer", "medical_staff", qaPublicTitle, `{"body":"こんにちは"}`, 403, []string{`"status":403`}, nil},
		{"volunteer cannot answer", "volunteer", qaPublicTitle, `{"body":"こんにちは"}`, 403, []string{`"status":403`}, nil},
		{"保育 staff of the city cannot answer", "city_nursery", qaPublicTitle, `{"body":"こんにちは"}`, 403, []string{`"status":403`}, nil},
		{"another parent answers a public thread; the asker is told", "parent2", qaPublicTitle, `{"body":"うちは6か月からでした"}`, 200,
			[]string{`"nickname":"こもれび"`, `"status":"visible"`}, notified("parent", 1)},
		{"staff answer with the 保健師 badge; the asker is told", "city_child", qaOpenTitle, `{"body":"園によって1〜2週間が目安です"}`, 200,
			[]string{`"staffBadge":"保健師"`, `"status":"visible"`}, func(t testing.TB, app *tests.TestApp, res *http.Response) {
				notified("parent2", 1)(t, app, res)
				th := qaThread(t, app, qaOpenTitle)
				if th.GetInt("answerCount") != 1 || !th.GetBool("staffAnswered") {
					t.Errorf("thread counts: %d answers, staff %v", th.GetInt("answerCount"), th.GetBool("staffAnswered"))
				}
			}},
		{"the asker's own follow-up notifies nobody", "parent", qaPublicTitle, `{"body":"ありがとうございました"}`, 200,
			[]string{`"status":"visible"`}, notified("parent", 0)},
		{"another parent cannot see (so cannot answer) a private consultation", "parent2", qaPrivateTitle, `{"body":"わかります"}`, 404,
			[]string{`"status":404`}, nil},
		{"the asker may follow up on their private consultation", "parent", qaPrivateTitle, `{"body":"電話してみます"}`, 200,
			[]string{`"status":"visible"`}, nil},
		{"staff answer a private consultation", "city_child", qaPrivateTitle, `{"body":"お待ちしています"}`, 200,
			[]string{`"staffBadge":"保健師"`}, notified("parent", 1)},
		{"a blocked word is refused without naming it", "parent2", qaPublicTitle, `{"body":"そんなのもわからないの？ばか"}`, 400,
			[]string{`"code":"blocked_word"`}, nil},
		{"an empty answer is refused", "parent2", qaPublicTitle, `{"body":"  "}`, 400, []string{`"code":"required"`}, nil},
	}
	var scenarios []tests.ApiScenario
	for _, a := range answers {
		s := tests.ApiScenario{Name: a.name, Method: http.MethodPost, Body: ask(a.body), ExpectedStatus: a.status,
			ExpectedContent: a.want, NotExpectedContent: []string{"ばか", "バカ"}, AfterTestFunc: a.after}
		if tok := fx.Tokens[a.role]; tok != "" {
			s.Headers = map[string]string{"Authorization": tok}
		}
		scenarios = append(scenarios, s)
	}
	// ApiScenario needs the URL before the app exists; the demo's ids are
	// the same in every clone, so read them from one.
	app := fx.NewApp(t)
	for i, a := range answers {
		scenarios[i].URL = threadURL(a.title)(t, app)
	}
	app.Cleanup()

	threads := "/api/lifestage/qa/threads"
	scenarios = append(scenarios,
		tests.ApiScenario{Name: "guest cannot ask", Method: http.MethodPost, URL: threads, Body: ask(`{"title":"質問","body":"本文","category":"life"}`),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		tests.ApiScenario{Name: "staff do not ask", Method: http.MethodPost, URL: threads, Body: ask(`{"title":"質問","body":"本文","category":"life"}`),
			Headers: auth("city_child"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		tests.ApiScenario{Name: "a parent asks under their nickname", Method: http.MethodPost, URL: threads,
			Body:    ask(`{"title":"歯みがきはいつから","body":"歯が生えてきました。","category":"life","author":"abcdefghijklmno","status":"hidden"}`),
			Headers: auth("parent"), ExpectedStatus: 200,
			ExpectedContent:    []string{`"nickname":"ひまわりママ"`, `"status":"visible"`, `"private":false`, `"answerCount":0`},
			NotExpectedContent: []string{fx.IDs["parent"], "abcdefghijklmno", `"user"`}},
		tests.ApiScenario{Name: "a private consultation", Method: http.MethodPost, URL: threads,
			Body:    ask(`{"title":"相談","body":"誰にも言えない悩みです","category":"life","private":true}`),
			Headers: auth("parent2"), ExpectedStatus: 200, ExpectedContent: []string{`"private":true`, `"status":"visible"`}},
		tests.ApiScenario{Name: "a phone number holds the question for review", Method: http.MethodPost, URL: threads,
			Body:    ask(`{"title":"ママ友募集","body":"090-1234-5678 に連絡ください","category":"life"}`),
			Headers: auth("parent"), ExpectedStatus: 200, ExpectedContent: []string{`"status":"pending"`, `電話番号やメールアドレス`}},
		tests.ApiScenario{Name: "a blocked word in the title", Method: http.MethodPost, URL: threads,
			Body:    ask(`{"title":"キモい","body":"本文","category":"life"}`),
			Headers: auth("parent"), ExpectedStatus: 400, ExpectedContent: []string{`"title":{"code":"blocked_word"`}},
		tests.ApiScenario{Name: "an unknown category", Method: http.MethodPost, URL: threads,
			Body:    ask(`{"title":"質問","body":"本文","category":"money"}`),
			Headers: auth("parent"), ExpectedStatus: 400, ExpectedContent: []string{`"code":"invalid_category"`}},
		tests.ApiScenario{Name: "the record API does not take questions", Method: http.MethodPost, URL: "/api/collections/qa_threads/records",
			Body:    ask(`{"title":"質問","body":"本文","category":"life","status":"visible"}`),
			Headers: auth("parent"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
	)
	runScenarios(t, scenarios)
}

// TestQANicknamesStayAnonymous walks every Q&A route and collection as
// another parent (and as a guest and as 子育て staff in their normal views),
// with every expand, field selection, filter and sort that could reach the
// account behind a nickname, and checks that parent's id, email and name
// appear in no answer. Filters on the hidden user field must be refused, not
// silently evaluated (which would leak through the result count).
func TestQANicknamesStayAnonymous(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	parent := account(t, app, "parent")
	secrets := []string{parent.Id, parent.Email(), parent.GetString("name")}
	if parent.GetString("name") == "" {
		t.Fatal("the demo parent needs a name to look for")
	}
	profile := qaProfileOf(t, app, "parent")
	public := qaThread(t, app, qaPublicTitle)
	private := qaThread(t, app, qaPrivateTitle)
	post, err := app.FindFirstRecordByFilter("qa_posts", "author = {:a}", dbx.Params{"a": profile.Id})
	if err != nil {
		t.Fatal(err)
	}
	q := url.QueryEscape
	var bodies []string
	check := func(label string, code int, body string) {
		t.Helper()
		bodies = append(bodies, body)
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("%s (%d) reveals %q: %s", label, code, s, body)
			}
		}
	}
	get := func(role, path string) (int, string) {
		code, body := send(t, app, http.MethodGet, path, fx.Tokens[role], "")
		check(role+" GET "+path, code, body)
		return code, body
	}
	expands := "author,author.user,thread,thread.author,thread.author.user,staffAuthor,sourceThread.author.user,sourcePost.author.user"
	reads := []string{
		"/api/collections/qa_threads/records?perPage=200&expand=" + q(expands) + "&fields=*",
		"/api/collections/qa_threads/records/" + public.Id + "?expand=" + q("author,author.user"),
		"/api/collections/qa_threads/records/" + private.Id + "?expand=author.user",
		"/api/collections/qa_posts/records?perPage=200&expand=" + q(expands),
		"/api/collections/qa_posts/records/" + post.Id + "?expand=" + q("author.user,thread.author.user") + "&fields=" + q("*,expand.author.user.email"),
		"/api/collections/qa_profiles/records/" + profile.Id + "?expand=user&fields=" + q("*,user,expand.user.email"),
		"/api/collections/qa_profiles/records?perPage=200&expand=user",
		"/api/collections/faqs/records?perPage=200&expand=" + q(expands),
		"/api/collections/qa_reports/records?expand=reporter",
		"/api/collections/users/records/" + parent.Id,
		"/api/collections/notifications/records?perPage=200",
	}
	for _, role := range []string{"parent2", "anonymous", "city_child"} {
		for _, path := range reads {
			get(role, path)
		}
	}
	// A guest (and parent2) may not use the hidden link even indirectly:
	// a filter or sort through it is an error, never an answer that
	// depends on it.
	probes := []struct{ collection, query string }{
		{"qa_threads", "filter=" + q(`author.user = "`+parent.Id+`"`)},
		{"qa_threads", "filter=" + q(`author.user.email ~ "@"`)},
		{"qa_threads", "filter=" + q(`author.user != ""`)},
		{"qa_threads", "sort=author.user"},
		{"qa_posts", "filter=" + q(`author.user = "`+parent.Id+`"`)},
		{"qa_posts", "filter=" + q(`thread.author.user = "`+parent.Id+`"`)},
		{"qa_profiles", "filter=" + q(`user = "`+parent.Id+`"`)},
		{"qa_profiles", "filter=" + q(`nicknameKey ~ "ま"`)},
		{"qa_profiles", "filter=" + q(`@collection.users.email = "`+parent.Email()+`"`)},
	}
	for _, role := range []string{"parent2", "anonymous", "city_child"} {
		for _, p := range probes {
			path := "/api/collections/" + p.collection + "/records?" + p.query
			code, body := get(role, path)
			if code != 400 && code != 403 {
				t.Errorf("%s %s: %d, want the filter refused (400, or 403 for @collection): %s", role, path, code, body)
			}
		}
	}
	// The routes, their answers and their errors.
	p2 := fx.Tokens["parent2"]
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPost, "/api/lifestage/qa/threads/" + public.Id + "/answers", `{"body":"わが家もそうでした"}`},
		{http.MethodPost, "/api/lifestage/qa/threads/" + private.Id + "/answers", `{"body":"見えますか"}`},
		{http.MethodPost, "/api/lifestage/qa/reports", `{"thread":"` + public.Id + `","reason":"other"}`},
		{http.MethodPost, "/api/lifestage/qa/reports", `{"thread":"` + public.Id + `","reason":"other"}`},
		{http.MethodPost, "/api/lifestage/qa/reports", `{"post":"` + post.Id + `","reason":"spam"}`},
		{http.MethodPost, "/api/lifestage/qa/reports", `{"thread":"` + private.Id + `","reason":"other"}`},
		{http.MethodPost, "/api/lifestage/qa/profile", `{"nickname":"ひまわりママ"}`},
		{http.MethodPost, "/api/lifestage/qa/profiles/" + profile.Id + "/reveal", `{"reason":"知りたいから教えて"}`},
		{http.MethodPost, "/api/lifestage/qa/moderate", `{"kind":"thread","id":"` + public.Id + `","action":"hide","reason":"x"}`},
		{http.MethodPost, "/api/lifestage/qa/faqs", `{"thread":"` + public.Id + `","post":"` + post.Id + `"}`},
	} {
		code, body := send(t, app, c.method, c.path, p2, c.body)
		check("parent2 "+c.method+" "+c.path, code, body)
	}
	// The notification parent gets names parent2's nickname, not parent2
	// (read through the API: bodies are encrypted at rest).
	p2rec := account(t, app, "parent2")
	code, notes := send(t, app, http.MethodGet, "/api/collections/notifications/records?filter="+q(`kind = "qa.answered"`), fx.Tokens["parent"], "")
	if code != 200 || !strings.Contains(notes, "こもれび") {
		t.Fatalf("parent was not told about parent2's answer: %d %s", code, notes)
	}
	for _, s := range []string{p2rec.Id, p2rec.Email(), p2rec.GetString("name")} {
		if strings.Contains(notes, s) {
			t.Errorf("notification reveals the answerer %q: %s", s, notes)
		}
	}
	if len(bodies) < 40 {
		t.Fatalf("walked only %d answers", len(bodies))
	}
}

// TestQARealtimeKeepsPrivateThreadsPrivate subscribes parent2 to every
// thread and post change: a public question arrives without its account,
// a private consultation does not arrive at all.
func TestQARealtimeKeepsPrivateThreadsPrivate(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	send(t, app, http.MethodGet, "/api/lifestage/meta", "", "") // builds the router, which binds realtime
	client := subscriptions.NewDefaultClient()
	client.Set(apis.RealtimeClientAuthKey, account(t, app, "parent2"))
	client.Subscribe(`qa_threads/*?options={"query":{"expand":"author,author.user"}}`)
	app.SubscriptionsBroker().Register(client)
	defer app.SubscriptionsBroker().Unregister(client.Id())

	parent := account(t, app, "parent")
	ask := func(title string, private bool) {
		code, body := send(t, app, http.MethodPost, "/api/lifestage/qa/threads", fx.Tokens["parent"],
			qaJSON(map[string]any{"title": title, "body": "本文です", "category": "life", "private": private}))
		if code != 200 {
			t.Fatalf("ask: %d %s", code, body)
		}
	}
	ask("非公開のリアルタイム", true)
	ask("公開のリアルタイム", false)
	var got []string
	timeout := time.After(3 * time.Second)
	for len(got) < 2 {
		select {
		case m := <-client.Channel():
			got = append(got, string(m.Data))
		case <-timeout:
			goto done
		}
	}
done:
	if len(got) != 1 || !strings.Contains(got[0], "公開のリアルタイム") || strings.Contains(got[0], "非公開") {
		t.Fatalf("parent2 received %d messages: %v", len(got), got)
	}
	if strings.Contains(got[0], parent.Id) || strings.Contains(got[0], parent.Email()) {
		t.Errorf("realtime message reveals the asker: %s", got[0])
	}
}

// visibleAnswers is the answers list of a thread as a role sees it.
func visibleAnswers(t testing.TB, app core.App, role, thread string) string {
	t.Helper()
	code, body := send(t, app, http.MethodGet, "/api/collections/qa_posts/records?perPage=200&filter="+url.QueryEscape(`thread = "`+thread+`"`), fx.Tokens[role], "")
	if code != 200 {
		t.Fatalf("%s lists answers: %d %s", role, code, body)
	}
	return body
}

func TestQAModerationReviewApproveHideRestore(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	staff := fx.Tokens["city_child"]
	// 子育て staff add a review word through the record API.
	if code, body := send(t, app, http.MethodPost, "/api/collections/qa_words/records", staff, `{"word":"ステマ","action":"review","active":true}`); code != 200 {
		t.Fatalf("add word: %d %s", code, body)
	}
	if code, _ := send(t, app, http.MethodPost, "/api/collections/qa_words/records", fx.Tokens["parent"], `{"word":"ほげ","action":"block","active":true}`); code != 400 {
		t.Errorf("a parent edited the word list: %d", code)
	}
	thread := qaThread(t, app, qaPublicTitle)
	before := thread.GetInt("answerCount")
	code, body := send(t, app, http.MethodPost, "/api/lifestage/qa/threads/"+thread.Id+"/answers", fx.Tokens["parent2"], `{"body":"これはｽﾃﾏではありません"}`)
	if code != 200 || !strings.Contains(body, `"status":"pending"`) || !strings.Contains(body, `"hiddenReason":"表現の確認のため`) {
		t.Fatalf("review word: %d %s", code, body)
	}
	var post struct{ ID string }
	_ = json.Unmarshal([]byte(body), &post)
	seen := func(role string) bool { return strings.Contains(visibleAnswers(t, app, role, thread.Id), post.ID) }
	for role, want := range map[string]bool{"parent2": true, "city_child": true, "parent": false, "anonymous": false, "grandparent": false} {
		if seen(role) != want {
			t.Errorf("pending answer seen by %s: %v, want %v", role, !want, want)
		}
	}
	if n := notificationsOf(t, app, "parent", "qa.answered"); n != 0 {
		t.Errorf("a pending answer notified the asker")
	}
	moderate := func(role, action, reason string) (int, string) {
		return send(t, app, http.MethodPost, "/api/lifestage/qa/moderate", fx.Tokens[role],
			qaJSON(map[string]any{"kind": "post", "id": post.ID, "action": action, "reason": reason}))
	}
	for _, role := range []string{"anonymous", "parent", "parent2", "nursery_staff", "medical_staff", "volunteer", "city_elderly", "city_nursery", "city_admin"} {
		if code, _ := moderate(role, "show", ""); code != 401 && code != 403 {
			t.Errorf("%s moderated: %d", role, code)
		}
	}
	count := func() int {
		r, _ := app.FindRecordById("qa_threads", thread.Id)
		return r.GetInt("answerCount")
	}
	if code, body := moderate("city_child", "show", ""); code != 200 || !strings.Contains(body, `"status":"visible"`) {
		t.Fatalf("approve: %d %s", code, body)
	}
	if !seen("anonymous") || count() != before+1 || notificationsOf(t, app, "parent", "qa.answered") != 1 {
		t.Errorf("approved answer: guest sees %v, count %d (was %d), notified %d", seen("anonymous"), count(), before, notificationsOf(t, app, "parent", "qa.answered"))
	}
	if code, body := moderate("city_child", "hide", ""); code != 400 || !strings.Contains(body, `"reason":{"code":"required"`) {
		t.Errorf("hide without a reason: %d %s", code, body)
	}
	if code, body := moderate("city_child", "hide", "相談の趣旨と関係のない内容のため"); code != 200 || !strings.Contains(body, `"status":"hidden"`) {
		t.Fatalf("hide: %d %s", code, body)
	}
	if seen("anonymous") || !seen("parent2") || count() != before {
		t.Errorf("hidden answer: guest sees %v, author sees %v, count %d", seen("anonymous"), seen("parent2"), count())
	}
	if code, _ := moderate("city_child", "show", ""); code != 200 || !seen("anonymous") || count() != before+1 {
		t.Errorf("restore: %d, guest sees %v, count %d", code, seen("anonymous"), count())
	}
	// Moderation is audited with the staff member as actor.
	n, err := app.CountRecords(auditlog.Collection, dbx.HashExp{"record": post.ID, "actor": fx.IDs["city_child"], "collection": "qa_posts"})
	if err != nil || n < 3 {
		t.Errorf("moderation audit entries: %d %v", n, err)
	}
}

func TestQAReportsHideAfterThreshold(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	thread := qaThread(t, app, qaPublicTitle)
	post, err := app.FindFirstRecordByFilter("qa_posts", `thread = {:t} && staffBadge = "" && status = "visible"`, dbx.Params{"t": thread.Id})
	if err != nil {
		t.Fatal(err)
	}
	report := func(role, body string) (int, string) {
		return send(t, app, http.MethodPost, "/api/lifestage/qa/reports", fx.Tokens[role], body)
	}
	body := `{"post":"` + post.Id + `","reason":"abuse","text":"きつい言い方です"}`
	for _, c := range []struct {
		role string
		code int
		want string
	}{
		{"anonymous", 401, `"status":401`},
		{"city_child", 403, `"status":403`},
		{"parent", 200, `"hidden":false`},
		{"parent", 409, `"status":409`},
		{"grandparent", 200, `"hidden":false`},
		{"family", 200, `"hidden":true`},
	} {
		if code, got := report(c.role, body); code != c.code || !strings.Contains(got, c.want) {
			t.Errorf("%s reports: %d %s, want %d %s", c.role, code, got, c.code, c.want)
		}
	}
	if code, got := report("parent2", `{"post":"`+post.Id+`","reason":"nonsense"}`); code != 400 {
		t.Errorf("unknown reason: %d %s", code, got)
	}
	hidden, _ := app.FindRecordById("qa_posts", post.Id)
	if hidden.GetString("status") != "pending" || hidden.GetInt("reportCount") != 3 {
		t.Fatalf("after 3 reports: %s, %d reports", hidden.GetString("status"), hidden.GetInt("reportCount"))
	}
	if strings.Contains(visibleAnswers(t, app, "anonymous", thread.Id), post.Id) {
		t.Error("an auto-hidden post is still public")
	}
	// A private consultation cannot even be reported by another parent.
	private := qaThread(t, app, qaPrivateTitle)
	if code, _ := report("parent2", `{"thread":"`+private.Id+`","reason":"other"}`); code != 404 {
		t.Errorf("report of someone else's private consultation: %d", code)
	}
	// Staff see the queue and resolve; nobody else does.
	code, list := send(t, app, http.MethodGet, "/api/collections/qa_reports/records?filter="+url.QueryEscape(`resolved = false && post = "`+post.Id+`"`), fx.Tokens["city_child"], "")
	var page struct {
		Items []struct{ ID string } `json:"items"`
	}
	if code != 200 || json.Unmarshal([]byte(list), &page) != nil || len(page.Items) != 3 || strings.Contains(list, fx.IDs["parent"]) {
		t.Fatalf("staff report queue: %d %s", code, list)
	}
	resolve := "/api/lifestage/qa/reports/" + page.Items[0].ID + "/resolve"
	for _, role := range []string{"parent", "nursery_staff", "city_elderly"} {
		if code, _ := send(t, app, http.MethodPost, resolve, fx.Tokens[role], `{"note":"x"}`); code != 403 {
			t.Errorf("%s resolved a report: %d", role, code)
		}
	}
	if code, got := send(t, app, http.MethodPost, resolve, fx.Tokens["city_child"], `{"note":"内容を確認し非表示を維持"}`); code != 200 || !strings.Contains(got, `"resolved":true`) {
		t.Errorf("resolve: %d %s", code, got)
	}
}

func TestQAPromoteToFAQ(t *testing.T) {
	thread := func(title string) func(testing.TB, *tests.TestApp) (string, string) {
		return func(t testing.TB, app *tests.TestApp) (string, string) {
			th := qaThread(t, app, title)
			p, err := app.FindFirstRecordByFilter("qa_posts", `thread = {:t} && staffBadge != ""`, dbx.Params{"t": th.Id})
			if err != nil {
				t.Fatal(err)
			}
			return th.Id, p.Id
		}
	}
	app := fx.NewApp(t)
	pubThread, pubPost := thread(qaPublicTitle)(t, app)
	privThread, privPost := thread(qaPrivateTitle)(t, app)
	app.Cleanup()
	promote := "/api/lifestage/qa/faqs"
	body := func(th, p string) *strings.Reader {
		return strings.NewReader(`{"thread":"` + th + `","post":"` + p + `","question":"離乳食を始める目安は？"}`)
	}
	runScenarios(t, []tests.ApiScenario{
		{Name: "staff promote an answer to the FAQ", Method: http.MethodPost, URL: promote, Body: body(pubThread, pubPost), Headers: auth("city_child"),
			ExpectedStatus: 200, ExpectedContent: []string{`"question":"離乳食を始める目安は？"`, `"badge":"保健師"`, `"published":true`, `"sourcePost":"` + pubPost + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if _, err := app.FindFirstRecordByData("faqs", "question", "離乳食を始める目安は？"); err != nil {
					t.Error("faq not stored")
				}
			}},
		{Name: "a private consultation never becomes a FAQ", Method: http.MethodPost, URL: promote, Body: body(privThread, privPost), Headers: auth("city_child"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"private_thread"`}},
		{Name: "the answer must belong to the thread", Method: http.MethodPost, URL: promote, Body: body(pubThread, privPost), Headers: auth("city_child"),
			ExpectedStatus: 400, ExpectedContent: []string{`"post":{"code":"not_found"`}},
		{Name: "a parent cannot promote", Method: http.MethodPost, URL: promote, Body: body(pubThread, pubPost), Headers: auth("parent"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "保育 staff cannot promote", Method: http.MethodPost, URL: promote, Body: body(pubThread, pubPost), Headers: auth("city_nursery"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "guests read published FAQs only", Method: http.MethodGet, URL: "/api/collections/faqs/records?perPage=50",
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":2`, "夜間や休日"}, NotExpectedContent: []string{"（下書き）"}},
	})
}

func TestQARevealIsStaffOnlyAndAudited(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	profile := qaProfileOf(t, app, "parent")
	path := "/api/lifestage/qa/profiles/" + profile.Id + "/reveal"
	reason := `{"reason":"虐待が疑われる書き込みのため、家庭訪問の要否を判断する"}`
	for _, role := range []string{"anonymous", "parent", "parent2", "nursery_staff", "medical_staff", "city_nursery", "city_elderly", "city_admin"} {
		if code, body := send(t, app, http.MethodPost, path, fx.Tokens[role], reason); code != 401 && code != 403 || strings.Contains(body, fx.IDs["parent"]) {
			t.Errorf("%s revealed: %d %s", role, code, body)
		}
	}
	if code, body := send(t, app, http.MethodPost, path, fx.Tokens["city_child"], `{"reason":""}`); code != 400 {
		t.Errorf("reveal without reason: %d %s", code, body)
	}
	code, body := send(t, app, http.MethodPost, path, fx.Tokens["city_child"], reason)
	if code != 200 || !strings.Contains(body, fx.Accounts["parent"].Email) {
		t.Fatalf("staff reveal: %d %s", code, body)
	}
	n, err := app.CountRecords(auditlog.Collection, dbx.HashExp{"collection": "qa_profiles", "record": profile.Id, "subject": fx.IDs["parent"], "action": "view", "actor": fx.IDs["city_child"]})
	if err != nil || n != 1 {
		t.Errorf("reveal audit entries: %d %v", n, err)
	}
}

// TestQAAnswerNotificationSpeaksTheAskersLanguage: the notification is
// rendered from the qa catalogue in the asker's language and names only the
// answerer's nickname (or that city staff answered).
func TestQAAnswerNotificationSpeaksTheAskersLanguage(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	parent := account(t, app, "parent")
	parent.Set("language", "en")
	if err := app.Save(parent); err != nil {
		t.Fatal(err)
	}
	thread := qaThread(t, app, qaPublicTitle)
	path := "/api/lifestage/qa/threads/" + thread.Id + "/answers"
	if code, body := send(t, app, http.MethodPost, path, fx.Tokens["parent2"], `{"body":"うちもそうでした"}`); code != 200 {
		t.Fatalf("parent2 answer: %d %s", code, body)
	}
	if code, body := send(t, app, http.MethodPost, path, fx.Tokens["city_child"], `{"body":"6か月ごろが目安です"}`); code != 200 {
		t.Fatalf("staff answer: %d %s", code, body)
	}
	// Bodies are encrypted at rest; read them as the parent does.
	code, list := send(t, app, http.MethodGet, "/api/collections/notifications/records?sort=created&filter="+url.QueryEscape(`kind = "qa.answered"`), fx.Tokens["parent"], "")
	var page struct {
		Items []struct{ Title, Body string } `json:"items"`
	}
	if code != 200 || json.Unmarshal([]byte(list), &page) != nil || len(page.Items) != 2 {
		t.Fatalf("parent's answer notifications: %d %s", code, list)
	}
	want := []struct{ title, body string }{
		{"Your question has a new answer", `こもれび answered "` + thread.GetString("title") + `".`},
		{"City staff answered your question", "A city professional"},
	}
	for i, w := range want {
		if got := page.Items[i]; got.Title != w.title || !strings.Contains(got.Body, w.body) {
			t.Errorf("notification %d: %q / %q, want %q / %q", i, got.Title, got.Body, w.title, w.body)
		}
	}
}
