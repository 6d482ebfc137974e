package casefmt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"upskill"
	"upskill/framework"
)

// Read reads a CASE package into a framework and one version of it, and
// checks the version as Validate does. The package is treated as hostile:
// it may be at most framework.MaxFileSize bytes, and every problem is
// reported in an *upskill.Error with the code upskill.EINVALID, with one
// field error per problem whose Field says where in the package it is,
// such as "CFItems[12].fullStatement". Problems with the file as a whole,
// such as a file that is not JSON, have an empty Field.
func Read(r io.Reader) (*framework.File, error) {
	b, err := io.ReadAll(io.LimitReader(r, framework.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > framework.MaxFileSize {
		return nil, fileError(fmt.Sprintf("The file is larger than %d MB. Split the framework or remove what is not needed.", framework.MaxFileSize>>20))
	}
	rd := &reader{}
	f := rd.read(b)
	if err := rd.pr.err(); err != nil {
		return nil, err
	}
	return f, nil
}

func fileError(msg string) error {
	return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Message: msg}}}
}

// maxItems is the most items a package can hold and still be a framework
// upskill takes; a package with more is refused before it is looked at.
const maxItems = upskill.MaxDomains + upskill.MaxCapabilities*(1+upskill.MaxLevels) +
	upskill.MaxLevels + upskill.MaxBands + upskill.MaxQuestions*(1+upskill.MaxOptions)

// maxProblems caps the problems reported, so that a hostile package with
// thousands of faults costs little and the list stays readable.
const maxProblems = 100

// problems collects field errors, with the cap above.
type problems struct {
	prefix string // "CFPackage." when the package came wrapped
	list   upskill.Problems
	n      int
}

func (pr *problems) add(field, format string, args ...any) {
	if pr.n > maxProblems {
		return
	}
	pr.n++
	if pr.n > maxProblems {
		pr.list.Add("", "There are more problems than these. Fix these, then try again.")
		return
	}
	if field != "" {
		field = pr.prefix + field
	}
	pr.list.Add(field, fmt.Sprintf(format, args...))
}

func (pr *problems) any() bool { return pr.n > 0 }

func (pr *problems) err() error {
	err := pr.list.Err()
	if e, ok := err.(*upskill.Error); ok && len(e.Fields) > 1 {
		e.Message = fmt.Sprintf("The CASE package has %d problems. The first: %s", len(e.Fields), e.Message)
	}
	return err
}

// The parts of a package that Read uses. Fields it does not use are not
// decoded, so that a package is not refused over something upskill
// ignores; names match without regard to case, as encoding/json does.
type (
	linkIn struct {
		Identifier string `json:"identifier"`
	}
	documentIn struct {
		Identifier      string   `json:"identifier"`
		Title           string   `json:"title"`
		Description     string   `json:"description"`
		Version         string   `json:"version"`
		AdoptionStatus  string   `json:"adoptionStatus"`
		StatusStartDate string   `json:"statusStartDate"`
		SubjectURI      []linkIn `json:"subjectURI"`
	}
	itemIn struct {
		Identifier        string   `json:"identifier"`
		FullStatement     string   `json:"fullStatement"`
		HumanCodingScheme string   `json:"humanCodingScheme"`
		Notes             string   `json:"notes"`
		ConceptKeywords   []string `json:"conceptKeywords"`
		CFItemType        string   `json:"CFItemType"`
		CFItemTypeURI     *linkIn  `json:"CFItemTypeURI"`
	}
	associationIn struct {
		Identifier         string  `json:"identifier"`
		AssociationType    string  `json:"associationType"`
		SequenceNumber     *int    `json:"sequenceNumber"`
		OriginNodeURI      *linkIn `json:"originNodeURI"`
		DestinationNodeURI *linkIn `json:"destinationNodeURI"`
	}
	definitionsIn struct {
		CFSubjects  json.RawMessage `json:"CFSubjects"`
		CFItemTypes json.RawMessage `json:"CFItemTypes"`
	}
	subjectIn struct {
		Identifier    string `json:"identifier"`
		Title         string `json:"title"`
		HierarchyCode string `json:"hierarchyCode"`
		Description   string `json:"description"`
	}
	itemTypeIn struct {
		Identifier string `json:"identifier"`
		Title      string `json:"title"`
	}
)

// topLevel lists what a package may hold. CFRubrics and the extensions of
// CASE 1.1 are allowed and ignored.
var topLevel = []string{"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics", "extensions"}

// reader holds a package while it is checked and converted.
type reader struct {
	pr        problems
	doc       documentIn
	docID     string
	items     []itemIn
	ids       []string // the identifier of each item, in lower case
	assocs    []associationIn
	subjects  []subjectIn
	itemTypes []itemTypeIn
	index     map[string]int // item identifier to index

	parent   []int   // index of each item's isChildOf association, or -1
	related  [][]int // isRelatedTo associations from each item
	children [][]int // children of the document (at 0) and of each item (at i+1), in order
	kind     []kind

	// where maps upskill's name for each part of the version, such as
	// "domains[1].capabilities[0]", to its item, so that the problems
	// Validate finds can be reported where they are in the package.
	where map[string]string
}

