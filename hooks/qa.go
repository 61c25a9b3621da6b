package hooks

import (
	"errors"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/moderation"
	"github.com/saijo-dx/lifestage/notify"
)

// QAReportThresholdEnv sets how many distinct reports hide a post until
// staff review it (default moderation.DefaultReportThreshold).
const QAReportThresholdEnv = "LIFESTAGE_QA_REPORT_THRESHOLD"

// Japanese messages of the Q&A routes. They never echo the word list or say
// whose nickname is whose.
const (
	msgQANoProfile   = "先にニックネームを決めてください。"
	msgQABlocked     = "使えない言葉が含まれています。表現を変えてもう一度投稿してください。"
	msgQANotFound    = "相談が見つかりません。"
	msgQAPostMissing = "回答が見つかりません。"
	reasonQAWord     = "表現の確認のため、職員が確認してから公開します。"
	reasonQAPersonal = "電話番号やメールアドレスのような記載があるため、職員が確認してから公開します。"
	reasonQAReports  = "通報が一定数に達したため、職員が確認するまで非表示です。"
)

func bindQA(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/lifestage/qa")
		g.Bind(apis.BodyLimit(bodyLimit))
		g.POST("/profile", qaCreateProfile).Bind(apis.RequireAuth(collections.Users))
		g.POST("/threads", qaCreateThread).Bind(apis.RequireAuth(collections.Users))
		g.POST("/threads/{id}/answers", qaAnswer).Bind(apis.RequireAuth(collections.Users, collections.CityStaff))
		g.POST("/reports", qaReport).Bind(apis.RequireAuth(collections.Users))
		staff := requireCityStaff(collections.DeptChild)
		g.POST("/moderate", qaModerate).Bind(staff)
		g.POST("/reports/{id}/resolve", qaResolveReport).Bind(staff)
		g.POST("/faqs", qaPromote).Bind(staff)
		g.POST("/profiles/{id}/reveal", qaReveal).Bind(staff)
		return se.Next()
	})
}

// myQAProfile is the caller's nickname profile, or nil.
func myQAProfile(app core.App, userID string) *core.Record {
	p, err := app.FindFirstRecordByData(collections.QAProfiles, "user", userID)
	if err != nil {
		return nil
	}
	return p
}

