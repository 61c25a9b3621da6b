package register

import (
	"fmt"
	"strings"
	"testing"
)

// extract builds n rows in households of two, with mixed date styles.
func extract(n, offset int) []byte {
	var b strings.Builder
	b.WriteString(header)
	dates := []string{"1940-03-01", "S16.5.5", "1945/1/2", "昭和20年9月10日"}
	for i := range n {
		fmt.Fprintf(&b, "%d,試験 太郎%d,シケン タロウ,%s,男,愛媛県西条市神拝甲%d,神拝,世帯主\n", offset+i/2, i, dates[i%4], i/2)
	}
	return []byte(b.String())
}

func BenchmarkParse10000Rows(b *testing.B) {
	data := extract(10000, 1)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res, err := Parse(data, testAreas, importDay)
		if err != nil || len(res.People) != 10000 {
			b.Fatal(err, len(res.People))
		}
	}
}
