#!/usr/bin/env python3
"""Reads tfp's reports as a reader would, without libxlsxwriter or tfp.

  check_report.py xlsx BOOK.xlsx ANNUAL.csv SUMMARY.csv TARGETS.csv INPUT.csv
      Opens the workbook with zipfile and the XML parser of the standard
      library and checks: the sheets; that every cell of the Annual sheet,
      the Summary sheet's two tables and the Contributions sheet equals
      `tfp estimate --format csv` (ANNUAL, SUMMARY, TARGETS); that numbers
      are numbers with number formats (percent, thousands); frozen header
      rows; that every chart refers to the right rows and columns (its
      region's years, the year column as categories, the series' own column
      and header); the Data sheet against the input file; the About sheet's
      SHA-256 against hashlib's.
      Optional parts, after INPUT.csv (tfp report --bootstrap, --sensitivity,
      --compare):
        --boot B SEED          the About sheet lists --bootstrap B and --seed
                               SEED (the interval and probability columns
                               come with SUMMARY.csv and TARGETS.csv);
        --sensitivity GRID.csv BANDS.csv
                               a Sensitivity sheet whose grid and bands equal
                               `tfp sensitivity --format csv` cell by cell,
                               and whose charts (one per region) draw each
                               depreciation rate's TFP share, Harberger
                               initial capital, by capital share, from cells
                               equal to the grid's, against the target band;
        --models COMPARE.csv   a Models sheet equal to `tfp compare --format
                               csv` cell by cell.
  check_report.py sens BOOK.xlsx GRID.csv BANDS.csv
      The Sensitivity sheet alone, as with --sensitivity above.
  check_report.py png FILE.png
      Decodes a PNG (zlib and the PNG filters) and fails when it is blank:
      fewer than 50 distinct colours or more than 99 % of one colour.
  check_report.py dom FILE.html NCHARTS [SECTION ...]
      Checks the DOM that Chromium dumped: NCHARTS <figure class="chart">
      elements, each holding an <svg> with drawn paths and glyphs, and the
      sections (summary annual contributions data about, and any SECTION).

Prints "ok NAME" or "FAIL NAME: why" lines (tests/cli/lib.sh's protocol) and
exits 1 when anything failed.
"""
import csv
import hashlib
import re
import struct
import sys
import zipfile
import zlib
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}
failed = 0


def ok(name):
    print("ok " + name)


def fail(name, why):
    global failed
    failed += 1
    print("FAIL %s: %s" % (name, why))


def check(name, cond, why):
    if cond:
        ok(name)
    else:
        fail(name, why)
    return cond


# ---- workbook reading ------------------------------------------------------------


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def split_ref(ref):
    m = re.match(r"\$?([A-Z]+)\$?(\d+)$", ref)
    return int(m.group(2)) - 1, col_index(m.group(1))


def series_refs(ser, sheet):
    """A chart series' ranges on sheet: ((c0r, c0c), (c1r, c1c)) of its categories, the same of
    its values, and (row, col) of its name; None when a range is malformed or on another
    sheet."""
    cat = ser.find("c:cat//c:f", NS).text
    val = ser.find("c:val//c:f", NS).text
    name = ser.find("c:tx//c:f", NS).text
    m1 = re.match(r"'?([^'!]+)'?!(\$[A-Z]+\$\d+):(\$[A-Z]+\$\d+)$", cat)
    m2 = re.match(r"'?([^'!]+)'?!(\$[A-Z]+\$\d+):(\$[A-Z]+\$\d+)$", val)
    m3 = re.match(r"'?([^'!]+)'?!(\$[A-Z]+\$\d+)$", name)
    if not (m1 and m2 and m3) or {m1.group(1), m2.group(1), m3.group(1)} != {sheet}:
        return None
    return ((split_ref(m1.group(2)), split_ref(m1.group(3))),
            (split_ref(m2.group(2)), split_ref(m2.group(3))), split_ref(m3.group(2)))


