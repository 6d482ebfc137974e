package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"

	"upskill"
	"upskill/password"
	"upskill/store"
)

func user(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "set-password") {
		return errors.New(`usage: upskill user create --email E --name N (--admin | --org ID --roles learner,supervisor,...) [--password-stdin]
       upskill user set-password --email E [--password-stdin]`)
	}
	sub := args[0]
	fs, db := newFlags("user "+sub, stderr)
	email := fs.String("email", "", "the person's email address")
	name := fs.String("name", "", "the person's full name")
	admin := fs.Bool("admin", false, "make the person a national admin, who runs the whole service")
	nation := fs.String("nation", env("UPSKILL_NATION", "England"), "the name of the nation, if it does not exist yet")
	orgID := fs.Int64("org", 0, "the number of the organisation, region or nation to add the person to")
	rolesFlag := fs.String("roles", "learner", "comma-separated roles: learner, supervisor, org_admin, content_author, region_lead, national_admin")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input; otherwise one is made up and printed")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	pw, generated, err := readPassword(*fromStdin, stdin, *email)
	if err != nil {
		return err
	}
	log := newLogger(stderr)
	st, err := openStore(ctx, *db, log)
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := password.New(password.Default).Hash(ctx, pw)
	if err != nil {
		return err
	}

	if sub == "set-password" {
		p, _, err := st.Credentials(ctx, *email)
		if err != nil {
			return errors.New("there is no account with that email address")
		}
		if err := st.SetPassword(ctx, p.ID, hash, ""); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "The password of %s has been set and every session ended.\n", p.Email)
		printPassword(stdout, generated, pw)
		return nil
	}

	switch {
	case *admin:
		p, err := st.CreateNationalAdmin(ctx, 0, *nation, store.NewAccount{Email: *email, Name: *name, PasswordHash: hash, Verified: true})
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%s <%s> is a national admin.\n", p.Name, p.Email)
	case *orgID != 0:
		org, err := st.Organisation(ctx, *orgID)
		if err != nil {
			return describe(err)
		}
		var roles upskill.RoleSet
		for _, k := range strings.Split(*rolesFlag, ",") {
			r, ok := upskill.ParseRole(strings.TrimSpace(k))
			if !ok {
				return fmt.Errorf("unknown role %q", k)
			}
			roles = roles.With(r)
		}
		added, err := st.AddMember(ctx, 0, org, store.MemberInput{Email: *email, Name: *name, Roles: roles})
		if err != nil {
			return describe(err)
		}
		if added.Invitation == "" {
			fmt.Fprintf(stdout, "%s already had an account; they have been added to %s and keep their password.\n", added.Person.Email, org.Name)
			return nil
		}
		// The command line stands in for the emailed invitation.
		if _, err := st.AcceptInvitation(ctx, added.Invitation, added.Person.Name, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s <%s> has been added to %s as %s.\n", added.Person.Name, added.Person.Email, org.Name, roles.Labels())
	default:
		return errors.New("say what the account is for: --admin, or --org with the organisation's number")
	}
	printPassword(stdout, generated, pw)
	return nil
}

// describe turns a domain error into a line for the terminal, listing every
// field problem.
func describe(err error) error {
	fields := upskill.ErrorFields(err)
	if len(fields) == 0 {
		return errors.New(upskill.ErrorMessage(err))
	}
	var msgs []string
	for _, f := range fields {
		msgs = append(msgs, "--"+f.Field+": "+f.Message)
	}
	return errors.New(strings.Join(msgs, "; "))
}

func readPassword(fromStdin bool, stdin io.Reader, email string) (string, bool, error) {
	if !fromStdin {
		return makePassword(), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, err
	}
	pw := strings.TrimRight(line, "\r\n")
	if msg := upskill.ValidatePassword(pw, upskill.NormaliseEmail(email)); msg != "" {
		return "", false, errors.New(msg)
	}
	return pw, false, nil
}

// makePassword returns four random words from a small list joined by
// hyphens with a number: long, and easy to type once.
func makePassword() string {
	words := strings.Fields(`amber birch cedar delta ember fjord glade harbour island juniper kestrel lantern
		meadow nettle orchard pebble quarry raven saffron thistle umber violet willow yarrow zephyr
		anchor beacon candle dune falcon garnet heron ivy jasper kelp lichen marble nimbus otter`)
	var parts []string
	for i := 0; i < 4; i++ {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(words))))
		parts = append(parts, words[n.Int64()])
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(90))
	return strings.Join(parts, "-") + fmt.Sprint(n.Int64()+10)
}

func printPassword(w io.Writer, generated bool, pw string) {
	if generated {
		fmt.Fprintf(w, "Password: %s\nKeep it safe: it is not shown again. They can change it under Your account.\n", pw)
	}
}
