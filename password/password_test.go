package password

import (
	"context"
	"strings"
	"testing"
)

var fast = TestParams

func TestHashAndCheck(t *testing.T) {
	ctx := context.Background()
	h := New(fast)
	stored, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("unexpected format %q", stored)
	}
	again, _ := h.Hash(ctx, "correct horse battery")
	if again == stored {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batter", false}, {"", false}, {"Correct horse battery", false}} {
		ok, err := h.Check(ctx, c.pw, stored)
		if err != nil || ok != c.want {
			t.Errorf("Check(%q) = %v, %v; want %v", c.pw, ok, err, c.want)
		}
	}
	if ok, err := h.Check(ctx, "anything", ""); ok || err != nil {
		t.Fatalf("an empty stored hash matched: %v %v", ok, err)
	}
	// A hash made with other parameters still checks, and is flagged for
	// rehashing under stronger ones.
	strong := New(Params{Memory: 2048, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16})
	if ok, _ := strong.Check(ctx, "correct horse battery", stored); !ok {
		t.Fatal("hash from other parameters did not check")
	}
	if !strong.NeedsRehash(stored) || h.NeedsRehash(stored) {
		t.Fatal("NeedsRehash is wrong")
	}
}

func TestMalformed(t *testing.T) {
	h := New(fast)
	for _, s := range []string{
		"plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$!!!$a2V5a2V5a2V5a2V5a2V5",
	} {
		if ok, err := h.Check(context.Background(), "x", s); ok || err == nil {
			t.Errorf("Check accepted %q: %v %v", s, ok, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5")
	f.Fuzz(func(t *testing.T, s string) {
		p, _, _, err := decode(s)
		if err == nil && (p.Memory > 1<<20 || p.Time > 20) {
			t.Fatalf("accepted dangerous parameters %+v", p)
		}
	})
}