// qaCreateProfile lets a resident choose their nickname, once.
func qaCreateProfile(e *core.RequestEvent) error {
	body := struct {
		Nickname string `json:"nickname"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("nickname", "invalid_body", "リクエストの形式が正しくありません。")
	}
	nickname, problem := moderation.CheckNickname(body.Nickname)
	switch problem {
	case moderation.NicknameLength:
		return fieldError("nickname", problem, "ニックネームは2〜20文字で入力してください。")
	case moderation.NicknameReserved:
		return fieldError("nickname", problem, "このニックネームは使えません（職種名や市の名前に見えるものは使えません）。")
	case moderation.NicknameChars:
		return fieldError("nickname", problem, "ニックネームに使えない文字が含まれています。")
	}
	words, err := qaWords(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if moderation.Screen(nickname, words).Action != moderation.Allow {
		return fieldError("nickname", "blocked_word", "このニックネームは使えません。別のニックネームにしてください。")
	}
	if myQAProfile(e.App, e.Auth.Id) != nil {
		return apis.NewApiError(http.StatusConflict, "ニックネームはすでに決まっています。あとから変えることはできません。", nil)
	}
	key := moderation.NicknameKey(nickname)
	if taken, _ := e.App.FindFirstRecordByData(collections.QAProfiles, "nicknameKey", key); taken != nil {
		return fieldError("nickname", "nickname_taken", "このニックネームはすでに使われています。別のニックネームにしてください。")
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.QAProfiles)
	if err != nil {
		return e.InternalServerError("", err)
	}
	p := core.NewRecord(col)
	p.Set("user", e.Auth.Id)
	p.Set("nickname", nickname)
	p.Set("nicknameKey", key)
	if err := e.App.SaveWithContext(actorContext(e), p); err != nil {
		// Two requests raced for the same nickname or account.
		return fieldError("nickname", "nickname_taken", "このニックネームはすでに使われています。別のニックネームにしてください。")
	}
	return e.JSON(http.StatusOK, map[string]any{"id": p.Id, "nickname": nickname})
}

// qaWords loads the active word list.
func qaWords(app core.App) ([]moderation.Word, error) {
	recs, err := app.FindAllRecords(collections.QAWords, dbx.HashExp{"active": true})
	if err != nil {
		return nil, err
	}
	words := make([]moderation.Word, len(recs))
	for i, r := range recs {
		words[i] = moderation.Word{Word: r.GetString("word"), Action: r.GetString("action")}
	}
	return words, nil
}

// qaScreen screens the fields in order and returns the status a new post gets
// and why, or a blocked_word error naming the first field that is refused.
// The reason tells the writer what kind of check holds the post (personal
// data, or wording) without naming the listed word.
func qaScreen(app core.App, fields [][2]string) (status, reason string, err error) {
	words, err := qaWords(app)
	if err != nil {
		return "", "", err
	}
	status = collections.QAVisible
	for _, f := range fields {
		v := moderation.Screen(f[1], words)
		if v.Action == moderation.Block {
			return "", "", fieldError(f[0], "blocked_word", msgQABlocked)
		}
		if v.Action != moderation.Review {
			continue
		}
		status = collections.QAPending
		personal := slices.Contains(v.Reasons, moderation.ReasonPhone) || slices.Contains(v.Reasons, moderation.ReasonEmail)
		if personal {
			reason = reasonQAPersonal
		} else if reason == "" {
			reason = reasonQAWord
		}
	}
	return status, reason, nil
}

// qaText checks a required text field's length in characters.
func qaText(field, value string, max int) (string, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return "", fieldError(field, "required", "入力してください。")
	}
	if utf8.RuneCountInString(value) > max {
		return "", fieldError(field, "too_long", strconv.Itoa(max)+"文字以内で入力してください。")
	}
	return value, nil
}

// qaCreateThread posts a question under the caller's nickname.
func qaCreateThread(e *core.RequestEvent) error {
	body := struct {
		Title    string `json:"title"`
		Body     string `json:"body"`
		Category string `json:"category"`
		Private  bool   `json:"private"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("title", "invalid_body", "リクエストの形式が正しくありません。")
	}
	profile := myQAProfile(e.App, e.Auth.Id)
	if profile == nil {
		return fieldError("nickname", "no_profile", msgQANoProfile)
	}
	title, err := qaText("title", body.Title, 100)
	if err != nil {
		return err
	}
	text, err := qaText("body", body.Body, 4000)
	if err != nil {
		return err
	}
	if !slices.Contains(collections.QACategories, body.Category) {
		return fieldError("category", "invalid_category", "分類を選んでください。")
	}
	status, reason, err := qaScreen(e.App, [][2]string{{"title", title}, {"body", text}})
	if err != nil {
		return err
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.QAThreads)
	if err != nil {
		return e.InternalServerError("", err)
	}
	t := core.NewRecord(col)
	t.Load(map[string]any{
		"author": profile.Id, "nickname": profile.GetString("nickname"), "title": title, "body": text,
		"category": body.Category, "private": body.Private, "status": status, "hiddenReason": reason,
		"lastActivityAt": time.Now(),
	})
	if err := e.App.SaveWithContext(actorContext(e), t); err != nil {
		return e.BadRequestError("質問を保存できませんでした。", err)
	}
	return e.JSON(http.StatusOK, t)
}