// The document stands for itself in parent and children.
const documentNode = -1

func (rd *reader) read(b []byte) *framework.File {
	if !rd.parse(b) || !rd.identify() || !rd.connect() {
		return nil
	}
	f := rd.convert()
	if f == nil {
		return nil
	}
	if err := f.Version.Validate(); err != nil {
		for _, fe := range upskill.ErrorFields(err) {
			rd.pr.add(rd.translate(fe.Field), "%s", rd.translateMessage(fe.Message))
		}
		return nil
	}
	return f
}

// parse checks the shape of the file and decodes the parts Read uses.
func (rd *reader) parse(b []byte) bool {
	pr := &rd.pr
	b = bytes.TrimPrefix(b, byteOrderMark)
	if len(bytes.TrimSpace(b)) == 0 {
		pr.add("", "The file is empty. Choose a CASE package: a JSON file with a CFDocument, CFItems and CFAssociations.")
		return false
	}
	if !isKind(b, '{') {
		// Say what the file holds, if it is JSON at all.
		var v json.RawMessage
		switch err := json.Unmarshal(b, &v); {
		case err != nil:
			pr.add("", "%s", describeSyntaxError(err))
		case isKind(b, '['):
			pr.add("", "The file holds a list ([ ... ]), not a CASE package. A CASE package is one JSON object ({ ... }) with a CFDocument, CFItems and CFAssociations.")
		default:
			pr.add("", "The file holds a single value, not a CASE package. A CASE package is one JSON object ({ ... }) with a CFDocument, CFItems and CFAssociations.")
		}
		return false
	}
	// One pass through a Decoder, rather than checking and then
	// unmarshalling, since encoding/json reads every byte on each pass.
	dec := json.NewDecoder(bytes.NewReader(b))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		pr.add("", "%s", describeSyntaxError(err))
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		pr.add("", "The file has more after the CASE package. It must hold one package and nothing else.")
		return false
	}
	// Some CASE services send the package wrapped in a CFPackage object.
	if inner, ok := top["CFPackage"]; ok && len(top) == 1 && isKind(inner, '{') {
		top = nil
		json.Unmarshal(inner, &top)
		pr.prefix = "CFPackage."
	}
	if _, ok := top["CFDocument"]; !ok {
		switch {
		case top["framework"] != nil && top["version"] != nil:
			pr.add("", "This is a framework in upskill's own JSON, not a CASE package. Upload it as upskill JSON instead.")
		case top["CFDocuments"] != nil:
			pr.add("", "This is a list of CASE documents, not a package. Download the CFPackage of the framework you want instead.")
		default:
			pr.add("", "The file is not a CASE package: it has no CFDocument.")
		}
		return false
	}
	var unknown []string
	for k := range top {
		if !slices.Contains(topLevel, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown) // map order is random; the report must not be
	for _, k := range unknown {
		pr.add(k, "A CASE package holds only CFDocument, CFItems, CFAssociations, CFDefinitions and CFRubrics. Remove %s or correct its name: names are case-sensitive.", k)
	}
	if pr.any() {
		return false
	}

	if !isKind(top["CFDocument"], '{') {
		pr.add("CFDocument", "Make the CFDocument an object ({ ... }) that describes the framework.")
	} else {
		decode(pr, "CFDocument", top["CFDocument"], &rd.doc)
	}
	rd.items = decodeList[itemIn](pr, "CFItems", top["CFItems"])
	if pr.any() {
		return false // perhaps too many items: do not spend more on them
	}
	rd.assocs = decodeList[associationIn](pr, "CFAssociations", top["CFAssociations"])
	if raw := top["CFDefinitions"]; !isNull(raw) {
		if !isKind(raw, '{') {
			pr.add("CFDefinitions", "Make CFDefinitions an object ({ ... }).")
		} else {
			var defs definitionsIn
			decode(pr, "CFDefinitions", raw, &defs)
			rd.subjects = decodeList[subjectIn](pr, "CFDefinitions.CFSubjects", defs.CFSubjects)
			rd.itemTypes = decodeList[itemTypeIn](pr, "CFDefinitions.CFItemTypes", defs.CFItemTypes)
		}
	}
	if raw := top["CFRubrics"]; !isNull(raw) && !isKind(raw, '[') {
		pr.add("CFRubrics", "Make CFRubrics a list ([ ... ]).")
	}
	return !pr.any()
}

