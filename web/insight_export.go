package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"upskill"
	"upskill/insight"
)

// Exports of the workforce figures: each table of the page as CSV, or
// every table as one workbook. They are made from the same figures as the
// page, after suppression, so they show nothing the page does not.

// exportTable is one table of an export. A nil cell is a figure that is
// not shown; a string cell is text; numbers are int64 or float64.
type exportTable struct {
	Key    string // the table's name in addresses
	Name   string // its name in a workbook
	Header []string
	Rows   [][]any
}

// hiddenText stands in an export for a figure that is not shown.
const hiddenText = "not shown"

// domainTable is the whole's figures, domain by domain.
func domainTable(domains []upskill.Domain, bands []string, whole insight.Row, k int) exportTable {
	t := exportTable{Key: "domains", Name: "Domains", Header: []string{"Domain", "Submitted", "Average now", "Average needed",
		"Average gap", "Below what is needed (%)", "Reached the target (%)", "Rated above their checks (%)"}}
	for _, b := range bands {
		t.Header = append(t.Header, "In band "+b+" (%)")
	}
	for _, b := range bands {
		t.Header = append(t.Header, "Role needs band "+b+" (%)")
	}
	t.Header = append(t.Header, "Of those below, learning done since (%)", "Change since last year", "People compared")
	for i, d := range domains {
		row := []any{d.Name}
		if whole.Hidden || i >= len(whole.Domains) {
			for range len(t.Header) - 1 {
				row = append(row, nil)
			}
			t.Rows = append(t.Rows, row)
			continue
		}
		f := whole.Domains[i]
		row = append(row, f.People, f.Now, f.Needed, f.Gap, share(f.Below, f.People), share(f.Reached, f.People), share(f.Over, f.People))
		for _, n := range f.Bands {
			row = append(row, share(n, f.People))
		}
		for _, n := range f.NeededBands {
			row = append(row, share(n, f.People))
		}
		if f.Below == 0 || f.LearnedShown(k) {
			row = append(row, share(f.Learned, f.Below))
		} else {
			row = append(row, nil)
		}
		if whole.ChangeHidden {
			row = append(row, nil, nil)
		} else {
			row = append(row, f.Change, f.Paired)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// splitTable is a split of the staff: a row per group, its counts and its
// average now in each domain.
func splitTable(key, name, label string, domains []upskill.Domain, rows []InsightRow, participation bool) exportTable {
	t := exportTable{Key: key, Name: name, Header: []string{label}}
	if participation {
		t.Header = append(t.Header, "Staff", "Started", "Submitted")
	} else {
		t.Header = append(t.Header, "Submitted")
	}
	for _, d := range domains {
		t.Header = append(t.Header, "Average now: "+d.Name)
	}
	for _, r := range rows {
		row := []any{r.Label}
		if participation {
			if r.ParticipationHidden {
				row = append(row, nil, nil)
			} else {
				row = append(row, r.Eligible, r.Started)
			}
		}
		if r.Hidden {
			row = append(row, nil)
			for range domains {
				row = append(row, nil)
			}
		} else {
			row = append(row, r.People)
			for _, f := range r.Domains {
				row = append(row, f.Now)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// share is n out of total as a percentage to one decimal place.
func share(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(float64(n)*1000/float64(total)) / 10
}

// orgExport lays out an organisation's tables for export.
func orgExport(v *InsightView) []exportTable {
	out := []exportTable{domainTable(v.Domains, v.Bands, v.Whole.Row, v.K)}
	for _, b := range insight.Breakdowns {
		out = append(out, splitTable(string(b), "By "+strings.ToLower(breakdownLabels[b]), breakdownLabels[b], v.Domains, v.Tables[b], true))
	}
	if len(v.Compare) > 0 {
		out = append(out, splitTable("compare", "Compared", "Who", v.Domains, v.Compare, false))
	}
	return append(out, splitTable("trend", "Year by year", "Year", v.Domains, v.Trend.Rows, false))
}

// combinedExport lays out a region's or the nation's tables for export.
func combinedExport(v *CombinedView) []exportTable {
	out := []exportTable{domainTable(v.Domains, v.Bands, v.Whole.Row, v.K)}
	for _, b := range []insight.Breakdown{insight.ByOrganisation, insight.ByRegion, insight.ByOrgType} {
		if rows, ok := v.Tables[b]; ok {
			out = append(out, splitTable(string(b), "By "+strings.ToLower(combinedLabels[b]), combinedLabels[b], v.Domains, rows, false))
		}
	}
	return append(out, splitTable("trend", "Year by year", "Year", v.Domains, v.Trend.Rows, false))
}

// insightExport sends the figures as CSV (one table, named by ?table=) or
// as an XLSX workbook of every table.
func (s *Server) insightExport(w http.ResponseWriter, r *request) error {
	format := r.PathValue("format")
	if format != "csv" && format != "xlsx" {
		return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	var tables []exportTable
	var cycle insight.Cycle
	if r.org.Level == upskill.LevelOrganisation {
		v, err := s.orgInsightView(r)
		if err != nil {
			return err
		}
		if err := v.Form.problem(); err != nil {
			return err
		}
		tables, cycle = orgExport(v), v.Cycle
	} else {
		v, err := s.combinedInsightView(r)
		if err != nil {
			return err
		}
		if err := v.Form.problem(); err != nil {
			return err
		}
		tables, cycle = combinedExport(v), v.Cycle
	}
	return s.sendTables(w, r, fmt.Sprintf("digital-capability-%d-%d", r.org.ID, int(cycle)), "Digital capability, "+cycle.Label(), tables)
}

// sendTables sends tables as the request's path asks: one of them as
// CSV, named by ?table=, or all of them as an XLSX workbook.
func (s *Server) sendTables(w http.ResponseWriter, r *request, name, title string, tables []exportTable) error {
	format := r.PathValue("format")
	var chosen []exportTable
	switch format {
	case "xlsx":
		chosen = tables
	case "csv":
		key := r.URL.Query().Get("table")
		var keys []string
		for _, t := range tables {
			keys = append(keys, t.Key)
			if t.Key == key {
				chosen = []exportTable{t}
			}
		}
		if chosen == nil {
			return upskill.Errorf(upskill.EINVALID, "Choose a table to download: %s.", strings.Join(keys, ", "))
		}
	default:
		return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	// Downloads are kept in the audit log: a file of figures can be
	// kept and compared with a later one, so who took which, and when,
	// is on record.
	what := title + ": every table, as a workbook"
	if format == "csv" {
		what = title + ": " + chosen[0].Name + ", as CSV"
	}
	if err := s.store.RecordDownload(r.Context(), r.actor.PersonID, r.org.ID, what); err != nil {
		return err
	}
	if format == "xlsx" {
		body, err := workbook(tables)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		_, err = w.Write(body)
		return err
	}
	t := chosen[0]
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"-"+t.Key+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write(t.Header)
	for _, row := range t.Rows {
		cw.Write(csvRow(row))
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(row []any) []string {
	out := make([]string, len(row))
	for i, c := range row {
		switch x := c.(type) {
		case nil:
			out[i] = hiddenText
		case string:
			out[i] = csvSafe(x)
		case int64:
			out[i] = strconv.FormatInt(x, 10)
		case int:
			out[i] = strconv.Itoa(x)
		case float64:
			out[i] = strconv.FormatFloat(x, 'f', 1, 64)
		}
	}
	return out
}

// csvSafe stops a name that starts like a formula from running as one
// when the file is opened in a spreadsheet.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// workbook writes the tables as sheets of one XLSX file.
func workbook(tables []exportTable) ([]byte, error) {
	book := excelize.NewFile()
	defer book.Close()
	bold, err := book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, t := range tables {
		if i == 0 {
			if err := book.SetSheetName(book.GetSheetName(0), t.Name); err != nil {
				return nil, err
			}
		} else if _, err := book.NewSheet(t.Name); err != nil {
			return nil, err
		}
		header := make([]any, len(t.Header))
		for j, h := range t.Header {
			header[j] = h
		}
		if err := book.SetSheetRow(t.Name, "A1", &header); err != nil {
			return nil, err
		}
		if err := book.SetRowStyle(t.Name, 1, 1, bold); err != nil {
			return nil, err
		}
		for j, row := range t.Rows {
			cells := make([]any, len(row))
			for c, v := range row {
				switch x := v.(type) {
				case nil:
					cells[c] = hiddenText
				case string:
					cells[c] = x
				default:
					cells[c] = x
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := book.SetSheetRow(t.Name, cell, &cells); err != nil {
				return nil, err
			}
		}
		if err := book.SetColWidth(t.Name, "A", "A", 40); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := book.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
