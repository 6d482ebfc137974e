package bench

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"upskill/mail"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
	"upskill/web"
)

// BenchmarkHomeHandler serves the signed-in home page in process, without
// a network, to show what the application itself costs per request.
func BenchmarkHomeHandler(b *testing.B) {
	for _, engine := range storetest.Engines {
		for _, mix := range []string{"staff", "supervisors"} {
			b.Run(string(engine)+"/"+mix, func(b *testing.B) {
				st := storetest.Open(b, engine, store.Options{MaxConns: 16})
				sessions := homeWorld(b, st, mix)
				srv, err := web.New(context.Background(), web.Config{PublicURL: &url.URL{Scheme: "http", Host: "localhost"}}, web.Deps{
					Store: st, Mail: &mail.Recorder{}, Hasher: password.New(password.Default), Log: slog.New(slog.DiscardHandler),
				})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				i := 0
				for b.Loop() {
					req := httptest.NewRequest("GET", "/home", nil)
					req.Header.Set("Cookie", "upskill_session="+sessions[i%len(sessions)])
					i++
					rec := httptest.NewRecorder()
					srv.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d", rec.Code)
					}
				}
			})
		}
	}
}