// qaAnswer adds an answer. Residents answer visible public threads (and
// follow up on their own); 子育て staff answer any thread with their badge,
// and are the only ones who answer a private consultation.
func qaAnswer(e *core.RequestEvent) error {
	body := struct {
		Body string `json:"body"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("body", "invalid_body", "リクエストの形式が正しくありません。")
	}
	thread, err := e.App.FindRecordById(collections.QAThreads, e.Request.PathValue("id"))
	if err != nil || !canView(e, thread) {
		return e.NotFoundError(msgQANotFound, nil)
	}
	text, err := qaText("body", body.Body, 4000)
	if err != nil {
		return err
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.QAPosts)
	if err != nil {
		return e.InternalServerError("", err)
	}
	post := core.NewRecord(col)
	post.Set("thread", thread.Id)
	post.Set("body", text)
	status := collections.QAVisible
	if isCityStaffIn(e.Auth, collections.DeptChild) {
		// Staff write as the city: their answers are not screened.
		post.Set("staffAuthor", e.Auth.Id)
		post.Set("staffBadge", collections.QualificationBadges[e.Auth.GetString("qualification")])
	} else {
		if !isCitizen(e) {
			return e.ForbiddenError("回答できるのは市民の利用者と子育て担当の職員です。", nil)
		}
		profile := myQAProfile(e.App, e.Auth.Id)
		if profile == nil {
			return fieldError("nickname", "no_profile", msgQANoProfile)
		}
		own := thread.GetString("author") == profile.Id
		if !own && thread.GetBool("private") {
			return e.ForbiddenError("非公開の相談には職員だけが回答します。", nil)
		}
		if thread.GetString("status") == collections.QAHidden {
			return e.ForbiddenError("この相談には回答できません。", nil)
		}
		var reason string
		status, reason, err = qaScreen(e.App, [][2]string{{"body", text}})
		if err != nil {
			return err
		}
		post.Set("author", profile.Id)
		post.Set("nickname", profile.GetString("nickname"))
		post.Set("hiddenReason", reason)
	}
	post.Set("status", status)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.SaveWithContext(actorContext(e), post); err != nil {
			return err
		}
		thread.Set("lastActivityAt", time.Now())
		return qaRecount(tx, e, thread)
	})
	if err != nil {
		return e.BadRequestError("回答を保存できませんでした。", err)
	}
	if status == collections.QAVisible {
		qaNotifyAnswered(e.App, thread, post)
	}
	return e.JSON(http.StatusOK, post)
}

// qaRecount keeps a thread's answer count and staff flag in step with its
// visible answers, and saves it.
func qaRecount(tx core.App, e *core.RequestEvent, thread *core.Record) error {
	var counts struct {
		Visible int `db:"visible"`
		Staff   int `db:"staff"`
	}
	err := tx.DB().NewQuery(`SELECT COUNT(*) AS visible, COALESCE(SUM(staffBadge != ''), 0) AS staff FROM qa_posts WHERE thread = {:t} AND status = {:s}`).
		Bind(dbx.Params{"t": thread.Id, "s": collections.QAVisible}).One(&counts)
	if err != nil {
		return err
	}
	thread.Set("answerCount", counts.Visible)
	thread.Set("staffAnswered", counts.Staff > 0)
	return tx.SaveWithContext(actorContext(e), thread)
}

// qaNotifyAnswered tells the asker about a visible answer by someone else.
// The message names only the nickname or the staff badge.
func qaNotifyAnswered(app core.App, thread, post *core.Record) {
	profile, err := app.FindRecordById(collections.QAProfiles, thread.GetString("author"))
	if err != nil || post.GetString("author") == profile.Id {
		return
	}
	asker, err := app.FindRecordById(collections.Users, profile.GetString("user"))
	if err != nil {
		return
	}
	key := "qa.notify.answered"
	if post.GetString("staffBadge") != "" {
		key = "qa.notify.staffAnswered"
	}
	_, err = notify.Send(app, notify.Message{
		Recipient: asker, Kind: "qa.answered", Reason: post.Id, Link: "/qa/thread/?id=" + thread.Id,
		Key: key, Vars: map[string]string{"title": thread.GetString("title"), "nickname": post.GetString("nickname")},
	})
	if err != nil {
		app.Logger().Warn("qa: answer notification failed", "thread", thread.Id, "error", err)
	}
}

// qaReport records a resident's report of a thread or post, once per
// resident, and hides the target for review when enough residents agree.
func qaReport(e *core.RequestEvent) error {
	body := struct {
		Thread string `json:"thread"`
		Post   string `json:"post"`
		Reason string `json:"reason"`
		Text   string `json:"text"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("reason", "invalid_body", "リクエストの形式が正しくありません。")
	}
	if !slices.Contains(collections.QAReportReasons, body.Reason) {
		return fieldError("reason", "invalid_reason", "通報の理由を選んでください。")
	}
	if utf8.RuneCountInString(body.Text) > 500 {
		return fieldError("text", "too_long", "500文字以内で入力してください。")
	}
	target, thread, err := qaReportTarget(e, body.Thread, body.Post)
	if err != nil {
		return err
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.QAReports)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if dup, _ := e.App.FindFirstRecordByFilter(col, "reporter = {:r} && thread = {:t} && post = {:p}",
		dbx.Params{"r": e.Auth.Id, "t": thread.Id, "p": body.Post}); dup != nil {
		return apis.NewApiError(http.StatusConflict, "この投稿はすでに通報済みです。", nil)
	}
	report := core.NewRecord(col)
	report.Load(map[string]any{"thread": thread.Id, "post": body.Post, "reporter": e.Auth.Id, "category": body.Reason, "text": strings.TrimSpace(body.Text)})
	hidden := false
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.SaveWithContext(actorContext(e), report); err != nil {
			return err
		}
		hidden, err = qaCountReports(tx, e, target, thread)
		return err
	})
	if err != nil {
		if collections.IsUniqueViolation(err) {
			return apis.NewApiError(http.StatusConflict, "この投稿はすでに通報済みです。", nil)
		}
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"reported": true, "hidden": hidden})
}