class Sheet:
    def __init__(self, name, root, shared, numfmt_of_style):
        self.name = name
        self.cells = {}  # (row, col) -> (kind, value, style)
        self.root = root
        for c in root.iter("{%s}c" % NS["m"]):
            r, k = split_ref(c.get("r"))
            t = c.get("t", "n")
            s = int(c.get("s", "0"))
            if t == "inlineStr":
                val = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
                kind = "s"
            elif t == "s":
                val = shared[int(c.find("m:v", NS).text)]
                kind = "s"
            elif t == "str":
                val = c.find("m:v", NS).text
                kind = "s"
            else:
                v = c.find("m:v", NS)
                if v is None:
                    continue
                val = float(v.text)
                kind = "n"
            self.cells[(r, k)] = (kind, val, numfmt_of_style(s))

    def get(self, r, c):
        return self.cells.get((r, c))

    def find_row(self, col0_text, start=0):
        """The first row at or after start whose column A holds col0_text."""
        rows = sorted({r for (r, c) in self.cells if c == 0 and r >= start})
        for r in rows:
            cell = self.cells[(r, 0)]
            if cell[0] == "s" and cell[1] == col0_text:
                return r
        return None

    def row_values(self, r, ncol):
        return [self.cells.get((r, c)) for c in range(ncol)]


def read_book(path):
    z = zipfile.ZipFile(path)
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        ss = ET.fromstring(z.read("xl/sharedStrings.xml"))
        for si in ss.findall("m:si", NS):
            shared.append("".join(x.text or "" for x in si.iter("{%s}t" % NS["m"])))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter("{%s}numFmt" % NS["m"])}
    xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)

    def numfmt_of_style(s):
        fid = int(xfs[s].get("numFmtId", "0"))
        return fmts.get(fid, "builtin:%d" % fid)

    sheets = []
    for sh in wb.find("m:sheets", NS):
        rid = sh.get("{%s}id" % NS["r"])
        p = "xl/" + target[rid]
        root = ET.fromstring(z.read(p))
        sheet = Sheet(sh.get("name"), root, shared, numfmt_of_style)
        sheet.path = p
        sheets.append(sheet)
    return z, sheets


def sheet_charts(z, sheet):
    """The chart XML roots of a sheet, through its drawing's relationships."""
    relp = sheet.path.replace("worksheets/", "worksheets/_rels/") + ".rels"
    if relp not in z.namelist():
        return []
    out = []
    for rel in ET.fromstring(z.read(relp)):
        if not rel.get("Type").endswith("/drawing"):
            continue
        dpath = "xl/drawings/" + rel.get("Target").split("/")[-1]
        drels = ET.fromstring(z.read(dpath.replace("drawings/", "drawings/_rels/") + ".rels"))
        for dr in drels:
            out.append(ET.fromstring(z.read("xl/charts/" + dr.get("Target").split("/")[-1])))
    return out


# ---- comparisons ----------------------------------------------------------------


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def same_number(got, want):
    # libxlsxwriter writes doubles with 16 significant digits ("%.16G").
    return abs(got - want) <= 2e-15 * max(abs(want), 1e-300)


STATUS_EN = {
    "met": "met", "below": "below", "within": "within", "above": "above",
    "on-track": "on track", "off-track": "off track", "undefined": "undefined",
    "lp_growth": "LP growth, avg/year", "tfp_share_period": "TFP share, period",
    "tfp_share_last_year": "TFP share, last year",
    "gso_0.30": "GSO, b_K = 0.30", "gso_0.40": "GSO, b_K = 0.40", "gso_0.50": "GSO, b_K = 0.50",
    "tornqvist": "Törnqvist, labour shares", "fit_crs": "GSO, b_K from crs fit",
    "fit_within": "GSO, b_K from within fit", "fit_twoways": "GSO, b_K from twoways fit",
}


