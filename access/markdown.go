package access

import (
	"fmt"
	"strings"
)

var outcomeJa = map[Outcome]string{
	All: "全件", Some: "一部", None: "—", Yes: "可", No: "—",
}

// Markdown renders the matrix as docs/access.md.
func Markdown() string {
	var b strings.Builder
	b.WriteString("# Access matrix / アクセス権限表\n\n")
	b.WriteString("<!-- Generated from access/matrix.go by `UPDATE_DOCS=1 go test ./access/`. Do not edit by hand. -->\n\n")
	b.WriteString("Every cell below is proved by `hooks/access_matrix_test.go` against the running API rules.\n")
	b.WriteString("以下の各セルは、実際のAPIルールに対するテストで検証されています。\n\n")
	b.WriteString("- **全件** (all): every record / すべてのレコード\n")
	b.WriteString("- **一部** (some): only the records tied to the caller, as described under each table / 本人に関係するレコードのみ\n")
	b.WriteString("- **可** (yes): may create / 作成できる\n")
	b.WriteString("- **—** (none/no): nothing; lists are empty and records answer 404 or 403 / 不可\n\n")
	b.WriteString("Superusers are system administrators only; no daily work needs one. / スーパーユーザーはシステム管理専用です。\n\n")
	b.WriteString("## Roles / ロール\n\n| role | 説明 |\n|---|---|\n")
	for _, r := range Roles {
		fmt.Fprintf(&b, "| `%s` | %s |\n", r, RoleNotes[r])
	}
	for _, c := range Matrix {
		fmt.Fprintf(&b, "\n## `%s`\n\n", c.Name)
		if c.Some != "" {
			fmt.Fprintf(&b, "一部 = %s\n\n", c.Some)
		}
		b.WriteString("| role | " + strings.Join(Actions, " | ") + " |\n")
		b.WriteString("|---" + strings.Repeat("|:-:", len(Actions)) + "|\n")
		for _, row := range c.Rows {
			cells := make([]string, len(Actions))
			for i, a := range Actions {
				cells[i] = outcomeJa[row.Outcome(a)]
			}
			fmt.Fprintf(&b, "| `%s` | %s |\n", row.Role, strings.Join(cells, " | "))
		}
	}
	return b.String()
}