// qaReportTarget finds what is reported: a post (and its thread) or a thread,
// which the reporter must be able to read.
func qaReportTarget(e *core.RequestEvent, threadID, postID string) (*core.Record, *core.Record, error) {
	if postID != "" {
		post, err := e.App.FindRecordById(collections.QAPosts, postID)
		if err != nil || !canView(e, post) {
			return nil, nil, e.NotFoundError(msgQAPostMissing, nil)
		}
		thread, err := e.App.FindRecordById(collections.QAThreads, post.GetString("thread"))
		if err != nil {
			return nil, nil, e.NotFoundError(msgQANotFound, nil)
		}
		return post, thread, nil
	}
	thread, err := e.App.FindRecordById(collections.QAThreads, threadID)
	if err != nil || !canView(e, thread) {
		return nil, nil, e.NotFoundError(msgQANotFound, nil)
	}
	return thread, thread, nil
}

// qaCountReports stores how many residents reported the target and hides a
// visible target once the threshold is reached.
func qaCountReports(tx core.App, e *core.RequestEvent, target, thread *core.Record) (bool, error) {
	post := ""
	if target.Collection().Name == collections.QAPosts {
		post = target.Id
	}
	n, err := tx.CountRecords(collections.QAReports, dbx.HashExp{"thread": thread.Id, "post": post})
	if err != nil {
		return false, err
	}
	target.Set("reportCount", n)
	threshold, _ := strconv.Atoi(os.Getenv(QAReportThresholdEnv))
	hide := target.GetString("status") == collections.QAVisible && moderation.AutoHide(int(n), threshold)
	if hide {
		target.Set("status", collections.QAPending)
		target.Set("hiddenReason", reasonQAReports)
	}
	if err := tx.SaveWithContext(actorContext(e), target); err != nil {
		return false, err
	}
	if hide && post != "" {
		return true, qaRecount(tx, e, thread)
	}
	return hide, nil
}

// qaModerate hides a thread or post with a reason, or shows it (approving a
// pending post or restoring a hidden one). The save is audited with the
// staff member as actor.
func qaModerate(e *core.RequestEvent) error {
	body := struct {
		Kind   string `json:"kind"`
		ID     string `json:"id"`
		Action string `json:"action"`
		Reason string `json:"reason"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("action", "invalid_body", "リクエストの形式が正しくありません。")
	}
	col := map[string]string{"thread": collections.QAThreads, "post": collections.QAPosts}[body.Kind]
	if col == "" {
		return fieldError("kind", "invalid_kind", "thread か post を指定してください。")
	}
	rec, err := e.App.FindRecordById(col, body.ID)
	if err != nil {
		return e.NotFoundError("投稿が見つかりません。", nil)
	}
	switch body.Action {
	case "hide":
		reason, err := qaText("reason", body.Reason, 200)
		if err != nil {
			return err
		}
		rec.Set("status", collections.QAHidden)
		rec.Set("hiddenReason", reason)
	case "show":
		rec.Set("status", collections.QAVisible)
		rec.Set("hiddenReason", "")
	default:
		return fieldError("action", "invalid_action", "hide（非表示）か show（公開・復元）を指定してください。")
	}
	wasVisible := rec.Original().GetString("status") == collections.QAVisible
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.SaveWithContext(actorContext(e), rec); err != nil {
			return err
		}
		if col != collections.QAPosts {
			return nil
		}
		thread, err := tx.FindRecordById(collections.QAThreads, rec.GetString("thread"))
		if err != nil {
			return err
		}
		return qaRecount(tx, e, thread)
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if col == collections.QAPosts && body.Action == "show" && !wasVisible {
		if thread, err := e.App.FindRecordById(collections.QAThreads, rec.GetString("thread")); err == nil {
			qaNotifyAnswered(e.App, thread, rec)
		}
	}
	return e.JSON(http.StatusOK, rec)
}

// qaResolveReport marks a report as dealt with.
func qaResolveReport(e *core.RequestEvent) error {
	body := struct {
		Note string `json:"note"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("note", "invalid_body", "リクエストの形式が正しくありません。")
	}
	if utf8.RuneCountInString(body.Note) > 500 {
		return fieldError("note", "too_long", "500文字以内で入力してください。")
	}
	report, err := e.App.FindRecordById(collections.QAReports, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("通報が見つかりません。", nil)
	}
	report.Set("resolved", true)
	report.Set("resolvedAt", time.Now())
	report.Set("note", strings.TrimSpace(body.Note))
	if err := e.App.SaveWithContext(actorContext(e), report); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, report)
}

