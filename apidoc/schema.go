package apidoc

// S is one JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12). Maps keep
// the generator short, and encoding/json sorts their keys, so the document
// is byte-for-byte stable and its ETag only changes when the API does.
type S = map[string]any

func str(desc string) S { return S{"type": "string", "description": desc} }

func date(desc string) S {
	return S{"type": "string", "format": "date", "description": desc + "（YYYY-MM-DD）"}
}

func integer(desc string) S { return S{"type": "integer", "description": desc} }

func boolean(desc string) S { return S{"type": "boolean", "description": desc} }

func number(desc string) S { return S{"type": "number", "description": desc} }

func enum(desc string, values ...string) S {
	return S{"type": "string", "enum": values, "description": desc}
}

func array(desc string, items S) S { return S{"type": "array", "items": items, "description": desc} }

// object builds an object schema from name/schema pairs; names ending in
// "!" are required.
func object(desc string, props ...any) S {
	p := S{}
	var required []string
	for i := 0; i+1 < len(props); i += 2 {
		name := props[i].(string)
		if n := len(name); n > 0 && name[n-1] == '!' {
			name = name[:n-1]
			required = append(required, name)
		}
		p[name] = props[i+1]
	}
	out := S{"type": "object", "properties": p}
	if desc != "" {
		out["description"] = desc
	}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// anyJSON is a value of any JSON type.
func anyJSON(desc string) S { return S{"description": desc} }

func ref(name string) S { return S{"$ref": "#/components/schemas/" + name} }
