package hooks

// RouterRoutes exposes the router walk to the OpenAPI completeness test.
var RouterRoutes = routerRoutes

// WriteFacilitiesCSV exposes the open data export to its benchmark.
var WriteFacilitiesCSV = writeFacilitiesCSV