// identify checks that the document, every item and every association has
// an identifier of its own, in the form of a UUID.
func (rd *reader) identify() bool {
	pr := &rd.pr
	seen := map[string]string{}
	check := func(field, what, id string) string {
		id = strings.ToLower(strings.TrimSpace(id))
		switch {
		case id == "":
			pr.add(field, "Give %s an identifier: a UUID, such as %s.", what, exampleUUID)
		case !isUUID(id):
			pr.add(field, "The identifier of %s, %q, is not a UUID. Use the form %s.", what, shorten(id, 40), exampleUUID)
		default:
			if other, ok := seen[id]; ok {
				pr.add(field, "%s has the identifier %s, which %s has too. Give each its own identifier.", capitalise(what), id, other)
			} else {
				seen[id] = what
			}
		}
		return id
	}
	rd.docID = check("CFDocument.identifier", "the CFDocument", rd.doc.Identifier)
	if strings.TrimSpace(rd.doc.Title) == "" {
		pr.add("CFDocument.title", "Give the CFDocument a title: the title of the framework version.")
	}
	rd.ids = make([]string, len(rd.items))
	rd.index = make(map[string]int, len(rd.items))
	for i, it := range rd.items {
		rd.ids[i] = check(fmt.Sprintf("CFItems[%d].identifier", i), fmt.Sprintf("CFItems[%d]", i), it.Identifier)
		rd.index[rd.ids[i]] = i
	}
	for j, a := range rd.assocs {
		check(fmt.Sprintf("CFAssociations[%d].identifier", j), fmt.Sprintf("CFAssociations[%d]", j), a.Identifier)
	}
	return !pr.any()
}

const exampleUUID = "0f8fad5b-d9cb-469f-a165-70867728950e"

// connect follows the isChildOf associations and checks that they make a
// tree with the document at its top: every item has one parent, every
// association points to something in the package and nothing is its own
// ancestor.
func (rd *reader) connect() bool {
	pr := &rd.pr
	n := len(rd.items)
	rd.parent = make([]int, n)
	for i := range rd.parent {
		rd.parent[i] = -1
	}
	rd.related = make([][]int, n)
	for j, a := range rd.assocs {
		field := fmt.Sprintf("CFAssociations[%d]", j)
		typ := strings.TrimSpace(a.AssociationType)
		switch {
		case typ == "":
			pr.add(field+".associationType", "Give %s an associationType, such as isChildOf.", field)
		case strings.EqualFold(typ, "isChildOf"):
			origin, ok := rd.end(field, "originNodeURI", "the child", a.OriginNodeURI)
			if !ok {
				continue
			}
			if origin == rd.docID {
				pr.add(field+".originNodeURI", "%s makes the CFDocument a child. The document is the top of the tree: only items can be children.", field)
				continue
			}
			child, ok := rd.index[origin]
			if !ok {
				pr.add(field+".originNodeURI", "%s points to an item, %s, that the package does not contain. Add the item to CFItems or remove the association.", field, origin)
				continue
			}
			dest, ok := rd.end(field, "destinationNodeURI", "the parent", a.DestinationNodeURI)
			if !ok {
				continue
			}
			if _, ok := rd.index[dest]; !ok && dest != rd.docID {
				pr.add(field+".destinationNodeURI", "%s points to an item, %s, that the package does not contain. Make the parent the CFDocument or an item in CFItems.", field, dest)
				continue
			}
			if other := rd.parent[child]; other >= 0 {
				pr.add(field, "%s has two parents: CFAssociations[%d] and %s both make it a child. An item can have only one parent, so remove one of them.", rd.label(child), other, field)
				continue
			}
			rd.parent[child] = j
		case strings.EqualFold(typ, "isRelatedTo"):
			// Only the links from knowledge checks matter; others may point
			// anywhere, even outside the package.
			if a.OriginNodeURI != nil {
				if i, ok := rd.index[strings.ToLower(strings.TrimSpace(a.OriginNodeURI.Identifier))]; ok {
					rd.related[i] = append(rd.related[i], j)
				}
			}
		}
	}
	if pr.any() {
		return false
	}
	for i := range rd.items {
		if rd.parent[i] < 0 {
			pr.add(fmt.Sprintf("CFItems[%d]", i), "%s has no parent. Add a CFAssociation of type isChildOf from it to the CFDocument, or to the item it belongs under.", rd.label(i))
		}
	}
	if pr.any() {
		return false
	}
	rd.findCycles()
	if pr.any() {
		return false
	}

	// Children in order: by sequenceNumber, those without one last, and
	// otherwise in the order of the associations.
	rd.children = make([][]int, n+1)
	for i := range rd.items {
		p := rd.parentOf(i)
		rd.children[p+1] = append(rd.children[p+1], i)
	}
	for _, list := range rd.children {
		slices.SortStableFunc(list, func(a, b int) int {
			sa, sb := rd.assocs[rd.parent[a]].SequenceNumber, rd.assocs[rd.parent[b]].SequenceNumber
			switch {
			case sa == nil && sb == nil:
				return rd.parent[a] - rd.parent[b]
			case sa == nil:
				return 1
			case sb == nil:
				return -1
			case *sa != *sb:
				if *sa < *sb {
					return -1
				}
				return 1
			}
			return rd.parent[a] - rd.parent[b]
		})
	}
	return true
}

// end returns the identifier an association points to at one end.
func (rd *reader) end(field, name, what string, l *linkIn) (string, bool) {
	if l == nil || strings.TrimSpace(l.Identifier) == "" {
		rd.pr.add(field+"."+name, "Give %s a %s with the identifier of %s.", field, name, what)
		return "", false
	}
	return strings.ToLower(strings.TrimSpace(l.Identifier)), true
}

