// Package schemagen turns TVBO's LinkML schema (tvbo_datamodel.yaml) into
// the Go tables of package schema: per class, its keys with their range,
// cardinality and inlining, inheritance (is_a, mixins) and slot_usage
// resolved. Only facts are kept (names, ranges, flags); the schema's prose
// (descriptions, comments) is left out. The output is sorted, so the same
// schema gives the same file byte for byte.
package schemagen

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// linkmlTypes are LinkML's built-in types (linkml:types), which the schema
// imports; any other range is one of its classes or enums, or a class of a
// schema it imports (SANDS, tvb_dbs) that is not at hand.
var linkmlTypes = map[string]bool{
	"string": true, "integer": true, "float": true, "double": true, "boolean": true,
	"date": true, "datetime": true, "uri": true, "uriorcurie": true, "decimal": true, "time": true, "ncname": true,
}

// slot is one key of a class as the schema defines it.
type slot struct {
	Key, Name, Range                                          string
	Multivalued, Required, Inlined, InlinedAsList, Identifier bool
}

// rawSlot is a slot definition before defaults are applied; nil fields
// are unset (slot_usage only overrides what it sets).
type rawSlot struct {
	Alias, Range                                              *string
	Multivalued, Required, Inlined, InlinedAsList, Identifier *bool
}

func (s *rawSlot) override(o rawSlot) {
	if o.Alias != nil {
		s.Alias = o.Alias
	}
	if o.Range != nil {
		s.Range = o.Range
	}
	for _, p := range []struct{ dst, src **bool }{
		{&s.Multivalued, &o.Multivalued}, {&s.Required, &o.Required}, {&s.Inlined, &o.Inlined},
		{&s.InlinedAsList, &o.InlinedAsList}, {&s.Identifier, &o.Identifier},
	} {
		if *p.src != nil {
			*p.dst = *p.src
		}
	}
}

type rawClass struct {
	Name      string
	IsA       string
	Mixins    []string
	SlotNames []string           // slots: references to top-level slots
	Attrs     map[string]rawSlot // attributes: defined in place
	Usage     map[string]rawSlot // slot_usage: refinements
	Order     []string           // slot names in definition order
}

// child is the value of key in a mapping. When the key is written twice
// (the schema does so: SimulationExperiment.id has two ranges) the last
// one counts, as it does for LinkML's own (PyYAML) loader.
func child(n *yaml.Node, key string) *yaml.Node {
	var out *yaml.Node
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			out = n.Content[i+1]
		}
	}
	return out
}

// keys lists a mapping's keys in order, each once.
func keys(n *yaml.Node) []string {
	var out []string
	seen := map[string]bool{}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func strp(n *yaml.Node) *string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return nil
	}
	return &n.Value
}

func boolp(n *yaml.Node) *bool {
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil
	}
	v := n.Value == "true" || n.Value == "True"
	return &v
}

func readSlot(n *yaml.Node) rawSlot {
	s := rawSlot{
		Alias:         strp(child(n, "alias")),
		Range:         strp(child(n, "range")),
		Multivalued:   boolp(child(n, "multivalued")),
		Required:      boolp(child(n, "required")),
		Inlined:       boolp(child(n, "inlined")),
		InlinedAsList: boolp(child(n, "inlined_as_list")),
		Identifier:    boolp(child(n, "identifier")),
	}
	if anyOf := child(n, "any_of"); s.Range == nil && anyOf != nil && anyOf.Kind == yaml.SequenceNode {
		var ranges []string
		for _, alt := range anyOf.Content {
			if r := strp(child(alt, "range")); r != nil {
				ranges = append(ranges, *r)
			}
		}
		joined := strings.Join(ranges, "|")
		s.Range = &joined
	}
	return s
}

func strList(n *yaml.Node) []string {
	var out []string
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return []string{n.Value}
	}
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			out = append(out, c.Value)
		}
	}
	return out
}

