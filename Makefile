# coopera: the everyday targets. `make test` is what CI runs.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/ancisicilia/coopera/cmd/coopera/internal/cli.Version=$(VERSION)
OUT     ?= out

.PHONY: build test test-short pdf lint bench fuzz archivio man clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o coopera ./cmd/coopera

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

lint:
	@test -z "$$(gofmt -l cmd templates assets)" || (gofmt -l cmd templates assets; exit 1)
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./cmd/coopera/...

clean:
	rm -rf coopera $(OUT)