// parentOf returns the index of an item's parent, or documentNode.
func (rd *reader) parentOf(i int) int {
	dest := strings.ToLower(strings.TrimSpace(rd.assocs[rd.parent[i]].DestinationNodeURI.Identifier))
	if dest == rd.docID {
		return documentNode
	}
	return rd.index[dest]
}

// findCycles reports each circle of isChildOf associations once, at the
// association that comes first in the file. Every item has one parent by
// now, so an item that does not lead up to the document is in a circle or
// below one.
func (rd *reader) findCycles() {
	const (
		unseen = iota
		onPath
		good
		bad
	)
	state := make([]uint8, len(rd.items))
	var path []int
	for start := range rd.items {
		path = path[:0]
		x := start
		for {
			if x == documentNode || state[x] == good || state[x] == bad {
				mark := uint8(good)
				if x != documentNode {
					mark = state[x]
				}
				for _, y := range path {
					state[y] = mark
				}
				break
			}
			if state[x] == onPath {
				circle := path[slices.Index(path, x):]
				first := slices.MinFunc(circle, func(a, b int) int { return rd.parent[a] - rd.parent[b] })
				field := fmt.Sprintf("CFAssociations[%d]", rd.parent[first])
				if len(circle) == 1 {
					rd.pr.add(field+".destinationNodeURI", "%s makes %s a child of itself. Make its parent the CFDocument or the item it belongs under.", field, rd.label(first))
				} else {
					rd.pr.add(field+".destinationNodeURI", "The isChildOf associations go round in a circle: %s is a child of %s, which is itself below %s. Change %s so that every item leads up to the CFDocument.",
						rd.label(first), rd.label(rd.parentOf(first)), rd.label(first), field)
				}
				for _, y := range path {
					state[y] = bad
				}
				break
			}
			state[x] = onPath
			path = append(path, x)
			x = rd.parentOf(x)
		}
	}
}

// label names an item in a message, with its code, or for an item
// without one (or a band, whose humanCodingScheme is a score) the start of
// its statement, so that a person can find it.
func (rd *reader) label(i int) string {
	it := rd.items[i]
	code := strings.TrimSpace(it.HumanCodingScheme)
	if code != "" && len(code) <= 40 && (rd.kind == nil || rd.kind[i] != kindBand) {
		return fmt.Sprintf("CFItems[%d] (%s)", i, code)
	}
	if s := shorten(it.FullStatement, 40); s != "" {
		return fmt.Sprintf("CFItems[%d] (\"%s\")", i, s)
	}
	return fmt.Sprintf("CFItems[%d]", i)
}

// declared returns the kind an item's type names: its CFItemType, or the
// title of the definition its CFItemTypeURI points to.
func (rd *reader) declared(i int) kind {
	it := rd.items[i]
	title := strings.TrimSpace(it.CFItemType)
	if title == "" && it.CFItemTypeURI != nil {
		id := strings.ToLower(strings.TrimSpace(it.CFItemTypeURI.Identifier))
		for _, t := range rd.itemTypes {
			if strings.ToLower(strings.TrimSpace(t.Identifier)) == id {
				title = strings.TrimSpace(t.Title)
				break
			}
		}
	}
	return kindOf(title)
}

// allowed says which kinds may be children of each kind, and which kind
// an item of unknown type takes there.
var allowed = map[kind]struct {
	kinds    []kind
	inferred kind
}{
	kindNone:       {[]kind{kindDomain, kindLevel, kindBand}, kindDomain}, // the document
	kindDomain:     {[]kind{kindCapability, kindQuestion}, kindCapability},
	kindCapability: {[]kind{kindDescriptor}, kindNone},
	kindQuestion:   {[]kind{kindOption}, kindOption},
}

// parentWords says where each kind belongs, for messages.
var parentWords = map[kind]string{
	kindDomain:     "the CFDocument",
	kindLevel:      "the CFDocument",
	kindBand:       "the CFDocument",
	kindCapability: "a domain",
	kindQuestion:   "a domain",
	kindDescriptor: "a capability",
	kindOption:     "a knowledge check",
}

// classify gives every item its kind, from the top of the tree down, and
// reports items whose type does not fit where they are.
func (rd *reader) classify() bool {
	pr := &rd.pr
	rd.kind = make([]kind, len(rd.items))
	var walk func(parent int, parentKind kind)
	walk = func(parent int, parentKind kind) {
		rule, ok := allowed[parentKind]
		for _, c := range rd.children[parent+1] {
			k := rd.declared(c)
			where := "the CFDocument"
			if parent != documentNode {
				where = fmt.Sprintf("%s, %s", rd.label(parent), withArticle(kinds[parentKind].word))
			}
			switch {
			case !ok:
				pr.add(fmt.Sprintf("CFItems[%d]", c), "%s is a child of %s, which cannot have children. Move it or remove it.", rd.label(c), where)
				continue
			case k == kindNone && rule.inferred == kindNone:
				pr.add(fmt.Sprintf("CFItems[%d].CFItemType", c), "%s sits below %s. upskill frameworks have two tiers, domains and capabilities: move it up, or give it the CFItemType Level descriptor if it describes one level of the capability.", rd.label(c), where)
				continue
			case k == kindNone:
				// No type, or one of another tool such as "Standard": its
				// place decides what it is.
				k = rule.inferred
			case !slices.Contains(rule.kinds, k):
				pr.add(fmt.Sprintf("CFItems[%d].CFItemType", c), "%s is %s, so make it a child of %s, not of %s.", rd.label(c), withArticle(kinds[k].word), parentWords[k], where)
				continue
			}
			rd.kind[c] = k
			walk(c, k)
		}
	}
	walk(documentNode, kindNone)
	return !pr.any()
}

