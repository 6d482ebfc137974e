# upskill: the two commands a newcomer needs are `make run` and `make test`.

GO        ?= go
BIN       := bin/upskill
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X upskill.Version=$(VERSION)
NHSUK     := node_modules/nhsuk-frontend/dist/nhsuk
ASSETS    := web/assets/nhsuk
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build test test-short bench bench-national lint assets clean

## run: build and serve on http://localhost:8080 with the embedded SQLite database
run: build
	./$(BIN) serve

## build: one static binary with every asset embedded
build: assets
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/upskill

## test: the whole suite, on SQLite and PostgreSQL, with the browser tests
test: assets
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

## bench: speed figures against bare baselines (see README); one package at
## a time, so that no benchmark shares the machine with another
bench: assets
	$(GO) test -p 1 -run '^$$' -bench 'HomePage|Attempts|SaveAnswer|Reminders|CatalogueSearch|Recommendations|InsightDashboard|InsightNation|DemoLoad' -benchtime 1x -timeout 60m ./bench/... ./demo/...

## bench-national: the nation's page over a demo of 1,500,000 staff, on
## SQLite (made first in data/national.db, which takes a while and about
## 17 GB), and on PostgreSQL too when UPSKILL_BENCH_NATION_POSTGRES names a
## database already loaded with the same demo
bench-national: build
	test -f data/national.db || ./$(BIN) demo --orgs 1500 --staff 1500000 --learning=false --db data/national.db
	UPSKILL_BENCH_NATION_SQLITE=$(CURDIR)/data/national.db $(GO) test -run '^$$' -bench 'InsightNation/sqlite' -benchtime 1x -timeout 180m ./bench/
	test -z "$$UPSKILL_BENCH_NATION_POSTGRES" || $(GO) test -run '^$$' -bench 'InsightNation/postgres' -benchtime 1x -timeout 180m ./bench/

## lint: formatting, vet and staticcheck
lint: assets
	@test -z "$$(gofmt -l .)" || (echo "gofmt would change:"; gofmt -l .; exit 1)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## assets: install the pinned npm packages and copy the NHS.UK frontend into the build
assets: $(ASSETS)/nhsuk-frontend.min.css

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(ASSETS)/nhsuk-frontend.min.css: node_modules/.package-lock.json
	mkdir -p $(ASSETS)/images
	cp $(NHSUK)/nhsuk-frontend.min.css $(NHSUK)/nhsuk-frontend.min.js $(ASSETS)/
	cp $(NHSUK)/assets/images/favicon.ico $(NHSUK)/assets/images/favicon.svg \
	   $(NHSUK)/assets/images/nhsuk-icon-180.png \
	   $(NHSUK)/assets/images/nhsuk-icon-*.svg $(ASSETS)/images/
	@touch $@

clean:
	rm -rf bin node_modules $(ASSETS)/*.css $(ASSETS)/*.js $(ASSETS)/images
