package web

import (
	"context"
	"fmt"

	"upskill/mail"
	"upskill/store"
)

// The emails the service sends. Each says who it is for, why it came, what
// to do, and how long a link works.

func (s *Server) sendInvitation(ctx context.Context, to, name, orgName, inviter, secret string) error {
	return s.send(ctx, mail.Message{
		To:      to,
		Subject: "Set up your upskill account",
		Text: fmt.Sprintf(`Hello %s,

%s has added you to %s on upskill, where you can check your digital skills and find learning to build them.

Set up your account by following this link. It works for 14 days:
%s

If you were not expecting this email, you can ignore it and no account will be set up.
`, name, inviter, orgName, s.link("/invitations/"+secret)),
	})
}

func (s *Server) sendAddedNotice(ctx context.Context, to, name, orgName, inviter string) error {
	return s.send(ctx, mail.Message{
		To:      to,
		Subject: "You have been added to " + orgName + " on upskill",
		Text: fmt.Sprintf(`Hello %s,

%s has added you to %s on upskill. You can use your existing account: your record of digital skills and learning stays with you.

Sign in here:
%s

If you do not work for %s, tell your organisation's admin.
`, name, inviter, orgName, s.link("/sign-in"), orgName),
	})
}

func (s *Server) sendVerification(ctx context.Context, to, name, secret string) error {
	return s.send(ctx, mail.Message{
		To:      to,
		Subject: "Confirm your email address for upskill",
		Text: fmt.Sprintf(`Hello %s,

Confirm that this is your email address by following this link. It works for 3 days:
%s

If you did not create an upskill account, you can ignore this email.
`, name, s.link("/verify-email/"+secret)),
	})
}

func (s *Server) sendPasswordReset(ctx context.Context, to, name, secret string) error {
	return s.send(ctx, mail.Message{
		To:      to,
		Subject: "Reset your upskill password",
		Text: fmt.Sprintf(`Hello %s,

Someone asked to reset the password of the upskill account for this email address. To choose a new password, follow this link. It works for 1 hour:
%s

If you did not ask for this, you can ignore this email. Your password has not changed.
`, name, s.link("/reset-password/"+secret)),
	})
}

func (s *Server) sendReassessment(ctx context.Context, d store.Due) error {
	return s.send(ctx, mail.Message{
		To:      d.Email,
		Subject: "Time to take your digital skills assessment again",
		Text: fmt.Sprintf(`Hello %s,

You last took the digital skills assessment for %s on %s. %s asks staff to take it again now and then, to see how far they have come and to keep the learning suggested to them up to date.

It takes about 15 minutes, and your earlier reports are kept. Start here:
%s
`, d.Name, d.OrganisationName, formatDate(d.LastSubmitted), d.OrganisationName, s.link(assessmentPath(s.cfg.FrameworkKey))),
	})
}

func (s *Server) send(ctx context.Context, m mail.Message) error {
	if err := s.mail.Send(ctx, m); err != nil {
		s.log.ErrorContext(ctx, "send email", "subject", m.Subject, "err", err)
		return err
	}
	return nil
}
