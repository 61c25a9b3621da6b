// Package docs holds the online manuals (docs/manuals/<system>/<kind>.md),
// embedded in the binary so the served manuals always match the build, and
// renders them to HTML once.
package docs

import (
	"bytes"
	"embed"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

//go:embed manuals
var Manuals embed.FS

// Section is a system or a kind of manual, with its Japanese label.
type Section struct {
	Key, Label string
}

// Systems are listed in this order; the spec asks for manuals per system.
var Systems = []Section{
	{"child", "子育て"},
	{"nursery", "保育"},
	{"watch", "見守り"},
	{"platform", "データ連携基盤"},
}

// KindAdmin is the manual only staff may read (spec §5(2)ア: users read the
// user manual, administrators both).
const KindAdmin = "admin"

// Kinds are the three manuals every system has, in the spec's order.
var Kinds = []Section{
	{"user", "利用者マニュアル"},
	{KindAdmin, "管理者マニュアル"},
	{"faq", "よくある質問"},
}

// Manual is one rendered manual.
type Manual struct {
	System, SystemLabel string
	Kind, KindLabel     string
	Title               string // the first level-1 heading
	HTML                string
}

// StaffOnly reports whether only staff may read the manual.
func (m Manual) StaffOnly() bool { return m.Kind == KindAdmin }

// Path is where the manuals page shows the manual.
func (m Manual) Path() string { return PagePath(m.System, m.Kind) }

// PagePath is the manuals page address of a manual.
func PagePath(system, kind string) string { return "/manuals/?m=" + system + "/" + kind }

// markdown keeps goldmark's safe defaults: raw HTML is dropped, and
// javascript: and similar links are not rendered. A line break inside a
// Japanese sentence would otherwise show as a stray space.
var markdown = goldmark.New(goldmark.WithExtensions(
	extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
	extension.NewCJK(extension.WithEastAsianLineBreaks()),
))

// Library returns every manual in system and kind order. They are rendered
// on first use and then served from memory.
func Library() ([]Manual, error) { return library() }

var library = sync.OnceValues(func() ([]Manual, error) {
	var all []Manual
	for _, s := range Systems {
		for _, k := range Kinds {
			src, err := Manuals.ReadFile("manuals/" + s.Key + "/" + k.Key + ".md")
			if err != nil {
				return nil, fmt.Errorf("manual %s/%s: %w", s.Key, k.Key, err)
			}
			title, html, err := Render(src, s.Key)
			if err != nil {
				return nil, fmt.Errorf("manual %s/%s: %w", s.Key, k.Key, err)
			}
			all = append(all, Manual{System: s.Key, SystemLabel: s.Label, Kind: k.Key, KindLabel: k.Label, Title: title, HTML: html})
		}
	}
	return all, nil
})

// Find returns the manual of a system and kind.
func Find(system, kind string) (Manual, bool, error) {
	all, err := Library()
	if err != nil {
		return Manual{}, false, err
	}
	for _, m := range all {
		if m.System == system && m.Kind == kind {
			return m, true, nil
		}
	}
	return Manual{}, false, nil
}

// manualLink matches a link from one manual to another as written in the
// Markdown ("faq.md", "../platform/user.md"), so the same link works when the
// files are read in the repository and when they are served online.
var manualLink = regexp.MustCompile(`^(?:\.\./([a-z]+)/|\./)?([a-z]+)\.md$`)

// Render turns one manual's Markdown into HTML and returns its title. Links
// to sibling manuals point to the manuals page; system is the manual's own.
func Render(src []byte, system string) (title, html string, err error) {
	doc := markdown.Parser().Parse(text.NewReader(src))
	err = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 && title == "" {
				title = plainText(n, src)
			}
		case *ast.Link:
			if m := manualLink.FindSubmatch(n.Destination); m != nil {
				sys := string(m[1])
				if sys == "" {
					sys = system
				}
				n.Destination = []byte(PagePath(sys, string(m[2])))
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return "", "", err
	}
	if title == "" {
		return "", "", fmt.Errorf("no level-1 heading")
	}
	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, src, doc); err != nil {
		return "", "", err
	}
	return title, buf.String(), nil
}

// plainText is the text of an inline container, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
