package store

import "testing"

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' , ? FROM t", "SELECT '?' , $1 FROM t"},
		{"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
		{`SELECT "odd?name", ?`, `SELECT "odd?name", $1`},
		{"SELECT ? -- what? \n, ?", "SELECT $1 -- what? \n, $2"},
		{"SELECT ? /* a ? b */, ?", "SELECT $1 /* a ? b */, $2"},
		{"SELECT ?::timestamptz", "SELECT $1::timestamptz"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
		{"SELECT ? -- trailing ?", "SELECT $1 -- trailing ?"},
		{"x LIKE ? ESCAPE '\\'", "x LIKE $1 ESCAPE '\\'"},
	}
	for _, c := range cases {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzRebind(f *testing.F) {
	f.Add("SELECT ? FROM t WHERE x = '?' -- ?\n AND y = ?")
	f.Add("/* ? */ ? \"?\"")
	f.Fuzz(func(t *testing.T, q string) {
		out := rebind(q)
		// Outside placeholders, the text is unchanged: removing the
		// numbers must give back the input.
		if len(out) < len(q) {
			t.Fatalf("rebind shortened %q to %q", q, out)
		}
	})
}
