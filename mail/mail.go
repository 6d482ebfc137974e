// Package mail sends the service's emails: by SMTP in production, or into
// the log while developing, so that links in them can be followed without a
// mail server.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
)

// Message is one plain-text email to one person.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Sender sends messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// New returns the sender named by rawURL: "" or "log" writes emails to the
// log; smtp://[user:password@]host[:port] sends through an SMTP server using
// STARTTLS where the server offers it; smtps:// connects with TLS from the
// start. from is the From address of every message.
func New(rawURL, from string, log *slog.Logger) (Sender, error) {
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" || rawURL == "log" {
		return &LogSender{Log: log}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("the --smtp value is not a valid URL; use smtp://user:password@host:587")
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return nil, fmt.Errorf("the --smtp URL must start with smtp:// or smtps://, not %s://", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("the --smtp URL must name a host, like smtp://mail.example.org:587")
	}
	if err := checkHeader(from); err != nil || !strings.Contains(from, "@") {
		return nil, errors.New("the sender address (--mail-from) must be an email address")
	}
	return newSMTP(u, from), nil
}

// LogSender writes each message to the log instead of sending it.
type LogSender struct {
	Log *slog.Logger
}

// Send logs the message.
func (l *LogSender) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	l.Log.InfoContext(ctx, "email not sent (development mode)", "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}

// Recorder keeps messages in memory, for tests.
type Recorder struct {
	mu   sync.Mutex
	sent []Message
}

// Send records the message.
func (r *Recorder) Send(_ context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

// Sent returns the messages recorded so far.
func (r *Recorder) Sent() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.sent...)
}

// Last returns the newest message sent to the address, if any.
func (r *Recorder) Last(to string) (Message, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.sent) - 1; i >= 0; i-- {
		if r.sent[i].To == to {
			return r.sent[i], true
		}
	}
	return Message{}, false
}

func (m Message) check() error {
	if err := checkHeader(m.To); err != nil {
		return err
	}
	return checkHeader(m.Subject)
}

// checkHeader refuses line breaks, which would let a value add headers.
func checkHeader(v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return errors.New("mail: line break in a header value")
	}
	return nil
}
