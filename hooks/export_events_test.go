package hooks

// WriteEventsCSV exposes イベント一覧's export to its benchmark.
var WriteEventsCSV = writeEventsCSV