// convert builds the framework and version from the tree.
func (rd *reader) convert() *framework.File {
	if !rd.classify() {
		return nil
	}
	pr := &rd.pr
	rd.where = map[string]string{}
	f := &framework.File{}
	v := &f.Version
	v.Title = rd.doc.Title
	v.Description = rd.doc.Description
	v.Identifier = rd.docID
	if n, err := strconv.Atoi(strings.TrimSpace(rd.doc.Version)); err == nil {
		v.Number = n
	}
	v.Status = versionStatus(rd.doc.AdoptionStatus)
	if t, err := time.Parse(time.DateOnly, strings.TrimSpace(rd.doc.StatusStartDate)); err == nil {
		v.PublishedAt = t
	}
	f.Framework = rd.framework()

	for i := range rd.items {
		if strings.TrimSpace(rd.items[i].FullStatement) == "" {
			pr.add(fmt.Sprintf("CFItems[%d].fullStatement", i), "Give every %s a fullStatement%s.", kinds[rd.kind[i]].word, fullStatementHints[rd.kind[i]])
		}
	}

	// Levels first, since descriptors are checked against them.
	top := rd.children[0]
	for _, c := range top {
		it := rd.items[c]
		switch rd.kind[c] {
		case kindLevel:
			rd.where[fmt.Sprintf("levels[%d]", len(v.Levels))] = fmt.Sprintf("CFItems[%d]", c)
			v.Levels = append(v.Levels, upskill.FrameworkLevel{Number: len(v.Levels) + 1, Name: it.FullStatement, Description: it.Notes})
		case kindBand:
			rd.where[fmt.Sprintf("bands[%d]", len(v.Bands))] = fmt.Sprintf("CFItems[%d]", c)
			min, ok := parseScore(it.HumanCodingScheme)
			if !ok {
				pr.add(fmt.Sprintf("CFItems[%d].humanCodingScheme", c), "Give the band %s the score it starts at as its humanCodingScheme: a number from 0 to 10, such as 4 or 6.5.", rd.label(c))
			}
			v.Bands = append(v.Bands, upskill.Band{Name: it.FullStatement, Min: min, Description: it.Notes})
		}
	}
	if len(v.Levels) == 0 {
		v.Levels = defaultLevels()
	}
	if len(v.Bands) == 0 {
		v.Bands = defaultBands()
	}

	// Knowledge checks are gathered while the domains are read, and their
	// domain and capability codes filled in once every code is known.
	type questionAt struct {
		item, domain int
		capability   [2]int // domain and place of the capability it tests
		tests        bool
	}
	var questions []questionAt
	capAt := map[int][2]int{} // capability item to its domain and place
	for _, c := range top {
		if rd.kind[c] != kindDomain {
			continue
		}
		di := len(v.Domains)
		rd.where[fmt.Sprintf("domains[%d]", di)] = fmt.Sprintf("CFItems[%d]", c)
		it := rd.items[c]
		d := upskill.Domain{Code: strings.TrimSpace(it.HumanCodingScheme), Name: it.FullStatement, Description: it.Notes, Identifier: rd.ids[c]}
		for _, cc := range rd.children[c+1] {
			if rd.kind[cc] == kindQuestion {
				questions = append(questions, questionAt{item: cc, domain: di})
				continue
			}
			ci := len(d.Capabilities)
			rd.where[fmt.Sprintf("domains[%d].capabilities[%d]", di, ci)] = fmt.Sprintf("CFItems[%d]", cc)
			capAt[cc] = [2]int{di, ci}
			d.Capabilities = append(d.Capabilities, rd.capability(cc, di, ci, len(v.Levels)))
		}
		v.Domains = append(v.Domains, d)
	}

	for qi := range questions {
		q := &questions[qi]
		rd.where[fmt.Sprintf("questions[%d]", qi)] = fmt.Sprintf("CFItems[%d]", q.item)
		it := rd.items[q.item]
		cq := upskill.CheckQuestion{Code: strings.TrimSpace(it.HumanCodingScheme), Prompt: it.FullStatement, Explanation: it.Notes}
		cq.Kind = upskill.QuestionKind(rd.keyword(q.item, string(upskill.QuestionSingle), string(upskill.QuestionMultiple)))
		if cq.Kind == "" {
			pr.add(fmt.Sprintf("CFItems[%d].conceptKeywords", q.item), "Say whether the knowledge check %s takes one answer or several: put single or multiple in its conceptKeywords.", rd.label(q.item))
		}
		for oi, o := range rd.children[q.item+1] {
			rd.where[fmt.Sprintf("questions[%d].options[%d]", qi, oi)] = fmt.Sprintf("CFItems[%d]", o)
			opt := upskill.CheckOption{Text: rd.items[o].FullStatement}
			switch rd.keyword(o, keywordCorrect, keywordIncorrect) {
			case keywordCorrect:
				opt.Correct = true
			case "":
				pr.add(fmt.Sprintf("CFItems[%d].conceptKeywords", o), "Say whether the answer option %s is right: put correct or incorrect in its conceptKeywords.", rd.label(o))
			}
			cq.Options = append(cq.Options, opt)
		}
		for k, j := range rd.related[q.item] {
			field := fmt.Sprintf("CFAssociations[%d]", j)
			dest, ok := rd.end(field, "destinationNodeURI", "the capability", rd.assocs[j].DestinationNodeURI)
			if !ok {
				continue
			}
			target, ok := rd.index[dest]
			switch {
			case !ok:
				pr.add(field+".destinationNodeURI", "%s points to an item, %s, that the package does not contain. Link the knowledge check to a capability in CFItems.", field, dest)
			case rd.kind[target] != kindCapability:
				pr.add(field+".destinationNodeURI", "%s links the knowledge check %s to %s, which is not a capability. Link it to the capability it tests.", field, rd.label(q.item), rd.label(target))
			case k > 0:
				pr.add(field, "The knowledge check %s is linked to more than one capability. Keep only the isRelatedTo association to the capability it tests most closely.", rd.label(q.item))
			default:
				q.capability, q.tests = capAt[target], true
			}
		}
		v.Questions = append(v.Questions, cq)
	}
	if pr.any() {
		return nil
	}

	questionDomains := make([]int, len(questions))
	for i, q := range questions {
		questionDomains[i] = q.domain
	}
	rd.fillCodes(v, questionDomains)
	for i, q := range questions {
		if q.tests {
			v.Questions[i].CapabilityCode = v.Domains[q.capability[0]].Capabilities[q.capability[1]].Code
		}
	}
	return f
}

