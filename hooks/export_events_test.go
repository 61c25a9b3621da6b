package hooks

// WriteEventsCSV exposes イベント一覧's export to its benchmark.
var WriteEventsCSV = writeEventsCSV

// BuildEvents exposes the NGSI Event builder to its benchmark.
var BuildEvents = buildEvents