def compare_table(name, sheet, header_row, keys, rows, pct_keys=(), text_keys=(), status_keys=()):
    """Cells below header_row, column j = keys[j], against CSV rows."""
    bad = []
    nnum = 0
    for i, row in enumerate(rows):
        r = header_row + 1 + i
        for j, key in enumerate(keys):
            want = row[key]
            cell = sheet.get(r, j)
            if key in status_keys:
                if cell is None or cell[1] != STATUS_EN.get(want, want):
                    bad.append("%s%d %s: %r, want %r" % (chr(65 + j), r + 1, key, cell, want))
            elif key in text_keys:
                if (cell[1] if cell else "") != want:
                    bad.append("%s%d %s: %r, want %r" % (chr(65 + j), r + 1, key, cell, want))
            elif want == "":
                if cell is not None:
                    bad.append("%s%d %s: %r, want empty" % (chr(65 + j), r + 1, key, cell))
            else:
                nnum += 1
                if cell is None or cell[0] != "n" or not same_number(cell[1], float(want)):
                    bad.append("%s%d %s: %r, want %s" % (chr(65 + j), r + 1, key, cell, want))
                elif key in pct_keys and cell[2] != "0.00%":
                    bad.append("%s%d %s: number format %r, want 0.00%%" % (chr(65 + j), r + 1, key, cell[2]))
        if len(bad) > 5:
            break
    nxt = sheet.get(header_row + 1 + len(rows), 0)
    if nxt is not None and nxt[0] == "s" and nxt[1] in {r.get(keys[0]) for r in rows}:
        bad.append("more rows than the CSV")
    check(name, not bad, "; ".join(bad[:6]))
    return nnum


