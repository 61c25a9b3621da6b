package register

import _ "embed"

// SampleCSV is a small synthetic extract (made-up people): the format
// staff can copy, the demo's import and the tests' input.
//
//go:embed sample.csv
var SampleCSV []byte