// Generate reads the schema and returns the Go source of package schema's
// tables.
func Generate(src []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("reading the schema: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the schema is not a YAML mapping")
	}
	root := doc.Content[0]
	defaultRange := "string"
	if d := strp(child(root, "default_range")); d != nil {
		defaultRange = *d
	}
	topSlots := map[string]rawSlot{}
	for _, k := range keys(child(root, "slots")) {
		topSlots[k] = readSlot(child(child(root, "slots"), k))
	}
	enums := map[string][]string{}
	for _, k := range keys(child(root, "enums")) {
		enums[k] = keys(child(child(child(root, "enums"), k), "permissible_values"))
	}
	classes := map[string]*rawClass{}
	aliases := map[string]string{}
	for _, name := range keys(child(root, "classes")) {
		n := child(child(root, "classes"), name)
		c := &rawClass{Name: name, Attrs: map[string]rawSlot{}, Usage: map[string]rawSlot{}}
		if p := strp(child(n, "is_a")); p != nil {
			c.IsA = *p
		}
		c.Mixins = strList(child(n, "mixins"))
		c.SlotNames = strList(child(n, "slots"))
		c.Order = append(c.Order, c.SlotNames...)
		for _, k := range keys(child(n, "attributes")) {
			c.Attrs[k] = readSlot(child(child(n, "attributes"), k))
			c.Order = append(c.Order, k)
		}
		for _, k := range keys(child(n, "slot_usage")) {
			c.Usage[k] = readSlot(child(child(n, "slot_usage"), k))
		}
		for _, a := range strList(child(n, "aliases")) {
			if a != name {
				aliases[a] = name
			}
		}
		classes[name] = c
	}
	// resolve: a class's slots are its ancestors' (is_a, then mixins),
	// then its own slots and attributes, each refined by slot_usage
	// along the way.
	resolved := map[string]map[string]rawSlot{}
	var resolve func(name string, seen map[string]bool) (map[string]rawSlot, error)
	resolve = func(name string, seen map[string]bool) (map[string]rawSlot, error) {
		if r, ok := resolved[name]; ok {
			return r, nil
		}
		c := classes[name]
		if c == nil {
			return nil, fmt.Errorf("class %q is not defined", name)
		}
		if seen[name] {
			return nil, fmt.Errorf("class %q inherits from itself", name)
		}
		seen[name] = true
		out := map[string]rawSlot{}
		for _, parent := range append([]string{c.IsA}, c.Mixins...) {
			if parent == "" {
				continue
			}
			ps, err := resolve(parent, seen)
			if err != nil {
				return nil, fmt.Errorf("class %s: %w", name, err)
			}
			for k, v := range ps {
				out[k] = v
			}
		}
		for _, k := range c.SlotNames {
			s, ok := out[k]
			if !ok {
				s = topSlots[k] // an imported slot (name, dataLocation) has none
			}
			out[k] = s
		}
		for k, a := range c.Attrs {
			s := out[k]
			s.override(a)
			out[k] = s
		}
		for k, u := range c.Usage {
			s := out[k]
			s.override(u)
			out[k] = s
		}
		resolved[name] = out
		return out, nil
	}
	names := make([]string, 0, len(classes))
	for name := range classes {
		names = append(names, name)
	}
	sort.Strings(names)
	kindOf := func(rng string) string {
		var kinds []string
		for _, r := range strings.Split(rng, "|") {
			switch {
			case linkmlTypes[r]:
				kinds = append(kinds, "Type")
			case classes[r] != nil || aliases[r] != "":
				kinds = append(kinds, "Class")
			case enums[r] != nil:
				kinds = append(kinds, "Enum")
			default:
				kinds = append(kinds, "Imported")
			}
		}
		if len(kinds) == 1 {
			return kinds[0]
		}
		return "Union"
	}

	var b bytes.Buffer
	b.WriteString("// Code generated by schemagen from TVBO's LinkML schema (tvbo_datamodel.yaml); DO NOT EDIT.\n\n")
	b.WriteString("package schema\n\n")
	b.WriteString("// classes are TVBO's schema classes by name, each with every key it\n// accepts (inherited ones included), sorted by key.\nfunc classTable() map[string]*Class {\n\treturn map[string]*Class{\n")
	for _, name := range names {
		c := classes[name]
		slots, err := resolve(name, map[string]bool{})
		if err != nil {
			return nil, err
		}
		var list []slot
		for k, s := range slots {
			sl := slot{Name: k, Key: k, Range: defaultRange}
			if s.Alias != nil {
				sl.Key = *s.Alias
			}
			if s.Range != nil {
				sl.Range = *s.Range
			}
			deref := func(p *bool) bool { return p != nil && *p }
			sl.Multivalued, sl.Required, sl.Inlined = deref(s.Multivalued), deref(s.Required), deref(s.Inlined)
			sl.InlinedAsList, sl.Identifier = deref(s.InlinedAsList), deref(s.Identifier)
			list = append(list, sl)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Key < list[j].Key })
		fmt.Fprintf(&b, "\t%q: {\n\t\tName: %q,\n", name, name)
		if c.IsA != "" {
			fmt.Fprintf(&b, "\t\tIsA: %q,\n", c.IsA)
		}
		if len(c.Mixins) > 0 {
			fmt.Fprintf(&b, "\t\tMixins: %#v,\n", c.Mixins)
		}
		b.WriteString("\t\tSlots: []Slot{\n")
		for _, s := range list {
			fmt.Fprintf(&b, "\t\t\t{Key: %q", s.Key)
			if s.Name != s.Key {
				fmt.Fprintf(&b, ", Name: %q", s.Name)
			}
			fmt.Fprintf(&b, ", Range: %q, RangeKind: Range%s", s.Range, kindOf(s.Range))
			for _, f := range []struct {
				set  bool
				name string
			}{{s.Multivalued, "Multivalued"}, {s.Required, "Required"}, {s.Inlined, "Inlined"}, {s.InlinedAsList, "InlinedAsList"}, {s.Identifier, "Identifier"}} {
				if f.set {
					fmt.Fprintf(&b, ", %s: true", f.name)
				}
			}
			b.WriteString("},\n")
		}
		b.WriteString("\t\t},\n\t},\n")
	}
	b.WriteString("}\n}\n\n")
	var aliasNames []string
	for a := range aliases {
		aliasNames = append(aliasNames, a)
	}
	sort.Strings(aliasNames)
	b.WriteString("// aliases are other names the schema gives a class.\nfunc aliasTable() map[string]string {\n\treturn map[string]string{\n")
	for _, a := range aliasNames {
		fmt.Fprintf(&b, "\t%q: %q,\n", a, aliases[a])
	}
	b.WriteString("}\n}\n\n")
	var enumNames []string
	for e := range enums {
		enumNames = append(enumNames, e)
	}
	sort.Strings(enumNames)
	b.WriteString("// enums are the schema's enumerations and their permissible values.\nfunc enumTable() map[string][]string {\n\treturn map[string][]string{\n")
	for _, e := range enumNames {
		vals := append([]string(nil), enums[e]...)
		sort.Strings(vals)
		fmt.Fprintf(&b, "\t%q: {", e)
		for i, v := range vals {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", v)
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n}\n")
	return format.Source(b.Bytes())
}
