package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkWatchCandidates is one page of candidates in the bench city: the
// rules over every unwatched elderly resident, then one page described.
func BenchmarkWatchCandidates(b *testing.B) {
	h, tokens := benchHandler(b)
	var total int
	for b.Loop() {
		r := call(h, http.MethodGet, "/api/lifestage/watch/candidates?perPage=50", tokens["city_elderly"], "")
		var out struct{ TotalItems int }
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &out) != nil {
			b.Fatalf("%d %s", r.Status, r.Body)
		}
		total = out.TotalItems
	}
	b.ReportMetric(float64(total), "candidates")
}

// BenchmarkWatchImport1000 imports 1,000 new residents (500 households) per
// run, each write audited with the staff member as actor.
func BenchmarkWatchImport1000(b *testing.B) {
	h, tokens := benchHandler(b)
	run := 0
	for b.Loop() {
		run++
		var csv strings.Builder
		csv.WriteString(registerHeader)
		for i := range 1000 {
			fmt.Fprintf(&csv, "B%d-%d,性能 太郎%d,,S%d.4.1,男,愛媛県西条市神拝甲%d,神拝,世帯主\n", run, i/2, i, 10+i%20, i/2)
		}
		req := httptest.NewRequest(http.MethodPost, importURL, strings.NewReader(multipartBody(b, "file", nil, "bench.csv", []byte(csv.String()))))
		req.Header.Set("Content-Type", matrixUploadType)
		req.Header.Set("Authorization", tokens["city_elderly"])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"imported":1000`) {
			b.Fatalf("%d %s", rec.Code, rec.Body.String()[:min(300, rec.Body.Len())])
		}
	}
}
