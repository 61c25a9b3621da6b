// Package ngsi is the FIWARE NGSI-v2 model and query engine behind the
// /ngsi/v2 routes: entities, the Simple Query Language, attribute
// projection, paging, ordering and geo-queries, plus lifestage's additions
// (aggregation, change detection for history and subscriptions, signed
// notifications). It holds plain Go values only, so the hooks can build
// entities from any source and the table tests need no database.
package ngsi

import (
	"maps"
	"reflect"
	"slices"
)

// Attribute types used by the entity builders (Orion's names).
const (
	TypeText         = "Text"
	TypeNumber       = "Number"
	TypeBoolean      = "Boolean"
	TypeDate         = "Date"
	TypeDateTime     = "DateTime"
	TypeStructured   = "StructuredValue"
	TypeGeoJSON      = "geo:json"
	TypeRelationship = "Relationship"
)

// Attr is one attribute in the normalized form.
type Attr struct {
	Type     string         `json:"type"`
	Value    any            `json:"value"`
	Metadata map[string]any `json:"metadata"`
}

// Point is a WGS84 position.
type Point struct{ Lat, Lng float64 }

// Entity is one NGSI entity. Loc, when set, is its position for geo-queries
// and is also published as the "location" attribute.
type Entity struct {
	ID    string
	Type  string
	Attrs map[string]Attr
	Loc   *Point
}

// Text, Number… build attributes tersely in the entity builders.
func Text(v string) Attr         { return Attr{Type: TypeText, Value: v} }
func Number(v float64) Attr      { return Attr{Type: TypeNumber, Value: v} }
func Bool(v bool) Attr           { return Attr{Type: TypeBoolean, Value: v} }
func Date(v string) Attr         { return Attr{Type: TypeDate, Value: v} }
func Ref(id string) Attr         { return Attr{Type: TypeRelationship, Value: id} }
func Structured(v any) Attr      { return Attr{Type: TypeStructured, Value: v} }
func Typed(t string, v any) Attr { return Attr{Type: t, Value: v} }
func GeoPoint(p Point) Attr      { return Attr{Type: TypeGeoJSON, Value: geoJSONPoint(p)} }
func geoJSONPoint(p Point) any {
	return map[string]any{"type": "Point", "coordinates": []any{p.Lng, p.Lat}}
}
func (e Entity) attr(n string) Attr { return e.Attrs[n] }

// Normalized renders the entity as Orion does by default, keeping only the
// named attributes (all when attrs is empty). Metadata is never null.
func (e Entity) Normalized(attrs []string) map[string]any {
	out := map[string]any{"id": e.ID, "type": e.Type}
	for name, a := range e.Attrs {
		if !wanted(attrs, name) {
			continue
		}
		if a.Metadata == nil {
			a.Metadata = map[string]any{}
		}
		out[name] = a
	}
	return out
}

// KeyValues renders the entity as options=keyValues does.
func (e Entity) KeyValues(attrs []string) map[string]any {
	out := map[string]any{"id": e.ID, "type": e.Type}
	for name, a := range e.Attrs {
		if wanted(attrs, name) {
			out[name] = a.Value
		}
	}
	return out
}

// Render picks the representation.
func (e Entity) Render(attrs []string, keyValues bool) map[string]any {
	if keyValues {
		return e.KeyValues(attrs)
	}
	return e.Normalized(attrs)
}

func wanted(attrs []string, name string) bool {
	return len(attrs) == 0 || slices.Contains(attrs, name) || slices.Contains(attrs, "*")
}

// Changed lists the attributes whose type or value differ between two
// versions of an entity (added and removed ones included), sorted. A nil
// old entity is new: every attribute changed.
func Changed(old, cur *Entity) []string {
	var out []string
	switch {
	case old == nil && cur == nil:
		return nil
	case old == nil:
		return slices.Sorted(maps.Keys(cur.Attrs))
	case cur == nil:
		return slices.Sorted(maps.Keys(old.Attrs))
	}
	for name, a := range cur.Attrs {
		b, ok := old.Attrs[name]
		if !ok || a.Type != b.Type || !sameValue(a.Value, b.Value) {
			out = append(out, name)
		}
	}
	for name := range old.Attrs {
		if _, ok := cur.Attrs[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// sameValue compares attribute values; the builders use only JSON-like
// values, so the common cases avoid reflection (5,000 entities are
// compared on every rebuild).
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}
