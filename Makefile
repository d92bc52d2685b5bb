# tvboc: compile TVBO experiments into standalone simulation binaries.
#
#   make          build tvboc and run the seed experiment (writes ex2.csv)
#   make test     vet, gofmt check, every test, short fuzz runs
#   make bench    benchmarks, interleaved rounds, medians -> BENCHMARKS.md
#   make bench-quick  one fast round of the workloads (a smoke test)
#   make bench-dk87   DK-87, every library model and coupling, tvboc vs TVB

GO      ?= go
BIN     ?= bin
# A count, not a duration: a duration-bound -fuzztime can fail with a bare
# "context deadline exceeded" on a loaded machine (go.dev/issue/75804, a
# race in the Go 1.26 fuzz coordinator, fixed in Go 1.27).
FUZZTIME ?= 200000x
BUILDFUZZ ?= 20x

.PHONY: all build example test fuzz bench bench-quick bench-dk87 clean jlems-table

all: example

# tvboc needs no cgo: built without it, it is statically linked and skips
# the dynamic loader on every start (about 2 ms of a 45 ms warm run)
# tvboc-plot, the figure renderer tvboc plot and run --plot start, goes
# beside it (gonum's plot lives there, out of tvboc's start)
build:
	CGO_ENABLED=0 $(GO) build -o $(BIN)/tvboc ./cmd/tvboc
	CGO_ENABLED=0 $(GO) build -o $(BIN)/tvboc-plot ./cmd/tvboc-plot

example: build
	$(BIN)/tvboc run testdata/ex2/ex2.yaml -o ex2.csv

test:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) test ./...
	@# the runtime's AVX code (vec_simd.go) as gen/build builds it
	if [ "$$($(GO) env GOARCH)" = amd64 ]; then GOEXPERIMENT=simd $(GO) vet ./runtime/ && GOEXPERIMENT=simd $(GO) test ./runtime/; fi
	$(MAKE) fuzz

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./compiler/load/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./compiler/expr/
	@# one go build per input: a small count
	$(GO) test -run '^$$' -fuzz '^FuzzBuild$$' -fuzztime $(BUILDFUZZ) ./compiler/

# Runs real jLEMS (TVBOC_JNML) on every rendering and rewrites the README's
# "Agreement with jNeuroML" table.
jlems-table:
	@test -n "$$TVBOC_JNML" || { echo "set TVBOC_JNML to a jnml (jLEMS) executable"; exit 2; }
	TVBOC_JLEMS_README=1 $(GO) test ./cmd/tvboc/ -run 'TestJLEMS$$/tvbo' -timeout 60m -v

bench:
	$(GO) run ./bench/report -rounds 5 ./bench/ ./runtime/ ./compiler/

# one round, short W2, no installs, nothing written: checks the harness runs
bench-quick:
	$(GO) run ./bench/report -quick -gobench=false -brian2=false -o -

# tvboc against TVB per step on DK-87 for every library model and coupling,
# with and without delays (bench/tvb/dk87.py; a Markdown table on stdout).
# TVBOC_TVB_LIBRARY names a tvb_library folder, TVBOC_TVB_PYTHON the
# interpreter that runs it.
bench-dk87: build
	@test -n "$$TVBOC_TVB_LIBRARY" || { echo "set TVBOC_TVB_LIBRARY to a tvb_library folder of a tvb-root checkout"; exit 2; }
	PYTHONPATH=$$TVBOC_TVB_LIBRARY $${TVBOC_TVB_PYTHON:-python3} bench/tvb/dk87.py $(BIN)/tvboc ../shared/reference/tvbo/connectomes

clean:
	rm -rf $(BIN) ex2.csv
