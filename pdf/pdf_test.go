package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"upskill"
)

func TestReport(t *testing.T) {
	r := upskill.Report{Now: 5.2, Needed: 7, Gap: 1.9, Band: "Capable", Answered: 32, Total: 32,
		Domains: []upskill.DomainResult{
			{Code: "1", Name: "Digital identity, wellbeing, safety and security", Now: 5, Needed: 8, Gap: 3, Band: "Capable"},
			{Code: "2", Name: "Communication, collaboration and participation", Now: 9.5, Needed: 6, Band: "Proficient"},
		},
		Strengths:   []upskill.CapabilityResult{{Statement: "I can join a video call", Now: 9, Needed: 6}},
		Development: []upskill.CapabilityResult{{Statement: "I can spot a phishing email", Now: 3, Needed: 8, Gap: 5}},
	}
	var buf bytes.Buffer
	when := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	err := Report(&buf, ReportInput{PersonName: "Paweł Żółć-O'Neill", FrameworkName: "Health and Care Digital Capabilities Framework",
		OrganisationName: "Alder Hospitals NHS Trust", Submitted: when, Report: r,
		Bands: []upskill.Band{{Name: "Developing", Min: 0}, {Name: "Capable", Min: 4}}, Notes: []string{"Your rating fits your answers."}})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "%PDF-") || !strings.Contains(out, "%%EOF") || buf.Len() < 5000 {
		t.Fatalf("not a whole PDF: %d bytes", buf.Len())
	}
	// The same input gives the same bytes.
	var again bytes.Buffer
	Report(&again, ReportInput{PersonName: "Paweł Żółć-O'Neill", FrameworkName: "Health and Care Digital Capabilities Framework",
		OrganisationName: "Alder Hospitals NHS Trust", Submitted: when, Report: r,
		Bands: []upskill.Band{{Name: "Developing", Min: 0}, {Name: "Capable", Min: 4}}, Notes: []string{"Your rating fits your answers."}})
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two renderings of one report differ")
	}
}

// TestReportWithCharactersTheFontsLack makes sure that names and framework
// text with emoji or scripts the fonts do not cover still make a report:
// fpdf panics on characters outside the Basic Multilingual Plane.
func TestReportWithCharactersTheFontsLack(t *testing.T) {
	r := upskill.Report{Band: "Capable 👍", Domains: []upskill.DomainResult{{Code: "1", Name: "Safety 🔒 安全", Now: 5, Needed: 7, Band: "Developing"}}}
	var buf bytes.Buffer
	if err := Report(&buf, ReportInput{PersonName: "Sam 😀 Okafor", FrameworkName: "Framework 🧭", Submitted: time.Now(), Report: r,
		Notes: []string{"A note with an emoji 🎉"}}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatal("not a PDF")
	}
}