def check_xlsx(book, annual_csv, summary_csv, targets_csv, input_csv, boot=None, sens=None, models=None):
    z, sheets = read_book(book)
    by = {s.name: s for s in sheets}
    want_sheets = ["Summary", "Annual", "Contributions"] + (["Sensitivity"] if sens else []) + \
        (["Models"] if models else []) + ["Data", "About"]
    check("xlsx_sheets", [s.name for s in sheets] == want_sheets, "sheets %r" % [s.name for s in sheets])
    annual = read_csv(annual_csv)
    summary = read_csv(summary_csv)
    targets = read_csv(targets_csv)
    akeys = list(annual[0].keys())
    frac = {k for k in akeys if k.endswith(("_growth", "_share", "_contribution"))}

    # Annual: every cell.
    sh = by["Annual"]
    hr = sh.find_row("Region")
    check("xlsx_annual_header", hr is not None and sh.get(hr, 2)[1] == "Year" and sh.get(hr, 15) is not None,
          "no header row with Region ... Year")
    n = compare_table("xlsx_annual_values", sh, hr, akeys, annual, pct_keys=frac, text_keys={"region", "sector"})
    print("ok xlsx_annual_numbers_compared (%d cells)" % n)
    lp = sh.get(hr + 1 + next(i for i, r in enumerate(annual) if r["labour_productivity"]), 6)
    check("xlsx_thousands_format", lp[2] == "#,##0", "labour productivity format %r" % (lp[2],))
    pane = sh.root.find(".//m:pane", NS)
    check("xlsx_annual_frozen", pane is not None and pane.get("state") == "frozen"
          and int(float(pane.get("ySplit"))) == hr + 1, "pane %r" % (pane.attrib if pane is not None else None))

    # Summary: the targets table and the period summary.
    sh = by["Summary"]
    tr = sh.find_row("Region")
    check("xlsx_targets_header", tr is not None and sh.get(tr, 1)[1] == "Target", "no targets header")
    tkeys = list(targets[0].keys())
    compare_table("xlsx_targets_values", sh, tr, tkeys, targets, pct_keys={"value", "goal_low", "goal_high"},
                  text_keys={"region"}, status_keys={"target", "status"})
    st = sh.get(tr + 1, 5)
    check("xlsx_status_colour", st is not None and st[0] == "s", "status cell %r" % (st,))
    sr = sh.find_row("Region", tr + 1)
    check("xlsx_summary_header", sr is not None and sh.get(sr, 2)[1] == "From", "no summary header")
    compare_table("xlsx_summary_values", sh, sr, list(summary[0].keys()), summary,
                  text_keys={"region", "sector"})

    # Contributions: the region totals of the plan period, from the annual CSV.
    sh = by["Contributions"]
    cr = sh.find_row("Region")
    headers = {}
    j = 0
    while sh.get(cr, j) is not None:
        headers[sh.get(cr, j)[1]] = j
        j += 1
    keymap = {"Region": "region", "Year": "year", "Output growth": "output_growth",
              "Capital contribution": "capital_contribution", "Labour contribution": "labour_contribution",
              "TFP contribution": "tfp_growth", "TFP share of growth": "tfp_share",
              "Labour productivity": "labour_productivity", "LP growth": "labour_productivity_growth"}
    check("xlsx_contrib_columns", all(h in headers for h in keymap), "headers %r" % list(headers))
    frm, to = int(summary[0]["from"]), int(summary[0]["to"])
    want = [r for r in annual if r["sector"] == "" and frm - 1 <= int(r["year"]) <= int(summary[0]["to"])]
    ckeys = [None] * len(headers)
    for h, k in keymap.items():
        ckeys[headers[h]] = k
    sub = [[k for k in ckeys if k is not None]]
    bad = []
    for i, row in enumerate(want):
        for h, k in keymap.items():
            cell = sh.get(cr + 1 + i, headers[h])
            w = row[k]
            if k == "region":
                ok_ = cell is not None and cell[1] == w
            elif w == "":
                ok_ = cell is None
            else:
                ok_ = cell is not None and cell[0] == "n" and same_number(cell[1], float(w))
            if not ok_:
                bad.append("row %d %s: %r, want %r" % (cr + 2 + i, k, cell, w))
    check("xlsx_contrib_values", not bad and sh.get(cr + 1 + len(want), 0) is None, "; ".join(bad[:5]))
    del sub

    # Charts: each refers to its region's rows of the Contributions sheet.
    regions = sorted({r["region"] for r in want})
    rows_of = {}
    for i, row in enumerate(want):
        rows_of.setdefault(row["region"], []).append((cr + 1 + i, int(row["year"])))
    charts = sheet_charts(z, by["Summary"]) + sheet_charts(z, by["Contributions"])
    check("xlsx_chart_count", len(charts) == 4 * len(regions), "%d charts for %d regions" % (len(charts), len(regions)))
    kinds = {"lp": 0, "growth": 0, "contrib": 0, "share": 0}
    bad = []
    for ch in charts:
        title = "".join(t.text for t in ch.find("c:chart/c:title", NS).iter("{%s}t" % NS["a"]))
        region = title.rsplit(", ", 1)[-1]
        if region not in rows_of:
            bad.append("title %r names no region" % title)
            continue
        rows = rows_of[region]
        plot = ch.find("c:chart/c:plotArea", NS)
        bar = plot.find("c:barChart", NS)
        line = plot.find("c:lineChart", NS)
        sers = plot.findall(".//c:ser", NS)
        names = []
        for s in sers:
            cat = s.find("c:cat//c:f", NS).text
            val = s.find("c:val//c:f", NS).text
            name = s.find("c:tx//c:f", NS).text
            refs = series_refs(s, "Contributions")
            if refs is None:
                bad.append("%s: ranges %s %s %s" % (title, cat, val, name))
                continue
            ((c0r, c0c), (c1r, c1c)), ((v0r, v0c), (v1r, v1c)), (nr, nc) = refs
            hdr = sh.get(nr, nc)[1]
            names.append(hdr)
            if c0c != headers["Year"] or c1c != c0c:
                bad.append("%s: categories %s are not the year column" % (title, cat))
            if (v0r, v1r) != (c0r, c1r) or v0c != v1c or nc != v0c or nr != cr:
                bad.append("%s: values %s do not match categories %s and name %s" % (title, val, cat, name))
            first, last = rows[0][0], rows[-1][0]
            if not (first <= c0r <= c1r <= last):
                bad.append("%s: rows %d-%d are not %s's rows %d-%d" % (title, c0r + 1, c1r + 1, region, first + 1, last + 1))
            if c1r != last:
                bad.append("%s: rows end at %d, not at the last year (row %d)" % (title, c1r + 1, last + 1))
        if bar is not None and names == ["Labour productivity"] and c0r == rows[0][0]:
            kinds["lp"] += 1
        elif line is not None and names == ["LP growth", "LP growth target"]:
            kinds["growth"] += 1
            if c0r != rows[0][0]:
                bad.append("%s: growth chart starts after the base year" % title)
        elif bar is not None and bar.find("c:grouping", NS).get("val") == "stacked" and \
                names == ["Capital contribution", "Labour contribution", "TFP contribution"] and c0r == rows[1][0]:
            kinds["contrib"] += 1
        elif line is not None and names == ["TFP share of growth", "TFP share target, low", "TFP share target, high"]:
            kinds["share"] += 1
            dashes = [s.find(".//a:prstDash", NS) for s in sers]
            if dashes[0] is not None or any(d is None or d.get("val") != "dash" for d in dashes[1:]):
                bad.append("%s: the band's bounds are not dashed lines" % title)
        else:
            bad.append("%s: unexpected chart (series %r)" % (title, names))
    check("xlsx_chart_ranges", not bad and all(v == len(regions) for v in kinds.values()),
          "%r %s" % (kinds, "; ".join(bad[:5])))

    # Data: the input as read, after column mapping (role names).
    sh = by["Data"]
    dr = sh.find_row("Line in file")
    inp = read_csv(input_csv)
    heads = []
    j = 0
    while sh.get(dr, j) is not None:
        heads.append(sh.get(dr, j)[1])
        j += 1
    role_of = {"Output (output)": "output", "Employment (labour)": "labour", "Capital (capital)": "capital",
               "Region (region)": "region", "Year (year)": "year"}
    check("xlsx_data_columns", all(h in heads for h in role_of), "Data headers %r" % heads)
    by_line = {i + 2: r for i, r in enumerate(inp)}
    bad = []
    nrows = 0
    r = dr + 1
    while sh.get(r, 0) is not None or sh.get(r, 1) is not None:
        line = sh.get(r, 0)
        src = by_line.get(int(line[1])) if line else None
        if src is None:
            bad.append("row %d: no line %r in the input" % (r + 1, line))
        else:
            for h, k in role_of.items():
                cell = sh.get(r, heads.index(h))
                w = src[k]
                if k == "region":
                    good = cell is not None and cell[1] == w
                elif w == "":
                    good = cell is None
                else:
                    good = cell is not None and cell[0] == "n" and same_number(cell[1], float(w))
                if not good:
                    bad.append("row %d %s: %r, input line %s has %r" % (r + 1, k, cell, line[1], w))
        nrows += 1
        r += 1
        if len(bad) > 5:
            break
    check("xlsx_data_values", not bad and nrows == len(inp), "%d rows of %d; %s" % (nrows, len(inp), "; ".join(bad[:5])))

    # About: version, command line and the input's SHA-256.
    sh = by["About"]
    about = {}
    for (rr, cc), cell in sh.cells.items():
        if cc == 0 and sh.get(rr, 1) is not None:
            about[cell[1]] = sh.get(rr, 1)[1]
    digest = hashlib.sha256(open(input_csv, "rb").read()).hexdigest()
    check("xlsx_about_sha256", about.get("SHA-256 of the input file") == digest,
          "%r, want %s" % (about.get("SHA-256 of the input file"), digest))
    check("xlsx_about_command", about.get("Command line", "").startswith("tfp report"), "%r" % about.get("Command line"))
    check("xlsx_about_parameters", all(("Parameter --" + p) in about for p in
                                       ("method", "capital-share", "delta", "from", "to", "lang")),
          "items %r" % sorted(about))
    if boot:
        check("xlsx_about_bootstrap", about.get("Parameter --bootstrap") == boot[0] and
              about.get("Parameter --seed") == boot[1] and "Parameter --level" in about and
              "Parameter --block" in about and "Parameter --resample" in about,
              "bootstrap items %r" % {k: v for k, v in about.items() if "--" in k})
    if sens:
        check_sensitivity(z, by["Sensitivity"], *sens)
    if models:
        sh = by["Models"]
        mr = sh.find_row("Method")
        rows = read_csv(models)
        check("xlsx_models_header", mr is not None and sh.get(mr, 1)[1] == "Region", "no Method, Region header")
        n = compare_table("xlsx_models_values", sh, mr, list(rows[0].keys()), rows,
                          pct_keys={"capital_share", "tfp_share", "lp_growth"}, text_keys={"region"},
                          status_keys={"method", "tfp_status", "lp_status"})
        check("xlsx_models_rows", sh.get(mr + 1 + len(rows), 0) is None, "more rows than tfp compare prints")
        print("ok xlsx_models_numbers_compared (%d cells)" % n)


