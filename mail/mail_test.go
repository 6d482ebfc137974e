package mail_test

import (
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"strings"
	"testing"

	"upskill/mail"
	"upskill/mail/smtptest"
)

func TestSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := mail.New(srv.URL(), "upskill <no-reply@example.org>", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), mail.Message{To: "nina@example.org", Subject: "Set up your account – upskill",
		Text: "Hello Nina,\n\nFollow this link: https://upskill.example.org/invitations/abc\n"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages", len(msgs))
	}
	m := msgs[0]
	if m.From != "no-reply@example.org" || m.To != "nina@example.org" {
		t.Fatalf("envelope %q -> %q", m.From, m.To)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "Set up your account – upskill" {
		t.Fatalf("subject %q", subject)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(m.Body)))
	if !strings.Contains(string(body), "https://upskill.example.org/invitations/abc") {
		t.Fatalf("body %q", body)
	}
}

func TestHeaderInjectionRefused(t *testing.T) {
	var r mail.Recorder
	err := r.Send(context.Background(), mail.Message{To: "a@example.org\r\nBcc: b@example.org", Subject: "x"})
	if err == nil || len(r.Sent()) != 0 {
		t.Fatal("a To with a line break was accepted")
	}
}

func TestNewRejectsBadURLs(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for _, u := range []string{"http://mail.example.org", "smtp://", "::::"} {
		if _, err := mail.New(u, "a@example.org", log); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
	if _, err := mail.New("smtp://mail.example.org", "no at sign", log); err == nil {
		t.Error("a From without @ was accepted")
	}
	if s, err := mail.New("", "", log); err != nil {
		t.Fatal(err)
	} else if _, ok := s.(*mail.LogSender); !ok {
		t.Fatalf("empty URL gave %T", s)
	}
}