var fullStatementHints = map[kind]string{
	kindDomain:   ": the name of the domain",
	kindLevel:    ": the name of the level",
	kindBand:     ": the name of the band",
	kindQuestion: ": the question",
	kindOption:   ": the text of the answer",
}

// capability converts a capability item and its level descriptors.
func (rd *reader) capability(i, di, ci, levels int) upskill.Capability {
	pr := &rd.pr
	it := rd.items[i]
	c := upskill.Capability{Code: strings.TrimSpace(it.HumanCodingScheme), Statement: it.FullStatement, Guidance: it.Notes, Identifier: rd.ids[i]}
	c.Type = upskill.QuestionScale
	if kw := rd.keyword(i, string(upskill.QuestionScale), string(upskill.QuestionLevels), string(upskill.QuestionYesNo)); kw != "" {
		c.Type = upskill.QuestionType(kw)
	}
	descriptors := rd.children[i+1]
	if len(descriptors) == 0 {
		return c
	}
	c.Descriptors = make([]string, levels)
	at := make([]int, levels) // the item describing each level, plus one
	faulty := false
	for _, d := range descriptors {
		j := rd.parent[d]
		field := fmt.Sprintf("CFAssociations[%d].sequenceNumber", j)
		seq := rd.assocs[j].SequenceNumber
		switch {
		case seq == nil:
			faulty = true
			pr.add(field, "Give CFAssociations[%d] a sequenceNumber: the number of the level that the level descriptor %s describes, from 1 to %d.", j, rd.label(d), levels)
		case *seq < 1 || *seq > levels:
			faulty = true
			pr.add(field, "CFAssociations[%d] puts the level descriptor %s at level %d, but the framework has %d levels. Make its sequenceNumber the number of its level, from 1 to %d.", j, rd.label(d), *seq, levels, levels)
		case at[*seq-1] != 0:
			faulty = true
			pr.add(field, "%s and %s both describe level %d of the capability %s. Give each level one descriptor.", rd.label(at[*seq-1]-1), rd.label(d), *seq, rd.label(i))
		default:
			at[*seq-1] = d + 1
			c.Descriptors[*seq-1] = rd.items[d].FullStatement
			rd.where[fmt.Sprintf("domains[%d].capabilities[%d].descriptors[%d]", di, ci, *seq-1)] = fmt.Sprintf("CFItems[%d]", d)
		}
	}
	if !faulty {
		// Report the first gap only: one message says what to do.
		if l := slices.Index(at, 0); l >= 0 {
			pr.add(fmt.Sprintf("CFItems[%d]", i), "The capability %s has level descriptors for some levels but not for level %d. Give it one for each of the %d levels, or none.", rd.label(i), l+1, levels)
		}
	}
	return c
}

