package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/demo"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/web"
)

// pageTiming is the render time of one page over runs.
type pageTiming struct {
	path  string
	times []time.Duration
}

// timePages loads the demo data set into a new SQLite database in a
// temporary directory and times the lägesbild pages as the demo samordnare
// sees them, in process: the server's work, without a network between.
func timePages(ctx context.Context, runs int, paths []string) ([]pageTiming, error) {
	dir, err := os.MkdirTemp("", "trygg-bench-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(dir, "demo.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	services := sqldb.NewServices(db)
	if err := demo.Load(trygg.NewOperatorContext(ctx), services, demo.Generate(1, time.Now())); err != nil {
		return nil, err
	}
	var login demo.Login
	for _, l := range demo.Logins() {
		if l.Role == trygg.RoleSamordnare {
			login = l
		}
	}
	session, err := services.Auth.SignIn(ctx, login.Email, login.Password)
	if err != nil {
		return nil, err
	}
	srv, err := web.NewServer(web.Config{Services: services})
	if err != nil {
		return nil, err
	}
	var out []pageTiming
	for _, path := range paths {
		get := func() error {
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
			req.AddCookie(&http.Cookie{Name: "trygg_session", Value: session.Token})
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: %d", path, rec.Code)
			}
			return nil
		}
		times, err := timeRuns(runs, get)
		if err != nil {
			return nil, err
		}
		out = append(out, pageTiming{path: path, times: times})
	}
	// Issue 15: the overlay's own query, without the rest of the page.
	signedIn := trygg.NewContextWithUser(ctx, session.User)
	today := trygg.DayOf(time.Now())
	for _, span := range []struct {
		name     string
		from, to trygg.Day
	}{{"one week", today.Monday() - 7, today.Monday() - 1}, {"one year", today - 365, today}} {
		times, err := timeRuns(runs, func() error {
			_, err := services.Nattvandring.WalkHours(signedIn, span.from, span.to)
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, pageTiming{path: "(the overlay's query alone, " + span.name + ")", times: times})
	}
	return out, nil
}
