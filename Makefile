# coopera: the everyday targets. `make test` is what CI runs.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/ancisicilia/coopera/cmd/coopera/internal/cli.Version=$(VERSION)
OUT     ?= out

.PHONY: build test test-short pdf lint bench fuzz archivio man clean

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o coopera ./cmd/coopera

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

test-short:
	$(GO) test -short ./...

pdf: build
	mkdir -p $(OUT)
	./coopera valida data
	./coopera convoca -o $(OUT) $$(grep -L '^storico: true' data/tavoli/*.yaml | xargs grep -l '^protocollo:')
	./coopera comunicato -o $(OUT) data/comunicati/*.yaml

# staticcheck at a pinned version, built from the module proxy.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	@test -z "$$(gofmt -l cmd templates assets)" || (gofmt -l cmd templates assets; exit 1)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

archivio: build
	./coopera archivio data -o archivio

# Stage benchmarks (load, compose, typeset, PDF/A fix and check, write,
# whole pipeline) with allocations, then the seed letter against the peers
# that are installed (whole process, interleaved runs; RUNS=n to change),
# then coopera archivio over generated meetings (ARCHIVIO=sizes).
RUNS     ?= 20
ARCHIVIO ?= 100,1000,10000
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./cmd/coopera/...
	$(GO) run ./cmd/coopera/internal/bench/peers -runs $(RUNS)
	$(GO) run ./cmd/coopera/internal/bench/archivio -n $(ARCHIVIO)

# Every fuzz target for FUZZTIME each (go test -fuzz takes one at a time).
# The seed corpora run in `make test` anyway; new crashers land in each
# package's testdata/fuzz and become regression tests. FUZZTIME is a
# duration on a developer's machine; CI gives a count of inputs instead
# (FUZZTIME=2000x), which Go 1.26's coordinator race cannot turn into a
# "context deadline exceeded" failure (golang/go#75804). Every target runs
# at least a hundred inputs a second.
FUZZTIME ?= 60s
FUZZ_TARGETS := \
	./cmd/coopera/internal/model:FuzzLoadMeeting \
	./cmd/coopera/internal/compose:FuzzParseMarkdown \
	./cmd/coopera/internal/pipeline:FuzzRenderMeeting \
	./cmd/coopera/internal/linebreak:FuzzBreak \
	./cmd/coopera/internal/hyphen:FuzzPoints \
	./cmd/coopera/internal/pdfa:FuzzFix \
	./cmd/coopera/internal/pngcheck:FuzzPlain \
	./cmd/coopera/internal/yamledit:FuzzSetProtocol
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) "$${t%%:*}"; \
	done

clean:
	rm -rf coopera $(OUT)

# The manual pages of every command, from their help (coopera man DIR).
man: build
	./coopera man $(OUT)/man