// keyword returns the one of the given keywords an item's conceptKeywords
// hold, or "" when it holds none of them. Holding two is a problem.
func (rd *reader) keyword(i int, choices ...string) string {
	found := ""
	for _, k := range rd.items[i].ConceptKeywords {
		k = strings.TrimSpace(k)
		for _, c := range choices {
			if strings.EqualFold(k, c) {
				if found != "" && found != c {
					rd.pr.add(fmt.Sprintf("CFItems[%d].conceptKeywords", i), "%s has both %s and %s in its conceptKeywords. Keep only one of %s.", rd.label(i), found, c, orList(choices))
					return found
				}
				found = c
			}
		}
	}
	return found
}

func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// fillCodes gives a code to each domain, capability and knowledge check
// without one, from its place, avoiding the codes already taken.
func (rd *reader) fillCodes(v *upskill.FrameworkVersion, questionDomain []int) {
	taken := map[string]bool{}
	for _, d := range v.Domains {
		taken[d.Code] = true
		for _, c := range d.Capabilities {
			taken[c.Code] = true
		}
	}
	for _, q := range v.Questions {
		taken[q.Code] = true
	}
	fresh := func(base string) string {
		code := base
		for n := 2; taken[code]; n++ {
			code = base + "-" + strconv.Itoa(n)
		}
		taken[code] = true
		return code
	}
	for i := range v.Domains {
		d := &v.Domains[i]
		if d.Code == "" {
			d.Code = fresh(strconv.Itoa(i + 1))
		}
		for j := range d.Capabilities {
			if d.Capabilities[j].Code == "" {
				d.Capabilities[j].Code = fresh(d.Code + "." + strconv.Itoa(j+1))
			}
		}
	}
	count := map[int]int{}
	for i := range v.Questions {
		q := &v.Questions[i]
		di := questionDomain[i]
		count[di]++
		q.DomainCode = v.Domains[di].Code
		if q.Code == "" {
			q.Code = fresh(q.DomainCode + ".Q" + strconv.Itoa(count[di]))
		}
	}
}

// framework finds the framework the version belongs to: the subject the
// document names, when its hierarchyCode is a key, or else one made from
// the document title.
func (rd *reader) framework() upskill.Framework {
	if len(rd.doc.SubjectURI) > 0 {
		id := strings.ToLower(strings.TrimSpace(rd.doc.SubjectURI[0].Identifier))
		for _, s := range rd.subjects {
			if strings.ToLower(strings.TrimSpace(s.Identifier)) != id {
				continue
			}
			key := strings.TrimSpace(s.HierarchyCode)
			if upskill.ValidateFrameworkKey(key) == "" && strings.TrimSpace(s.Title) != "" {
				return upskill.Framework{Key: key, Name: s.Title, Description: s.Description}
			}
			break
		}
	}
	return upskill.Framework{Key: keyFrom(rd.doc.Title, rd.docID), Name: strings.TrimSpace(rd.doc.Title)}
}

// keyFrom makes a framework key from a title: lower-case letters and
// numbers, with hyphens between words.
func keyFrom(title, id string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// "Nurses' skills" reads better as nurses-skills.
		default:
			hyphen = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	key := strings.Trim(b.String(), "-")
	if len(key) > 40 {
		key = strings.Trim(key[:40], "-")
	}
	if key == "" {
		key = "case-" + id[:8]
	}
	return key
}

// versionStatus reads an adoptionStatus; one upskill has no word for is
// left empty, as the store decides the status of an imported version.
func versionStatus(s string) upskill.VersionStatus {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "draft", "private draft":
		return upskill.VersionDraft
	case "adopted":
		return upskill.VersionPublished
	case "deprecated":
		return upskill.VersionRetired
	}
	return ""
}