def check_sensitivity(z, sh, grid_csv, bands_csv):
    grid = read_csv(grid_csv)
    bands = read_csv(bands_csv)
    gr = sh.find_row("Region")
    check("xlsx_sens_grid_header", gr is not None and sh.get(gr, 1)[1] == "Capital share", "no grid header")
    n = compare_table("xlsx_sens_grid_values", sh, gr, list(grid[0].keys()), grid,
                      pct_keys={"capital_share", "delta", "tfp_share"}, text_keys={"region", "k0_method"},
                      status_keys={"tfp_status"})
    print("ok xlsx_sens_grid_numbers_compared (%d cells)" % n)
    br = sh.find_row("Region", gr + 1 + len(grid))
    check("xlsx_sens_bands_header", br is not None and sh.get(br, 3)[1] == "TFP share status", "no bands header")
    compare_table("xlsx_sens_bands_values", sh, br, list(bands[0].keys()), bands,
                  text_keys={"region", "k0_method"}, status_keys={"status"})
    # The charts: categories are the capital shares of one region's rows in
    # the chart-data table, each line one depreciation rate's TFP shares
    # (Harberger K0), equal to the grid's cells; two dashed band bounds.
    charts = sheet_charts(z, sh)
    regions = list(dict.fromkeys(r["region"] for r in grid))
    want = {}
    for r in grid:
        if r["k0_method"] in ("harberger", ""):
            want[(r["region"], r["delta"], float(r["capital_share"]))] = r["tfp_share"]
    bad = []
    nval = 0
    for ch in charts:
        title = "".join(t.text for t in ch.find("c:chart/c:title", NS).iter("{%s}t" % NS["a"]))
        region = title.rsplit(", ", 1)[-1]
        sers = ch.findall(".//c:ser", NS)
        names = []
        for s in sers:
            cat = s.find("c:cat//c:f", NS).text
            val = s.find("c:val//c:f", NS).text
            name = s.find("c:tx//c:f", NS).text
            refs = series_refs(s, "Sensitivity")
            if refs is None:
                bad.append("%s: ranges %s %s %s" % (title, cat, val, name))
                continue
            ((c0r, c0c), (c1r, c1c)), ((v0r, v0c), (v1r, v1c)), (nr, nc) = refs
            hdr = sh.get(nr, nc)[1]
            names.append(hdr)
            if sh.get(nr, c0c)[1] != "Capital share" or (v0r, v1r) != (c0r, c1r) or nc != v0c:
                bad.append("%s: categories %s, values %s, name %s" % (title, cat, val, name))
                continue
            for r in range(c0r, c1r + 1):
                if sh.get(r, 0)[1] != region:
                    bad.append("%s: row %d is %r's" % (title, r + 1, sh.get(r, 0)[1]))
                    break
            if hdr.startswith("TFP share target"):
                continue
            delta = ""
            if hdr.startswith("Depreciation "):
                delta = hdr[len("Depreciation "):]
            shares = [sh.get(r, c0c)[1] for r in range(c0r, c1r + 1)]
            for r, b in zip(range(c0r, c1r + 1), shares):
                key = next((k for k in want if k[0] == region and same_number(b, k[2]) and
                            (k[1] == "" if delta == "" else k[1] != "" and float(k[1]) == float(delta))), None)
                cell = sh.get(r, v0c)
                if key is None or (want[key] == "" and cell is not None) or \
                        (want[key] != "" and (cell is None or not same_number(cell[1], float(want[key])))):
                    bad.append("%s: %s at %g is %r, the grid has %r" % (title, hdr, b, cell,
                                                                         want.get(key)))
                nval += 1
        if names[-2:] != ["TFP share target, low", "TFP share target, high"] or len(names) < 3:
            bad.append("%s: series %r" % (title, names))
    check("xlsx_sens_charts", len(charts) == len(regions) and not bad,
          "%d charts for %d regions; %s" % (len(charts), len(regions), "; ".join(bad[:5])))
    print("ok xlsx_sens_chart_values_compared (%d cells)" % nval)


