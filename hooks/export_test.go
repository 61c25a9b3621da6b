package hooks

// RouterRoutes exposes the router walk to the OpenAPI completeness test.
var RouterRoutes = routerRoutes
