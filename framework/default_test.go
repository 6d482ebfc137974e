package framework

import (
	"strings"
	"testing"
	"unicode/utf8"

	"upskill"
)

// TestDefault checks the framework that upskill loads on first start: it
// must pass ReadJSON (and so Validate), keep the published domain names,
// and give every domain enough capabilities and knowledge checks.
func TestDefault(t *testing.T) {
	f, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if f.Framework.Key != DefaultKey {
		t.Errorf("key = %q, want %q", f.Framework.Key, DefaultKey)
	}
	if f.Framework.Name != "Health and Care Digital Capabilities Framework" {
		t.Errorf("name = %q", f.Framework.Name)
	}
	v := &f.Version

	levels := []string{"Aware", "Practising", "Confident", "Leading"}
	if len(v.Levels) != len(levels) {
		t.Fatalf("%d levels, want %d", len(v.Levels), len(levels))
	}
	for i, l := range v.Levels {
		if l.Number != i+1 || l.Name != levels[i] || l.Description == "" {
			t.Errorf("level %d = %+v, want number %d named %q with a description", i, l, i+1, levels[i])
		}
	}

	bands := []upskill.Band{{Name: "Developing", Min: 0}, {Name: "Capable", Min: 4}, {Name: "Proficient", Min: 7}}
	if len(v.Bands) != len(bands) {
		t.Fatalf("%d bands, want %d", len(v.Bands), len(bands))
	}
	for i, b := range v.Bands {
		if b.Name != bands[i].Name || b.Min != bands[i].Min || b.Description == "" {
			t.Errorf("band %d = %+v, want %q from %v with a description", i, b, bands[i].Name, bands[i].Min)
		}
	}

	names := []string{
		"Digital identity, wellbeing, safety and security",
		"Communication, collaboration and participation",
		"Teaching, learning and self-development",
		"Technical proficiency",
		"Information, data and content",
		"Creation, innovation and research",
	}
	if len(v.Domains) != len(names) {
		t.Fatalf("%d domains, want %d", len(v.Domains), len(names))
	}
	domainOf := map[string]string{} // capability code to domain code
	statements := map[string]string{}
	for i, d := range v.Domains {
		code := string(rune('1' + i))
		if d.Code != code || d.Name != names[i] {
			t.Errorf("domain %d = %q %q, want %q %q", i, d.Code, d.Name, code, names[i])
		}
		if d.Description == "" {
			t.Errorf("domain %s has no description", d.Code)
		}
		if len(d.Capabilities) < 5 {
			t.Errorf("domain %s has %d capabilities, want at least 5", d.Code, len(d.Capabilities))
		}
		for _, c := range d.Capabilities {
			domainOf[c.Code] = d.Code
			if !strings.HasPrefix(c.Code, d.Code+".") {
				t.Errorf("capability %s is in domain %s", c.Code, d.Code)
			}
			if len(c.Descriptors) != len(levels) {
				t.Errorf("capability %s has %d descriptors, want %d", c.Code, len(c.Descriptors), len(levels))
			}
			if c.Type != upskill.QuestionScale {
				t.Errorf("capability %s has type %q, want scale", c.Code, c.Type)
			}
			if c.Guidance == "" {
				t.Errorf("capability %s has no guidance", c.Code)
			}
			if !strings.HasPrefix(c.Statement, "I can ") {
				t.Errorf("capability %s: statement %q does not start with \"I can\"", c.Code, c.Statement)
			}
			if n := len(strings.Fields(c.Statement)); n < 8 || n > 25 {
				t.Errorf("capability %s: statement has %d words, want 8 to 25", c.Code, n)
			}
			if utf8.RuneCountInString(c.Statement) > 200 {
				t.Errorf("capability %s: statement is longer than 200 characters", c.Code)
			}
			key := strings.ToLower(strings.TrimSpace(c.Statement))
			if other, ok := statements[key]; ok {
				t.Errorf("capabilities %s and %s have the same statement", other, c.Code)
			}
			statements[key] = c.Code
		}
	}

	for _, d := range v.Domains {
		qs := v.QuestionsFor(d.Code)
		if len(qs) < 2 {
			t.Errorf("domain %s has %d knowledge-check questions, want at least 2", d.Code, len(qs))
		}
		for _, q := range qs {
			if q.CapabilityCode == "" {
				t.Errorf("question %s names no capability", q.Code)
			} else if domainOf[q.CapabilityCode] != d.Code {
				t.Errorf("question %s in domain %s names capability %s of another domain", q.Code, d.Code, q.CapabilityCode)
			}
			if len(q.Options) < 3 || len(q.Options) > 5 {
				t.Errorf("question %s has %d options, want 3 to 5", q.Code, len(q.Options))
			}
			right := 0
			for _, o := range q.Options {
				if o.Correct {
					right++
				}
			}
			if q.Kind == upskill.QuestionMultiple && (right < 2 || right > 3) {
				t.Errorf("question %s lets you choose several but has %d correct options, want 2 or 3", q.Code, right)
			}
		}
	}
	if n := len(v.Questions); n < 2*len(v.Domains) {
		t.Errorf("%d questions in all, want at least %d", n, 2*len(v.Domains))
	}
}

// TestDefaultWording keeps the shipped text in the plain English house
// style: no Latin abbreviations and British spellings.
func TestDefaultWording(t *testing.T) {
	f, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	v := &f.Version
	var texts []string
	add := func(s ...string) { texts = append(texts, s...) }
	add(f.Framework.Description, v.Title, v.Description)
	for _, l := range v.Levels {
		add(l.Description)
	}
	for _, b := range v.Bands {
		add(b.Description)
	}
	for _, d := range v.Domains {
		add(d.Description)
		for _, c := range d.Capabilities {
			add(c.Statement, c.Guidance)
			add(c.Descriptors...)
		}
	}
	for _, q := range v.Questions {
		add(q.Prompt, q.Explanation)
		for _, o := range q.Options {
			add(o.Text)
		}
	}
	banned := []string{"e.g.", "i.e.", "etc.", "organiz", "recogniz", "color", "center"}
	for _, s := range texts {
		lower := strings.ToLower(s)
		for _, b := range banned {
			if strings.Contains(lower, b) {
				t.Errorf("%q contains %q", s, b)
			}
		}
		if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
			t.Errorf("%q has stray spaces", s)
		}
	}
}
