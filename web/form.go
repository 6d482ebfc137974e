package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"upskill"
)

// Form holds what a person typed into a form and what is wrong with it, so
// that a page can show the NHS error summary and inline errors and keep
// their answers.
type Form struct {
	Values url.Values
	Errors []upskill.FieldError
}

// newForm starts a form from submitted values, or from defaults on a GET.
func newForm(values url.Values) *Form {
	if values == nil {
		values = url.Values{}
	}
	return &Form{Values: values}
}

// problem returns the form's first problem as an error, for answers that
// have no page to show the form on, or nil when it has none.
func (f *Form) problem() error {
	if f == nil || !f.HasErrors() {
		return nil
	}
	return upskill.Errorf(upskill.EINVALID, "%s.", f.Errors[0].Message)
}

// Get returns the trimmed value of a field.
func (f *Form) Get(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Int returns a field as a whole number, or 0.
func (f *Form) Int(name string) int64 {
	n, _ := strconv.ParseInt(f.Get(name), 10, 64)
	return n
}

// ErrorFor returns the message for one field, or "".
func (f *Form) ErrorFor(name string) string {
	for _, e := range f.Errors {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

// HasErrors reports whether the form is being shown again with problems.
func (f *Form) HasErrors() bool { return f != nil && len(f.Errors) > 0 }

// Add records a problem with a field.
func (f *Form) Add(field, message string) {
	f.Errors = append(f.Errors, upskill.FieldError{Field: field, Message: message})
}

// absorb takes the problems out of an error returned by the domain or the
// store. It reports false for errors that are not about the input, which
// the caller should fail with instead.
func (f *Form) absorb(err error) bool {
	switch upskill.ErrorCode(err) {
	case upskill.EINVALID, upskill.ECONFLICT:
	default:
		return false
	}
	if fields := upskill.ErrorFields(err); len(fields) > 0 {
		f.Errors = append(f.Errors, fields...)
	} else {
		f.Errors = append(f.Errors, upskill.FieldError{Message: upskill.ErrorMessage(err)})
	}
	return true
}

// Field is everything a template needs to draw one form control with its
// label, hint and error.
type Field struct {
	ID, Name, Label, Hint, Value, Error  string
	Type, Autocomplete, Class, Inputmode string
	// Heading makes the label the page's heading, for one-question pages.
	Heading bool
	Options []Option
}

// Option is one choice of a select, radios or checkboxes.
type Option struct {
	Value, Label, Hint string
	Selected           bool
	ID                 string // filled by options()
}

// field builds a Field for the named form value. The pairs set other
// properties: "label", "hint", "type", "autocomplete", "class", "inputmode",
// "heading" ("yes"), "id".
func field(f *Form, name string, pairs ...string) Field {
	fd := Field{ID: name, Name: name, Type: "text"}
	if f != nil {
		fd.Value = f.Values.Get(name)
		fd.Error = f.ErrorFor(name)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		v := pairs[i+1]
		switch pairs[i] {
		case "label":
			fd.Label = v
		case "hint":
			fd.Hint = v
		case "type":
			fd.Type = v
		case "autocomplete":
			fd.Autocomplete = v
		case "class":
			fd.Class = v
		case "inputmode":
			fd.Inputmode = v
		case "heading":
			fd.Heading = v == "yes"
		case "id":
			fd.ID = v
		default:
			panic("web: unknown field property " + pairs[i])
		}
	}
	return fd
}

// options gives a field its choices, marking those the form holds as
// selected and giving each an id (the first has the field's own id, so
// that the error summary's link lands on it).
func options(fd Field, f *Form, opts []Option) Field {
	var chosen []string
	if f != nil {
		chosen = f.Values[fd.Name]
	}
	fd.Options = make([]Option, len(opts))
	for i, o := range opts {
		o.Selected = false
		for _, c := range chosen {
			if c == o.Value {
				o.Selected = true
			}
		}
		o.ID = fd.ID
		if i > 0 {
			o.ID = fd.ID + "-" + strconv.Itoa(i+1)
		}
		fd.Options[i] = o
	}
	return fd
}

// Choice lists for forms.

func staffGroupOptions(blank string) []Option {
	out := []Option{{Value: "", Label: blank}}
	for _, g := range upskill.StaffGroups {
		out = append(out, Option{Value: string(g), Label: g.Label()})
	}
	return out
}

func payBandOptions() []Option {
	out := []Option{{Value: "", Label: "Not recorded"}}
	for _, b := range upskill.PayBands {
		out = append(out, Option{Value: string(b), Label: b.Label()})
	}
	return out
}

// ddatRoleOptions offers the specialist roles, family by family.
func ddatRoleOptions() []Option {
	opts := []Option{{Value: "", Label: "None"}}
	for _, r := range upskill.DDaTRoles {
		opts = append(opts, Option{Value: r.Code, Label: r.Family + ": " + r.Name})
	}
	return opts
}

func ddatLevelOptions() []Option {
	opts := []Option{{Value: "", Label: "None"}}
	for _, l := range upskill.DDaTLevels {
		opts = append(opts, Option{Value: l.Code, Label: l.Name, Hint: l.Description})
	}
	return opts
}

func orgTypeOptions() []Option {
	out := []Option{{Value: "", Label: "Select a type"}}
	for _, t := range upskill.OrgTypes {
		out = append(out, Option{Value: string(t), Label: t.Label()})
	}
	return out
}

func roleOptions(roles []upskill.Role) []Option {
	var out []Option
	for _, r := range roles {
		out = append(out, Option{Value: r.Key(), Label: r.Label(), Hint: r.Hint()})
	}
	return out
}

func unitOptions(units []upskill.Unit, blank string) []Option {
	out := []Option{{Value: "", Label: blank}}
	names := map[int64]string{}
	for _, u := range units {
		names[u.ID] = u.Name
		label := u.Name
		if u.Kind == upskill.UnitTeam {
			label = names[u.ParentID] + ": " + u.Name
		}
		out = append(out, Option{Value: strconv.FormatInt(u.ID, 10), Label: label})
	}
	return out
}

// rolesFrom reads the checked roles of a form.
func rolesFrom(f *Form) upskill.RoleSet {
	var set upskill.RoleSet
	for _, k := range f.Values["roles"] {
		if r, ok := upskill.ParseRole(k); ok {
			set = set.With(r)
		}
	}
	return set
}

// roleValues writes a role set into form values for checkboxes.
func roleValues(set upskill.RoleSet) []string {
	var out []string
	for _, r := range set.List() {
		out = append(out, r.Key())
	}
	return out
}

// DateField is a date asked for in three boxes, named prefix_day,
// prefix_month and prefix_year, as the NHS.UK date input does. Its
// problems are recorded against prefix_day, the first box.
type DateField struct {
	Field
	Prefix, Day, Month, Year string
}

// dateField builds a DateField; the pairs are as for field.
func dateField(f *Form, prefix string, pairs ...string) DateField {
	d := DateField{Field: field(f, prefix+"_day", pairs...), Prefix: prefix}
	if f != nil {
		d.Day, d.Month, d.Year = f.Get(prefix+"_day"), f.Get(prefix+"_month"), f.Get(prefix+"_year")
	}
	return d
}

// setDate fills a DateField's boxes from a time, for a form shown again.
func setDate(f *Form, prefix string, t time.Time) {
	f.Values.Set(prefix+"_day", strconv.Itoa(t.Day()))
	f.Values.Set(prefix+"_month", strconv.Itoa(int(t.Month())))
	f.Values.Set(prefix+"_year", strconv.Itoa(t.Year()))
}

// readDate reads a date from its three boxes. given is false when all
// three are empty. A date that does not exist, like 31 2 2027, adds
// message to the form against prefix_day.
func readDate(f *Form, prefix, message string) (t time.Time, given bool) {
	d, m, y := f.Get(prefix+"_day"), f.Get(prefix+"_month"), f.Get(prefix+"_year")
	if d == "" && m == "" && y == "" {
		return time.Time{}, false
	}
	day, e1 := strconv.Atoi(d)
	month, e2 := strconv.Atoi(m)
	year, e3 := strconv.Atoi(y)
	t = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if e1 != nil || e2 != nil || e3 != nil || t.Day() != day || int(t.Month()) != month || year < 2000 || year > 2100 {
		f.Add(prefix+"_day", message)
		return time.Time{}, true
	}
	return t, true
}
