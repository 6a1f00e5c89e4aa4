.DEFAULT_GOAL := help
SHELL := /bin/bash

BIN        := bin/lienthong
DEV_DB     ?= sqlite://lienthong.db
GO_PKGS    := ./...
GOLANGCI_VERSION := v2.15.0
BENCH_DOSSIERS ?= 1000000
BENCH_CLIENTS  ?= 16
BENCH_DURATION ?= 30s

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /' | column -t -s ':'

## build: build bin/lienthong
build:
	go build -o $(BIN) .

## run: build, migrate and seed the embedded SQLite demo (once), then serve GraphQL in dev mode
run: build
	LIENTHONG_DEV=1 DATABASE_URL=$(DEV_DB) ./$(BIN) seed
	LIENTHONG_DEV=1 DATABASE_URL=$(DEV_DB) ./$(BIN) serve

## test: run every test on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set
# The fuzz runs are bounded by a count of inputs, not a time: at a -fuzztime
# deadline Go's fuzz coordinator can report "context deadline exceeded"
# having found nothing, when a busy machine keeps a worker from answering.
test:
	@test -n "$$TEST_DATABASE_URL" || echo "make test: the PostgreSQL half is skipped: set TEST_DATABASE_URL (README, Two commands)"
	go vet $(GO_PKGS)
	go test -count=1 -timeout 10m $(GO_PKGS)
	go test -count=1 -run='^$$' -fuzz=FuzzCalendarAdd -fuzztime=8000x -parallel=1 ./calendar
	go test -count=1 -run='^$$' -fuzz=FuzzCalendarBetween -fuzztime=10000x -parallel=1 ./calendar
	go test -count=1 -run='^$$' -fuzz=FuzzParseCode -fuzztime=8000x -parallel=1 ./workflow
	go test -count=1 -run='^$$' -fuzz=FuzzTransitionInputs -fuzztime=3000x -parallel=1 ./workflow

## generate: regenerate ent (entc) then gqlgen, from the module root
generate:
	go run -mod=mod ./ent/entc.go
	go tool gqlgen

## migration: write a new migration per dialect from the ent schema (name=NAME; needs the local PostgreSQL)
migration:
	@test -n "$(name)" || (echo "usage: make migration name=add_something" && exit 1)
	go run ./migrations/diff.go $(name)

## check-generated: fail when regenerating changes the tree, a resolver holds stale code, or migrations lag the schema
check-generated: generate
	go mod tidy
	go run ./migrations/diff.go check
	@if grep -l '!!! WARNING !!!' graph/*.resolvers.go; then echo "stale resolver code above: remove it"; exit 1; fi
	@git add -N . && if ! git diff --quiet; then git status --short; git diff --stat; echo "generated code or migrations are out of date: run make generate / make migration and commit"; exit 1; fi

## lint: golangci-lint (.golangci.yml: the standard linters, revive, gocritic, errorlint, gofmt and goimports …)
lint:
	go run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION) run $(GO_PKGS)

## bench: dossier traffic through the real server against the database's own limit (bench/load), the reporting queries on a generated year (BENCH_DOSSIERS, default 1000000), the Go micro-benchmarks; PostgreSQL too with TEST_DATABASE_URL
bench: build
	go run ./bench/load -bin $(BIN) -clients $(BENCH_CLIENTS) -duration $(BENCH_DURATION)
	go run ./bench/reports -dossiers $(BENCH_DOSSIERS) -plans
	go test -run='^$$' -bench=. -benchmem ./calendar ./rollup ./workflow

.PHONY: help build run test generate migration check-generated lint bench
