package infection

import (
	"fmt"
	"testing"
)

// BenchmarkCountSeason counts a season's notices for a city: 60 nurseries,
// 6 classes, 92 days, 5 notices a class a day (about 166,000 reports, far
// more than Saijo's nurseries send).
func BenchmarkCountSeason(b *testing.B) {
	var reports []Report
	for n := range 60 {
		for c := range 6 {
			for d := range 92 {
				for k := range 5 {
					reports = append(reports, Report{
						Child: fmt.Sprintf("c%d-%d-%d", n, c, k), Nursery: fmt.Sprintf("n%d", n), Class: fmt.Sprintf("k%d", c),
						Date: fmt.Sprintf("2026-%02d-%02d", 9+d/31, 1+d%28), Kind: KindAbsence,
						Symptoms: []string{"fever", "cough"}, Infection: []string{"", "influenza", "rsv"}[k%3],
					})
				}
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if len(Count(reports)) == 0 {
			b.Fatal("no rows")
		}
	}
	b.ReportMetric(float64(len(reports)), "reports")
}
