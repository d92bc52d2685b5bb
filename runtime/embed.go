package runtime

import "embed"

// Source holds this package's Go files so that the build driver can copy the
// runtime into the temporary module it builds a generated main in, without a
// network or a module cache. The driver copies every file except *_test.go
// and embed.go itself; no other file of the package refers to Source.
//
//go:embed *.go
var Source embed.FS
