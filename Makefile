# tvboc: compile TVBO experiments into standalone simulation binaries.
#
#   make          build tvboc and run the seed experiment (writes ex2.csv)
#   make test     vet, gofmt check, every test, short fuzz runs
#   make bench    benchmarks, interleaved rounds, medians -> BENCHMARKS.md

GO      ?= go
BIN     ?= bin
FUZZTIME ?= 15s

.PHONY: all build example test fuzz bench clean

all: example

build:
	$(GO) build -o $(BIN)/tvboc ./cmd/tvboc

example: build
	$(BIN)/tvboc run testdata/ex2/ex2.yaml -o ex2.csv

test:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) test ./...
	$(MAKE) fuzz

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./compiler/load/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./compiler/expr/

bench:
	$(GO) run ./bench/report -rounds 5 ./bench/ ./runtime/

clean:
	rm -rf $(BIN) ex2.csv
