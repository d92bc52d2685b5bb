// Package schema holds TVBO's LinkML schema (tvbo_datamodel.yaml) as Go
// tables: per class, the keys a document of that class may write, with
// their range and cardinality. The tables (tables.go) are generated from
// the schema by `go generate ./compiler/load/schema`, which reads it from
// ../shared/reference/tvbo/schema; they hold only facts (key names, ranges,
// flags), none of the schema's prose. The loader (package load) takes the
// keys it accepts from here.
package schema

//go:generate go run ./internal/cmd/schemagen

import (
	"sort"
	"sync"
)

// RangeKind says what a slot's range is.
type RangeKind int

const (
	RangeType     RangeKind = iota // a LinkML type: string, float, integer, boolean
	RangeClass                     // a class of this schema
	RangeEnum                      // an enumeration of this schema
	RangeImported                  // a class of a schema TVBO imports (SANDS, tvb_dbs)
	RangeUnion                     // any_of several ranges, joined by |
)

// Slot is one key of a class.
type Slot struct {
	Key   string // the key a document writes (the slot's alias, if it has one)
	Name  string // the slot's own name where it differs from Key
	Range string
	RangeKind
	Multivalued, Required, Inlined, InlinedAsList, Identifier bool
}

// Class is one class of the schema with its inherited slots resolved.
type Class struct {
	Name   string
	IsA    string
	Mixins []string
	Slots  []Slot // sorted by Key
}

// The tables (tables.go) are built on first use, not when tvboc starts: a
// warm `tvboc run` reads no document, and building them took about 1 ms of
// every start.
var (
	classes = sync.OnceValue(classTable)
	aliases = sync.OnceValue(aliasTable)
	enums   = sync.OnceValue(enumTable)
)

// Lookup returns the class of that name (or of that alias), or nil.
func Lookup(name string) *Class {
	if c := classes()[name]; c != nil {
		return c
	}
	return classes()[aliases()[name]]
}

// Slot returns the class's slot written as key, or nil.
func (c *Class) Slot(key string) *Slot {
	if c == nil {
		return nil
	}
	i := sort.Search(len(c.Slots), func(i int) bool { return c.Slots[i].Key >= key })
	if i < len(c.Slots) && c.Slots[i].Key == key {
		return &c.Slots[i]
	}
	return nil
}

// Keys lists the keys of the class, sorted.
func (c *Class) Keys() []string {
	if c == nil {
		return nil
	}
	out := make([]string, len(c.Slots))
	for i, s := range c.Slots {
		out[i] = s.Key
	}
	return out
}

// Names lists every class name, sorted.
func Names() []string {
	out := make([]string, 0, len(classes()))
	for n := range classes() {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Enum returns the permissible values of an enumeration, sorted, or nil.
func Enum(name string) []string { return enums()[name] }