# ---- PNG ------------------------------------------------------------------------


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif typ == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6):
        raise ValueError("unsupported PNG (depth %d, colour type %d)" % (depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    i = 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def check_png(path):
    w, h, bpp, rows = png_pixels(path)
    counts = {}
    for line in rows[::2]:
        for x in range(0, len(line), bpp * 2):
            px = line[x:x + 3]
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    top = max(counts.values())
    check("png_not_blank", len(counts) >= 50 and top < 0.99 * total,
          "%dx%d, %d colours, the commonest %.1f %%" % (w, h, len(counts), 100.0 * top / total))


def check_dom(path, ncharts, sections=()):
    dom = open(path, encoding="utf-8").read()
    figs = re.findall(r'<figure class="chart" id="chart-[^"]+">(.*?)</figure>', dom, re.S)
    check("dom_chart_figures", len(figs) == ncharts, "%d chart figures, want %d" % (len(figs), ncharts))
    bad = [i for i, f in enumerate(figs) if "<svg" not in f or f.count("<path") < 5 or "<use" not in f]
    check("dom_chart_svgs", not bad, "figures %r lack an svg with paths and glyphs" % bad[:5])
    check("dom_self_contained", not re.search(r'(src|href)="(https?:)?//', dom) and "<script" not in dom
          and "@import" not in dom, "a reference outside the file")
    check("dom_sections", all('id="sec-%s"' % k in dom for k in
                              ("summary", "annual", "contributions", "data", "about") + tuple(sections)),
          "a section is missing")


def main(argv):
    if len(argv) >= 7 and argv[1] == "xlsx":
        opt = {}
        rest = argv[7:]
        while rest:
            if rest[0] == "--boot" and len(rest) >= 3:
                opt["boot"], rest = rest[1:3], rest[3:]
            elif rest[0] == "--sensitivity" and len(rest) >= 3:
                opt["sens"], rest = rest[1:3], rest[3:]
            elif rest[0] == "--models" and len(rest) >= 2:
                opt["models"], rest = rest[1], rest[2:]
            else:
                print(__doc__, file=sys.stderr)
                return 2
        check_xlsx(*argv[2:7], **opt)
    elif len(argv) == 5 and argv[1] == "sens":
        z, sheets = read_book(argv[2])
        by = {s.name: s for s in sheets}
        if check("xlsx_sens_sheet", "Sensitivity" in by, "sheets %r" % list(by)):
            check_sensitivity(z, by["Sensitivity"], argv[3], argv[4])
    elif len(argv) == 3 and argv[1] == "png":
        check_png(argv[2])
    elif len(argv) >= 4 and argv[1] == "dom":
        check_dom(argv[2], int(argv[3]), argv[4:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