// parseScore reads a band's starting score: a plain decimal number, so
// that "NaN", "Inf" and hexadecimal, which strconv would take, are not.
func parseScore(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		case c == '-' && i == 0:
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// defaultLevels is the level scale given to a package that has none: the
// scale of upskill's own framework.
func defaultLevels() []upskill.FrameworkLevel {
	return []upskill.FrameworkLevel{
		{Number: 1, Name: "Aware", Description: "You know why this matters and can do the basics with help or by following clear steps."},
		{Number: 2, Name: "Practising", Description: "You do this yourself as part of your usual work, and sometimes check with a colleague or look up how."},
		{Number: 3, Name: "Confident", Description: "You do this well without help, cope when something unusual happens and can explain it to others."},
		{Number: 4, Name: "Leading", Description: "You help others do this, find ways to do it better and set the standard for your team."},
	}
}

// defaultBands is the set of bands given to a package that has none.
func defaultBands() []upskill.Band {
	return []upskill.Band{
		{Name: "Developing", Min: 0, Description: "You are building your skills in this area and would benefit from some learning and support."},
		{Name: "Capable", Min: 4, Description: "You can do most everyday tasks in this area and have a few skills to strengthen."},
		{Name: "Proficient", Min: 7, Description: "You are skilled and confident in this area and could help colleagues develop."},
	}
}

// attributes maps the fields of upskill's types to the CASE fields that
// hold them; "" means the item as a whole.
var attributes = map[string]string{
	"code": "humanCodingScheme", "min": "humanCodingScheme",
	"name": "fullStatement", "statement": "fullStatement", "prompt": "fullStatement", "text": "fullStatement",
	"description": "notes", "guidance": "notes", "explanation": "notes",
	"type": "conceptKeywords", "kind": "conceptKeywords",
}

// translate turns a field Validate names, such as
// "domains[1].capabilities[0].statement", into where it is in the package,
// such as "CFItems[7].fullStatement".
func (rd *reader) translate(field string) string {
	switch field {
	case "title", "description":
		return "CFDocument." + field
	case "levels", "bands", "domains", "questions":
		return "CFItems"
	}
	obj, attr := field, ""
	for {
		if item, ok := rd.where[obj]; ok {
			if a := attributes[attr]; a != "" {
				return item + "." + a
			}
			return item
		}
		k := strings.LastIndexByte(obj, '.')
		if k < 0 {
			return field
		}
		obj, attr = obj[:k], obj[k+1:]
	}
}

// translateMessage translates the field a message refers to, as in "The
// code 1.1 is used twice: here and at domains[0].capabilities[0].code".
func (rd *reader) translateMessage(msg string) string {
	if i := strings.LastIndex(msg, " at "); i >= 0 {
		tail := msg[i+4:]
		if t := rd.translate(tail); t != tail {
			return msg[:i+4] + t
		}
	}
	return msg
}

// decode decodes one JSON object into v, reporting a value of the wrong
// type where it is.
func decode(pr *problems, path string, raw json.RawMessage, v any) {
	err := json.Unmarshal(raw, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &te):
		field := path
		if te.Field != "" {
			field += "." + te.Field
		}
		want := describeType(te.Type)
		// For an element of a list, encoding/json names the list and the
		// type of its elements: say the list is wrong, not the element.
		if ft := fieldType(reflect.TypeOf(v).Elem(), te.Field); ft != nil && ft.Kind() == reflect.Slice && ft.Elem() == te.Type {
			want = "a list of " + strings.TrimPrefix(strings.TrimPrefix(want, "a "), "an ")
		}
		pr.add(field, "Make %s %s.", field, want)
	default:
		pr.add(path, "%s cannot be read: %s", path, describeSyntaxError(err))
	}
}

// decodeList decodes a list of objects. A list that is missing or null is
// empty. The whole list is decoded at once, as encoding/json reads every
// byte on each pass; only when that fails is it decoded again one element
// at a time, to say where the problem is.
func decodeList[T any](pr *problems, path string, raw json.RawMessage) []T {
	if isNull(raw) {
		return nil
	}
	if !isKind(raw, '[') {
		pr.add(path, "Make %s a list ([ ... ]).", path)
		return nil
	}
	var all []*T // nil where an element is null
	if err := json.Unmarshal(raw, &all); err == nil {
		if !withinLimit(pr, path, len(all)) {
			return nil
		}
		out := make([]T, len(all))
		for i, e := range all {
			if e == nil {
				pr.add(fmt.Sprintf("%s[%d]", path, i), "Make %s[%d] an object ({ ... }).", path, i)
				continue
			}
			out[i] = *e
		}
		return out
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		pr.add(path, "%s cannot be read: %s", path, describeSyntaxError(err))
		return nil
	}
	if !withinLimit(pr, path, len(elems)) {
		return nil
	}
	out := make([]T, len(elems))
	for i, e := range elems {
		field := fmt.Sprintf("%s[%d]", path, i)
		if !isKind(e, '{') {
			pr.add(field, "Make %s an object ({ ... }).", field)
			continue
		}
		decode(pr, field, e, &out[i])
	}
	return out
}

// withinLimit refuses a list longer than any framework upskill takes, so
// that a hostile package costs little more.
func withinLimit(pr *problems, path string, n int) bool {
	if n > maxItems {
		pr.add(path, "%s has %d entries, more than any framework upskill can hold (%d). Split the framework or remove what is not needed.", path, n, maxItems)
		return false
	}
	return true
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// isKind reports whether a JSON value starts with c: '{' for an object, '['
// for a list.
func isKind(raw json.RawMessage, c byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == c
}

// fieldType finds the type of the field a dotted path of JSON names leads
// to in struct type t, or nil.
func fieldType(t reflect.Type, path string) reflect.Type {
	for _, name := range strings.Split(path, ".") {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		var next reflect.Type
		for i := 0; i < t.NumField(); i++ {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if strings.EqualFold(tag, name) {
				next = t.Field(i).Type
				break
			}
		}
		if next == nil {
			return nil
		}
		t = next
	}
	return t
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text in quotes"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Slice:
		return "a list ([ ... ])"
	case reflect.Struct, reflect.Pointer, reflect.Map:
		return "an object ({ ... })"
	}
	return "a " + t.Kind().String()
}

func describeSyntaxError(err error) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("The file is not valid JSON: there is a mistake near byte %d.", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The file is not valid JSON: it ends too soon. It may have been cut short."
	case errors.Is(err, io.EOF):
		return "The file is empty."
	}
	return "The file is not valid JSON."
}

// withArticle puts "a" or "an" before a word.
func withArticle(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
