package hooks

import (
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/saijo-dx/lifestage/apidoc"
)

// bindOpenAPI serves the generated OpenAPI document. It is built on the
// first request, when every OnServe handler has registered its routes, and
// then kept in memory: the routes cannot change while the server runs.
func bindOpenAPI(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		doc := &openAPIDoc{router: se.Router}
		se.Router.GET("/api/lifestage/openapi.json", doc.serve)
		return se.Next()
	})
}

type openAPIDoc struct {
	router *router.Router[*core.RequestEvent]
	once   sync.Once
	doc    *apidoc.Document
	err    error
}

func (d *openAPIDoc) get() (*apidoc.Document, error) {
	d.once.Do(func() { d.doc, d.err = apidoc.Build(routerRoutes(d.router)) })
	return d.doc, d.err
}

func (d *openAPIDoc) serve(e *core.RequestEvent) error {
	doc, err := d.get()
	if err != nil {
		return e.InternalServerError("", err)
	}
	return serveEncodedJSON(e, doc.ETag, doc.JSON, doc.Gzip)
}

// serveEncodedJSON answers with a JSON document encoded once at build time:
// gzip when the client takes it, 304 when its copy is current.
func serveEncodedJSON(e *core.RequestEvent, etag string, body, gz []byte) error {
	h := e.Response.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=0, must-revalidate")
	h.Set("Vary", "Accept-Encoding")
	if match := e.Request.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		return e.NoContent(http.StatusNotModified)
	}
	if strings.Contains(e.Request.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		return e.Blob(http.StatusOK, "application/json", gz)
	}
	return e.Blob(http.StatusOK, "application/json", body)
}

// routerRoutes lists every route registered on the router. PocketBase keeps
// a group's children unexported and offers only HasRoute, so the walk reads
// them by reflection (read-only: it never calls into them). If a PocketBase
// upgrade renames the field the walk returns nothing and the OpenAPI
// completeness test fails, instead of the document silently losing routes.
func routerRoutes(r *router.Router[*core.RequestEvent]) []apidoc.Route {
	var out []apidoc.Route
	walkGroup(reflect.ValueOf(r.RouterGroup), "", &out)
	return out
}

func walkGroup(g reflect.Value, prefix string, out *[]apidoc.Route) {
	g = reflect.Indirect(g)
	prefix += g.FieldByName("Prefix").String()
	children := g.FieldByName("children")
	if !children.IsValid() {
		return
	}
	for i := 0; i < children.Len(); i++ {
		child := children.Index(i).Elem() // any -> *Route or *RouterGroup
		if child.Kind() != reflect.Pointer || child.IsNil() {
			continue
		}
		v := child.Elem()
		if v.FieldByName("children").IsValid() {
			walkGroup(child, prefix, out)
			continue
		}
		*out = append(*out, apidoc.Route{Method: v.FieldByName("Method").String(), Path: prefix + v.FieldByName("Path").String()})
	}
}
