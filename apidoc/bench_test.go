package apidoc

import "testing"

// BenchmarkBuild is the cost of generating openapi.json, paid once per
// server start on the first request.
func BenchmarkBuild(b *testing.B) {
	routes := routesOfOps()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(routes); err != nil {
			b.Fatal(err)
		}
	}
}