// qaPromote turns a public thread and one of its visible answers into a FAQ
// entry, with text staff may edit (to remove anything personal).
func qaPromote(e *core.RequestEvent) error {
	body := struct {
		Thread    string `json:"thread"`
		Post      string `json:"post"`
		Question  string `json:"question"`
		Answer    string `json:"answer"`
		Category  string `json:"category"`
		Published *bool  `json:"published"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("thread", "invalid_body", "リクエストの形式が正しくありません。")
	}
	thread, err := e.App.FindRecordById(collections.QAThreads, body.Thread)
	if err != nil {
		return fieldError("thread", "not_found", msgQANotFound)
	}
	if thread.GetBool("private") {
		return fieldError("thread", "private_thread", "非公開の相談はFAQにできません。")
	}
	post, err := e.App.FindRecordById(collections.QAPosts, body.Post)
	if err != nil || post.GetString("thread") != thread.Id || post.GetString("status") != collections.QAVisible {
		return fieldError("post", "not_found", "この相談の公開中の回答を選んでください。")
	}
	question, err := qaText("question", cmpOr(body.Question, thread.GetString("title")), 300)
	if err != nil {
		return err
	}
	answer, err := qaText("answer", cmpOr(body.Answer, post.GetString("body")), 4000)
	if err != nil {
		return err
	}
	category := cmpOr(body.Category, thread.GetString("category"))
	if !slices.Contains(collections.QACategories, category) {
		return fieldError("category", "invalid_category", "分類を選んでください。")
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.FAQs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	faq := core.NewRecord(col)
	faq.Load(map[string]any{
		"question": question, "answer": answer, "category": category, "badge": post.GetString("staffBadge"),
		"sourceThread": thread.Id, "sourcePost": post.Id, "published": body.Published == nil || *body.Published,
	})
	if err := e.App.SaveWithContext(actorContext(e), faq); err != nil {
		return e.BadRequestError("FAQを保存できませんでした。", err)
	}
	return e.JSON(http.StatusOK, faq)
}

// qaReveal tells 子育て staff which account is behind a nickname, for a
// child-safety concern only. It needs a written reason and leaves an audit
// entry filed under the resident, who sees it in their own access log.
func qaReveal(e *core.RequestEvent) error {
	body := struct {
		Reason string `json:"reason"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("reason", "invalid_body", "リクエストの形式が正しくありません。")
	}
	reason, err := qaText("reason", body.Reason, 200)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(reason) < 5 {
		return fieldError("reason", "too_short", "確認が必要な理由を具体的に入力してください。")
	}
	profile, err := e.App.FindRecordById(collections.QAProfiles, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("ニックネームが見つかりません。", nil)
	}
	user, err := e.App.FindRecordById(collections.Users, profile.GetString("user"))
	if err != nil {
		return e.NotFoundError("ニックネームが見つかりません。", nil)
	}
	a := actorOf(e)
	err = auditlog.Append(e.App, audit.Entry{
		At: audit.Stamp(time.Now()), Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
		Action: audit.ActionView, Collection: collections.QAProfiles, Record: profile.Id, Subject: user.Id,
		Fields: []string{"user", "reason:" + reason}, IP: a.IP, UserAgent: a.UserAgent,
	})
	if err != nil {
		return e.InternalServerError("", errors.Join(errors.New("qa reveal not audited"), err))
	}
	return e.JSON(http.StatusOK, map[string]any{
		"profile": profile.Id, "nickname": profile.GetString("nickname"),
		"user": user.Id, "name": user.GetString("name"), "email": user.Email(), "phone": user.GetString("phone"),
	})
}
