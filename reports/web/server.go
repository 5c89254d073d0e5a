// Package web is the adviser's workspace: the pages and routes of
// `pathway serve`, over the store in scenarios/store.
//
// A young person's record holds a case file's values, edited in a form with
// one field per case-file key and checked by scenarios.ReadCase, the reader
// the command line uses, so that an error says what the command line says.
// Reviews store a dated snapshot of the case and of the plan it produced;
// "what changed since the last review" is the review pack's own comparison
// (reports.WhatChanged) between two stored snapshots, and the pack and the
// young person's page are the reports package's writers.
//
// The handler trusts nothing about a request: the Host header must name
// the loopback address the server listens on (against DNS rebinding),
// state-changing requests from another origin are refused
// (http.CrossOriginProtection), bodies are capped, URLs carry only record
// numbers, and every page has a Content-Security-Policy that runs no script
// and loads nothing but the server's own stylesheets. Viewing a record is
// written to the audit log before the page is sent.
package web

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"pathway/scenarios/store"
	"pathway/sim"
)

// Config is what the workspace needs.
type Config struct {
	Store  *store.Store
	Policy *sim.Policy
	// Actor is who the audit log names for every request: the user the
	// server runs as. (A shared server would name its signed-in user.)
	Actor string
	// Authority is the local authority's name, shown in every page's
	// header; "" shows a neutral title.
	Authority string
	// Listen is the address the server listens on, host:port, with a
	// loopback host; the Host header must name it.
	Listen string
	// Today gives the date plans are seen from; nil means the local date.
	Today func() sim.Date
}

// MaxBodyBytes caps a request body: a case file (1 MiB) with its
// multipart wrapping, or any form.
const MaxBodyBytes = 2 << 20

// Timeouts for every phase of a request, for http.Server.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
)

// CheckListen checks that addr (host:port) is one only this machine can
// reach: a loopback address or "localhost". It returns the address to
// listen on ("localhost" becomes 127.0.0.1).
func CheckListen(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--listen %q: give host:port, like 127.0.0.1:8080", addr)
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("--listen %q: pathway serve listens only on this computer (127.0.0.1, ::1 or localhost); a server shared over a network needs accounts, which pathway does not have yet", addr)
	}
	return net.JoinHostPort(host, port), nil
}

// allowedHosts are the Host headers that name the address the server
// listens on: the address itself and, for a loopback address, the name
// localhost, with the port (and without it for port 80).
func allowedHosts(listen string) map[string]bool {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return nil
	}
	names := []string{host, "localhost"}
	if strings.Contains(host, ":") {
		names[0] = "[" + host + "]"
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n+":"+port] = true
		if port == "80" {
			out[n] = true
		}
	}
	return out
}

// New returns the workspace's handler.
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil || cfg.Policy == nil {
		return nil, fmt.Errorf("web: a store and a policy are needed")
	}
	if _, err := CheckListen(cfg.Listen); err != nil {
		return nil, err
	}
	if cfg.Today == nil {
		cfg.Today = func() sim.Date {
			y, m, d := time.Now().Date()
			return sim.NewDate(y, m, d)
		}
	}
	s := &server{cfg: cfg, hosts: allowedHosts(cfg.Listen)}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.caseload)
	mux.HandleFunc("GET /assets/{file}", serveAsset)
	mux.HandleFunc("GET /audit", s.auditPage)
	mux.HandleFunc("GET /young-people/new", s.newPerson)
	mux.HandleFunc("POST /young-people", s.createPerson)
	mux.HandleFunc("POST /young-people/import", s.importPerson)
	mux.HandleFunc("GET /young-people/{id}", s.person)
	mux.HandleFunc("GET /young-people/{id}/edit", s.editPerson)
	mux.HandleFunc("POST /young-people/{id}", s.updatePerson)
	mux.HandleFunc("GET /young-people/{id}/plan", s.planPage)
	mux.HandleFunc("GET /young-people/{id}/plan.json", s.planJSON)
	mux.HandleFunc("GET /young-people/{id}/case.toml", s.caseTOML)
	mux.HandleFunc("GET /young-people/{id}/futures", s.futures)
	mux.HandleFunc("GET /young-people/{id}/reviews/new", s.newReview)
	mux.HandleFunc("POST /young-people/{id}/reviews", s.createReview)
	mux.HandleFunc("GET /young-people/{id}/reviews/{n}", s.review)
	mux.HandleFunc("POST /young-people/{id}/reviews/{n}", s.updateReview)
	mux.HandleFunc("POST /young-people/{id}/reviews/{n}/sign-off", s.signOff)
	mux.HandleFunc("GET /young-people/{id}/reviews/{n}/pack", s.pack)
	mux.HandleFunc("GET /young-people/{id}/reviews/{n}/plan.json", s.reviewPlanJSON)
	mux.HandleFunc("/", s.notFound)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		refuse(w, "a change sent from another site is refused: use the workspace's own pages")
	}))
	var h http.Handler = mux
	h = cop.Handler(h)
	h = s.limits(h)
	h = s.checkHost(h)
	return h, nil
}

type server struct {
	cfg   Config
	hosts map[string]bool
	pages map[string]*pageTemplate
}

// refuse answers 403 with a plain reason.
func refuse(w http.ResponseWriter, why string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintln(w, "403 forbidden: "+why)
}

// checkHost refuses a request whose Host is not the address the server
// listens on: a page of another site, whose name an attacker has pointed at
// 127.0.0.1, sends its own name (DNS rebinding).
func (s *server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts[strings.ToLower(r.Host)] {
			refuse(w, "this server answers only to the address it listens on, "+s.cfg.Listen)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// pageCSP is every workspace page's Content-Security-Policy: its own
// stylesheets, no script at all, forms only to itself, never framed.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// limits caps the body and sets the headers every response carries.
func (s *server) limits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		h := w.Header()
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		// Pages hold personal data: no copy in any cache.
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
