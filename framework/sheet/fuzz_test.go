package sheet

import (
	"bytes"
	"testing"

	"upskill"
	"upskill/framework"
)

// checkRead is what every read must satisfy, whatever its input: an error
// is an EINVALID *upskill.Error that says where each problem is, and a
// file accepted passes Validate and can be written again.
func checkRead(t *testing.T, f *framework.File, err error) {
	if err != nil {
		fields := upskill.ErrorFields(err)
		if upskill.ErrorCode(err) != upskill.EINVALID || len(fields) == 0 {
			t.Fatalf("error %v is not EINVALID with fields", err)
		}
		for _, fe := range fields {
			if fe.Field == "" || fe.Message == "" {
				t.Fatalf("problem without a place or a message: %+v", fe)
			}
		}
		return
	}
	if err := f.Version.Validate(); err != nil {
		t.Fatalf("accepted a version that does not pass Validate: %v", err)
	}
	if msg := upskill.ValidateFrameworkKey(f.Framework.Key); msg != "" || f.Framework.Name == "" {
		t.Fatalf("accepted framework %+v", f.Framework)
	}
}

// seeds adds templates written from a cut-down default framework, from a
// small one with the question types the default lacks, and from a blank
// one. They are kept small because the fuzzer minimises every input it
// finds interesting, which takes long for a large one.
func seeds(f *testing.F, write func(*bytes.Buffer, *framework.File) error) {
	cut := defaultFile(f)
	v := &cut.Version
	v.Domains = v.Domains[:2]
	for i := range v.Domains {
		v.Domains[i].Capabilities = v.Domains[i].Capabilities[:2]
	}
	v.Questions = []upskill.CheckQuestion{v.Questions[0], v.Questions[len(v.Questions)-1]}
	v.Questions[0].CapabilityCode = "1.2"
	v.Questions[1].DomainCode, v.Questions[1].CapabilityCode = "2", ""
	for _, s := range texts(cut) {
		if r := []rune(*s); len(r) > 24 {
			*s = string(r[:24])
		}
	}

	small := &framework.File{Framework: upskill.Framework{Key: "k", Name: "N"},
		Version: upskill.FrameworkVersion{Title: "T", Identifier: "i", Levels: v.Levels[:2], Bands: v.Bands[:1]}}
	small.Version.Domains = []upskill.Domain{{Code: "1", Name: "D", Identifier: "j", Capabilities: []upskill.Capability{
		{Code: "1.1", Statement: "S", Type: upskill.QuestionLevels, Descriptors: []string{"a", "b"}},
		{Code: "1.2", Statement: "- T", Type: upskill.QuestionYesNo}}}}
	small.Version.Questions = []upskill.CheckQuestion{{Code: "Q", DomainCode: "1", Kind: upskill.QuestionMultiple,
		Prompt: "P", Explanation: "E", Options: []upskill.CheckOption{{Text: "x", Correct: true}, {Text: "y"}, {Text: "z", Correct: true}}}}

	blank := &framework.File{Version: upskill.FrameworkVersion{Levels: v.Levels, Bands: v.Bands}}

	for _, file := range []*framework.File{cut, small, blank} {
		var b bytes.Buffer
		if err := write(&b, file); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
}

func FuzzReadCSV(f *testing.F) {
	seeds(f, func(b *bytes.Buffer, file *framework.File) error { return WriteCSV(b, &file.Framework, &file.Version) })
	f.Add([]byte("Record,Code,Name\nFramework,k,\"N\nM\"\n\n,,\nVersion,,T\n"))
	f.Add([]byte("\xef\xbb\xbfRecord;Name;Minimum score\nBand;Low;0\nLevel;'=1;x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ReadCSV(bytes.NewReader(data))
		checkRead(t, file, err)
		if err != nil {
			return
		}
		// What was read is what the template holds, so it reads back
		// the same.
		var b bytes.Buffer
		if err := WriteCSV(&b, &file.Framework, &file.Version); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		again, err := ReadCSV(&b)
		if err != nil {
			t.Fatalf("ReadCSV of what WriteCSV wrote: %v %+v", err, upskill.ErrorFields(err))
		}
		if jsonOf(t, again) != jsonOf(t, file) {
			t.Fatalf("read back differently:\n%s\nwant\n%s", jsonOf(t, again), jsonOf(t, file))
		}
	})
}

// FuzzReadXLSX is light: most changes to a zip only break it, and excelize
// is slow to fuzz. What matters is that ReadXLSX never panics or accepts
// what it should not.
func FuzzReadXLSX(f *testing.F) {
	seeds(f, func(b *bytes.Buffer, file *framework.File) error { return WriteXLSX(b, &file.Framework, &file.Version) })
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ReadXLSX(bytes.NewReader(data))
		checkRead(t, file, err)
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := WriteXLSX(&b, &file.Framework, &file.Version); err != nil {
			t.Fatalf("WriteXLSX: %v", err)
		}
		again, err := ReadXLSX(&b)
		if err != nil {
			t.Fatalf("ReadXLSX of what WriteXLSX wrote: %v %+v", err, upskill.ErrorFields(err))
		}
		if jsonOf(t, again) != jsonOf(t, file) {
			t.Fatalf("read back differently")
		}
	})
}

// texts points at every text of a file that people write, so that the
// seeds can be cut down.
func texts(f *framework.File) []*string {
	v := &f.Version
	out := []*string{&f.Framework.Description, &v.Title, &v.Description}
	for i := range v.Levels {
		out = append(out, &v.Levels[i].Description)
	}
	for i := range v.Bands {
		out = append(out, &v.Bands[i].Description)
	}
	for _, c := range v.Capabilities() {
		out = append(out, &c.Statement, &c.Guidance)
		for j := range c.Descriptors {
			out = append(out, &c.Descriptors[j])
		}
	}
	for i := range v.Domains {
		out = append(out, &v.Domains[i].Description)
	}
	for i := range v.Questions {
		q := &v.Questions[i]
		out = append(out, &q.Prompt, &q.Explanation)
		for j := range q.Options {
			out = append(out, &q.Options[j].Text)
		}
	}
	return out
}
