//! What `build` and `table` publish is safe to open, whatever the data holds, and a build never
//! loses anything:
//!
//! - **Markup from the data stays text.** School names, categories (vragen, diagnoses,
//!   schooltypes, voorlichting themes and organisations) and registry names holding HTML
//!   (`<script>`, `<img onerror>`, an unclosed comment, closing table tags), markdown links and
//!   images (a `javascript:` link, a remote image that would make `report.html` fetch), pipes,
//!   backslashes, line breaks and emphasis: every markdown table keeps its columns, and
//!   `report.html` and the SVG charts show the text, escaped, without rendering it.
//! - **No formulas.** Text cells starting with `=`, `+`, `-` or `@` are prefixed with `'` in
//!   CSV, and in `tabellen.xlsx` are string cells (no formula in any sheet) carrying Excel's
//!   quote prefix.
//! - **No file name from the data.** The files written are the fixed set, whatever the data.
//! - **Nothing lost.** A rebuild keeps a user's own files in the output folder; a build that
//!   fails (bad data, a folder in the way) leaves the previous report byte-identical; no
//!   temporary folder is left behind.
//! - **Small cells** (`--min-cell N`): every count from 1 to N-1 outside totals rows is `<N` in
//!   every output, percentages beside it `x`; zero, totals, facts and the tables that count no
//!   people are unchanged; `--min-cell 1` changes nothing.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use oco_report::build::{self, Rendered};
use serde_json::Value as Json;

mod common;
use common::{header_key, read_csv, unpack, write_csv};
use common::{oco_report as run, succeeded};

/// Text that would be markup, a formula or a table border if it went out unescaped.
const NASTY_NAMES: &[&str] = &[
    "<script>alert('oco')</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "![pixel](http://example.org/p.png)",
    "=HYPERLINK(\"http://example.org\",\"klik\")",
    "+1 school (plus-teken)",
    "-min school",
    "@SUM(A1:A2)",
    "School | met pijp",
    "School \\| met backslash-pijp",
    "School met\nregelovergang",
    "<!-- open commentaar",
    "</td></tr></table><h1>kop</h1>",
    "*nadruk* _x_ `code` ~doorhaling~",
    "&lt;b&gt;entiteit&lt;/b&gt;",
    "# kop",
    "eindigt op backslash\\",
];

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn copy_tweede(dir: &Path) {
    for entry in std::fs::read_dir(repo("tests/data/tweede")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
}

/// Appends rows given by header key (other cells empty) to a CSV export.
fn append_rows(path: &Path, rows: &[Vec<(&str, String)>]) {
    let (separator, header, mut existing) = read_csv(path);
    for cells in rows {
        existing.push(
            header
                .iter()
                .map(|h| {
                    let key = header_key(h);
                    cells
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect(),
        );
    }
    let mut all = vec![header];
    all.extend(existing);
    write_csv(path, separator, &all, "");
}

/// The second data set with the nasty names as unmatched school names, passend onderwijs
/// categories, voorlichting themes and organisations, and a registry name.
fn nasty_data() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = common::temp_dir("output-safety", "nasty-data");
        copy_tweede(&dir);
        let mut dossiers = Vec::new();
        for (i, name) in NASTY_NAMES.iter().enumerate() {
            let next = NASTY_NAMES[(i + 1) % NASTY_NAMES.len()];
            let after = NASTY_NAMES[(i + 2) % NASTY_NAMES.len()];
            dossiers.push(vec![
                ("dossier_id", format!("NASTY-{i}")),
                ("aanmaakdatum", format!("{:02}-03-2021", i + 1)),
                ("sector", "po".to_string()),
                ("themas", "zorg".to_string()),
                ("kanaal", "telefoon".to_string()),
                ("schoolnaam", name.to_string()),
                ("passend_onderwijs", "ja".to_string()),
                ("schooltype", next.to_string()),
                // `|` separates list values: the names with a pipe become two values.
                ("vragen", format!("{name}|{next}")),
                ("diagnoses", after.to_string()),
            ]);
        }
        append_rows(&dir.join("dossiers.csv"), &dossiers);
        let sessions: Vec<Vec<(&str, String)>> = NASTY_NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| {
                vec![
                    ("datum", format!("{:02}-05-2021", i + 1)),
                    ("stadsdeel", "Zuid".to_string()),
                    ("thema", name.to_string()),
                    (
                        "organisatie",
                        NASTY_NAMES[(i + 3) % NASTY_NAMES.len()].to_string(),
                    ),
                    ("vorm", "fysiek".to_string()),
                ]
            })
            .collect();
        append_rows(&dir.join("voorlichtingen.csv"), &sessions);
        append_rows(
            &dir.join("scholen.csv"),
            &[vec![
                ("naam", "<b>Vet</b> & <i>Co</i> =1+1".to_string()),
                ("brin", "40AA00".to_string()),
                ("sector", "po".to_string()),
                ("stadsdeel", "West".to_string()),
                ("schoolweging", "33".to_string()),
            ]],
        );
        dir
    })
}

fn build_into(data: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "2021",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// `build 2021` of the nasty data, once.
fn nasty_build() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = common::temp_dir("output-safety", "nasty-build").join("2021");
        succeeded(
            &build_into(nasty_data(), &out, &["--met-intern"]),
            "build of the nasty data",
        );
        out
    })
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// -------------------------------------------------------------------------------------------
// Markup.

/// The cells of a GFM table line: split at `|` not escaped by a backslash (a backslash escapes
/// the next character, so `\\|` is a backslash and a border).
fn gfm_cells(line: &str) -> usize {
    let inner = line.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let mut cells = 1;
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' if chars.peek().is_some() => cells += 1,
            _ => {}
        }
    }
    cells
}

#[test]
fn markdown_tables_keep_their_columns_whatever_the_names() {
    let out = nasty_build();
    let mut tables = 0;
    let files = std::fs::read_dir(out)
        .unwrap()
        .chain(std::fs::read_dir(out.join("intern")).unwrap());
    for entry in files {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = read_text(&path);
        let mut width: Option<usize> = None;
        for line in text.lines() {
            if line.starts_with('|') {
                let cells = gfm_cells(line);
                match width {
                    None => {
                        width = Some(cells);
                        tables += 1;
                    }
                    Some(w) => assert_eq!(cells, w, "{}: {line}", path.display()),
                }
            } else {
                width = None;
            }
        }
    }
    assert!(tables > 10, "{tables} tables seen");
    // The names are in the data-quality table (working material), on one line each, escaped.
    let datakwaliteit = read_text(&out.join("intern/datakwaliteit.md"));
    for expected in [
        "School \\| met pijp",
        "School \\\\\\| met backslash-pijp",
        "School met regelovergang",
        "\\<script\\>alert('oco')\\</script\\>",
        "\\[klik\\](javascript:alert(1))",
        "eindigt op backslash\\\\",
    ] {
        assert!(
            datakwaliteit.contains(expected),
            "{expected} in\n{datakwaliteit}"
        );
    }
}

#[test]
fn report_html_and_charts_show_markup_from_the_data_as_text() {
    let out = nasty_build();
    // The public report and the internal one with the data-quality list of the names.
    let public = read_text(&out.join("report.html"));
    let html = read_text(&out.join("intern/report.html"));
    let lower = format!("{public}{html}").to_lowercase();
    for forbidden in [
        "<script",
        "<img",
        "<i>co",
        "<b>vet",
        "<h1>kop",
        "<!-- open",
        "javascript:alert(1)\"",
        "href=\"javascript",
        "src=\"http",
        "onerror=alert(1)>",
    ] {
        assert!(
            !lower.contains(forbidden),
            "report.html holds {forbidden:?}"
        );
    }
    // Shown as text, escaped.
    for expected in [
        "&lt;script&gt;alert('oco')&lt;/script&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "[klik](javascript:alert(1))",
        "![pixel](http://example.org/p.png)",
        "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;kop&lt;/h1&gt;",
        "&lt;!-- open commentaar",
        "&amp;lt;b&amp;gt;entiteit",
        "School | met pijp",
        "School \\| met backslash-pijp",
        "*nadruk* _x_ `code` ~doorhaling~",
        "eindigt op backslash\\",
        "&lt;b&gt;Vet&lt;/b&gt; &amp; &lt;i&gt;Co&lt;/i&gt;",
    ] {
        assert!(html.contains(expected), "report.html lacks {expected:?}");
    }
    // Every chart (inlined above, and the files) holds the names escaped too.
    for entry in std::fs::read_dir(out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            let svg = read_text(&path).to_lowercase();
            for forbidden in ["<script", "<img", "<h1", "<!-- open", "<b>", "<i>"] {
                assert!(
                    !svg.contains(forbidden),
                    "{} holds {forbidden:?}",
                    path.display()
                );
            }
        }
    }
    let vragen = read_text(&out.join("passend-vragen.svg"));
    assert!(
        vragen.contains("&lt;script&gt;"),
        "the name is in the chart"
    );
}

// -------------------------------------------------------------------------------------------
// Formulas.

fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[test]
fn csv_tables_hold_no_formulas() {
    let data = nasty_data().to_str().unwrap();
    let mut prefixed = 0;
    for id in [
        "datakwaliteit-scholen",
        "passend-schooltype",
        "passend-vragen",
        "passend-diagnoses",
        "voorlichtingen-thema",
        "voorlichtingen-organisatie",
    ] {
        let text = succeeded(
            &run(&["table", id, "2021", "--data", data, "--format", "csv"]),
            id,
        );
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for record in reader.records() {
            for field in record.unwrap().iter() {
                if formula_like(field) {
                    assert!(
                        field.parse::<f64>().is_ok(),
                        "{id}: {field:?} would be a formula"
                    );
                }
                if field.starts_with("'=") || field.starts_with("'@") || field.starts_with("'+") {
                    prefixed += 1;
                }
            }
        }
    }
    assert!(prefixed >= 6, "{prefixed} neutralised cells");
}

/// The shared strings and, per sheet, the cells `(reference, style, shared string index)` of
/// string cells, read from the XML inside the workbook.
struct RawWorkbook {
    strings: Vec<String>,
    /// Style indices whose cell format has `quotePrefix="1"`.
    quoted_styles: Vec<usize>,
    cells: Vec<(String, String, usize, usize)>,
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

fn raw_workbook(bytes: &[u8]) -> RawWorkbook {
    let entries: BTreeMap<String, String> = unpack::zip_entries(bytes)
        .unwrap()
        .into_iter()
        .map(|(name, data)| (name, String::from_utf8(data).unwrap()))
        .collect();
    let shared = entries
        .get("xl/sharedStrings.xml")
        .cloned()
        .unwrap_or_default();
    let strings = shared
        .split("<si>")
        .skip(1)
        .map(|si| {
            let si = &si[..si.find("</si>").unwrap()];
            let mut text = String::new();
            for t in si.split("<t").skip(1) {
                let body = &t[t.find('>').unwrap() + 1..];
                text.push_str(&body[..body.find("</t>").unwrap_or(0)]);
            }
            unescape_xml(&text)
        })
        .collect();
    let styles = &entries["xl/styles.xml"];
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xfs = &xfs[..xfs.find("</cellXfs>").unwrap()];
    let quoted_styles = xfs
        .split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, xf)| xf[..xf.find('>').unwrap()].contains("quotePrefix=\"1\""))
        .map(|(i, _)| i)
        .collect();
    let mut cells = Vec::new();
    for (name, xml) in &entries {
        if !name.starts_with("xl/worksheets/sheet") {
            continue;
        }
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{name} has a formula"
        );
        for c in xml.split("<c ").skip(1) {
            let tag = format!(" {}", &c[..c.find('>').unwrap()]);
            if attribute(&tag, "t").as_deref() != Some("s") {
                continue;
            }
            let v = &c[c.find("<v>").unwrap() + 3..c.find("</v>").unwrap()];
            cells.push((
                name.clone(),
                attribute(&tag, "r").unwrap(),
                attribute(&tag, "s").map_or(0, |s| s.parse().unwrap()),
                v.parse().unwrap(),
            ));
        }
    }
    RawWorkbook {
        strings,
        quoted_styles,
        cells,
    }
}

#[test]
fn the_workbook_holds_text_as_text_with_a_quote_prefix_where_it_looks_like_a_formula() {
    let bytes = std::fs::read(nasty_build().join("tabellen.xlsx")).unwrap();

    // Read as a spreadsheet program does: no formula anywhere, the text exactly as in the data.
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let mut texts = Vec::new();
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "sheet {sheet} has formulas"
        );
        for (_, _, cell) in book.worksheet_range(&sheet).unwrap().used_cells() {
            if let Data::String(s) = cell {
                texts.push(s.clone());
            }
        }
    }
    for name in [
        "=HYPERLINK(\"http://example.org\",\"klik\")",
        "@SUM(A1:A2)",
        "-min school",
        "+1 school (plus-teken)",
        "<script>alert('oco')</script>",
    ] {
        assert!(texts.iter().any(|t| t == name), "{name:?} in the workbook");
    }

    // And in the XML: every string cell that starts like a formula has the quote prefix.
    let raw = raw_workbook(&bytes);
    assert!(
        !raw.quoted_styles.is_empty(),
        "a quote-prefix format exists"
    );
    let mut checked = 0;
    for (sheet, reference, style, index) in &raw.cells {
        let text = &raw.strings[*index];
        if formula_like(text) {
            assert!(
                raw.quoted_styles.contains(style),
                "{sheet} {reference}: {text:?} has no quote prefix"
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "{checked} formula-like cells checked");
}

// -------------------------------------------------------------------------------------------
// File names.

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_files_written_are_a_fixed_set_whatever_the_data() {
    let plain = common::temp_dir("output-safety", "plain-names").join("2021");
    succeeded(
        &build_into(&repo("tests/data/tweede"), &plain, &[]),
        "build",
    );
    let nasty = nasty_build();
    assert_eq!(file_names(&plain), file_names(nasty));
    // Nothing beside the output folder either.
    assert_eq!(
        file_names(nasty.parent().unwrap()),
        vec!["2021".to_string()]
    );
}

#[test]
fn write_refuses_a_file_name_that_is_not_plain() {
    let out = common::temp_dir("output-safety", "refuse").join("2021");
    for name in [
        "../buiten.md",
        "a/b/c.md",
        "intern/../b.md",
        "/tmp/x.md",
        "..",
        ".verborgen",
        "",
        "a\\b.md",
    ] {
        let rendered = Rendered {
            appendices: Vec::new(),
            files: vec![
                ("report.md".to_string(), "# ok\n".to_string()),
                (name.to_string(), "x".to_string()),
            ],
            binaries: Vec::new(),
        };
        let error = build::write(&rendered, &out).expect_err(name);
        assert!(error.to_string().contains("plain file name"), "{error}");
        assert!(!out.exists(), "{name}: nothing written");
    }
    let twice = Rendered {
        appendices: Vec::new(),
        files: vec![
            ("a.md".to_string(), "1".to_string()),
            ("a.md".to_string(), "2".to_string()),
        ],
        binaries: Vec::new(),
    };
    assert!(build::write(&twice, &out).is_err());
    assert!(!out.exists());
}

// -------------------------------------------------------------------------------------------
// Nothing lost.

/// Every file under `dir` (recursively) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

fn no_temp_folder_beside(out: &Path) {
    let leftovers: Vec<String> = file_names(out.parent().unwrap())
        .into_iter()
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
    if out.is_dir() {
        let inside: Vec<String> = file_names(out)
            .into_iter()
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(inside.is_empty(), "temporary files left: {inside:?}");
    }
}

/// The second data set with one bad row in dossiers.csv.
fn bad_data() -> PathBuf {
    let dir = common::temp_dir("output-safety", "bad-data");
    copy_tweede(&dir);
    append_rows(
        &dir.join("dossiers.csv"),
        &[vec![
            ("dossier_id", "KAPOT-1".to_string()),
            ("aanmaakdatum", "31-13-2021".to_string()),
            ("sector", "po".to_string()),
            ("themas", "zorg".to_string()),
            ("kanaal", "telefoon".to_string()),
        ]],
    );
    dir
}

#[test]
fn a_rebuild_keeps_the_users_files_and_a_failed_build_changes_nothing() {
    let root = common::temp_dir("output-safety", "nothing-lost");
    let out = root.join("out").join("2021");
    let tweede = repo("tests/data/tweede");

    // A first build creates the folder (and the missing parent).
    succeeded(&build_into(&tweede, &out, &[]), "first build");
    no_temp_folder_beside(&out);
    let first = snapshot(&out);
    assert!(first.len() > 20);

    // The user adds notes and a folder of their own.
    std::fs::write(out.join("notities.txt"), "mijn aantekeningen\n").unwrap();
    std::fs::create_dir(out.join("concept")).unwrap();
    std::fs::write(out.join("concept").join("brief.md"), "# Brief\n").unwrap();
    std::fs::write(out.join("report.md.bak"), "oude versie\n").unwrap();

    // A rebuild that changes the figures (small cells hidden) replaces the report's files and
    // keeps the user's.
    succeeded(&build_into(&tweede, &out, &["--min-cell", "3"]), "rebuild");
    no_temp_folder_beside(&out);
    let second = snapshot(&out);
    assert_eq!(
        second[Path::new("notities.txt")],
        b"mijn aantekeningen\n".to_vec()
    );
    assert_eq!(second[Path::new("concept/brief.md")], b"# Brief\n".to_vec());
    assert_eq!(
        second[Path::new("report.md.bak")],
        b"oude versie\n".to_vec()
    );
    assert_ne!(
        first[Path::new("figures.json")],
        second[Path::new("figures.json")],
        "the rebuild wrote its files"
    );
    assert_eq!(second.len(), first.len() + 3);

    // A build on bad data fails before writing: the report is byte-identical.
    let bad = bad_data();
    let failed = build_into(&bad, &out, &[]);
    assert_eq!(failed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("31-13-2021"));
    assert_eq!(snapshot(&out), second, "a failed build changed the report");
    no_temp_folder_beside(&out);

    // A build whose writing fails (a folder where a file goes) changes nothing either: all
    // files are written aside first, and checked before any is moved in.
    std::fs::remove_file(out.join("tabellen.xlsx")).unwrap();
    std::fs::create_dir(out.join("tabellen.xlsx")).unwrap();
    let before = snapshot(&out);
    let failed = build_into(&tweede, &out, &[]);
    assert_eq!(failed.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("in the way"),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    assert_eq!(snapshot(&out), before);
    no_temp_folder_beside(&out);
    std::fs::remove_dir(out.join("tabellen.xlsx")).unwrap();

    // An output "folder" that is a file is refused and kept.
    let file = root.join("out").join("2020");
    std::fs::write(&file, "geen map\n").unwrap();
    let failed = build_into(&tweede, &file, &[]);
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(std::fs::read(&file).unwrap(), b"geen map\n".to_vec());
    no_temp_folder_beside(&file);

    // `--out .`: the current folder is replaced as a whole, which would leave the shell in a
    // removed folder: refused, nothing changed.
    let here = root.join("hier");
    std::fs::create_dir(&here).unwrap();
    std::fs::write(here.join("notities.txt"), "blijft\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .args([
            "build",
            "2021",
            "--data",
            tweede.to_str().unwrap(),
            "--out",
            ".",
        ])
        .current_dir(&here)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is the current folder or holds it"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(file_names(&here), vec!["notities.txt".to_string()]);
    assert_eq!(read_text(&here.join("notities.txt")), "blijft\n");
    no_temp_folder_beside(&here);

    std::fs::remove_dir_all(&root).ok();
    std::fs::remove_dir_all(&bad).ok();
}

// -------------------------------------------------------------------------------------------
// Small cells.

fn figures(out: &Path) -> Json {
    serde_json::from_str(&read_text(&out.join("figures.json"))).unwrap()
}

fn tables(figures: &Json) -> Vec<&Json> {
    figures["appendices"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["tables"].as_array().unwrap())
        .collect()
}

#[test]
fn min_cell_hides_small_counts_in_every_output() {
    let root = common::temp_dir("output-safety", "min-cell");
    let tweede = repo("tests/data/tweede");
    let (exact, hidden, one) = (root.join("exact"), root.join("hidden"), root.join("one"));
    succeeded(&build_into(&tweede, &exact, &[]), "build");
    succeeded(
        &build_into(&tweede, &hidden, &["--min-cell", "3"]),
        "build --min-cell 3",
    );
    succeeded(
        &build_into(&tweede, &one, &["--min-cell", "1"]),
        "build --min-cell 1",
    );
    assert_eq!(
        snapshot(&one),
        snapshot(&exact),
        "--min-cell 1 hides nothing"
    );

    // figures.json: the invariant, table by table, row by row.
    let (exact_figures, hidden_figures) = (figures(&exact), figures(&hidden));
    let mut hidden_cells = 0;
    for (e, h) in tables(&exact_figures)
        .into_iter()
        .zip(tables(&hidden_figures))
    {
        let id = e["id"].as_str().unwrap();
        if oco_report::render::small_cells::exempt(id) {
            assert_eq!(e, h, "{id} counts no people: unchanged");
            continue;
        }
        for (er, hr) in e["rows"]
            .as_array()
            .unwrap()
            .iter()
            .zip(h["rows"].as_array().unwrap())
        {
            if hr["total"] == true {
                assert_eq!(er, hr, "{id}: totals rows stay");
                continue;
            }
            let row_hidden = hr["values"]
                .as_object()
                .unwrap()
                .values()
                .any(|v| v == "<3");
            for (key, ev) in er["values"].as_object().unwrap() {
                let hv = &hr["values"][key];
                match ev.as_i64() {
                    Some(n @ (1 | 2)) => {
                        assert_eq!(hv, "<3", "{id}/{}/{key}: {n} hidden", er["key"]);
                        hidden_cells += 1;
                    }
                    _ if ev.is_f64() && row_hidden => {
                        assert_eq!(hv, "x", "{id}/{}/{key}: percentage hidden", er["key"])
                    }
                    _ => assert_eq!(ev, hv, "{id}/{}/{key}: unchanged", er["key"]),
                }
            }
        }
        if h != e {
            assert!(
                h["caption"].as_str().unwrap_or("").contains("als <3"),
                "{id}: the caption says so"
            );
        }
    }
    assert!(hidden_cells > 20, "{hidden_cells} cells hidden");
    // Facts (the prose's totals) stay exact.
    for (ea, ha) in exact_figures["appendices"]
        .as_array()
        .unwrap()
        .iter()
        .zip(hidden_figures["appendices"].as_array().unwrap())
    {
        assert_eq!(ea["facts"], ha["facts"]);
    }

    // Markdown and report.html print `<3`, right-aligned, not the count.
    let md = read_text(&hidden.join("passend-onderwijs.md"));
    assert!(md.contains("|        <3 |"), "{md}");
    let html = read_text(&hidden.join("report.html"));
    assert!(html.contains(">&lt;3</td>"), "report.html shows <3");

    // The chart labels and their text alternatives too.
    let svg = read_text(&hidden.join("passend-schooltype.svg"));
    assert!(svg.contains("&lt;3"), "the chart labels <3");
    assert!(md.contains("2020-2021 \\<3"), "the alt text says <3");

    // The workbook: the same cells as strings, nothing else changed.
    let cells = |out: &Path| -> Vec<(String, Vec<Vec<Data>>)> {
        let bytes = std::fs::read(out.join("tabellen.xlsx")).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        book.sheet_names()
            .into_iter()
            .map(|s| {
                let range = book.worksheet_range(&s).unwrap();
                (s, range.rows().map(<[Data]>::to_vec).collect())
            })
            .collect()
    };
    let mut hidden_in_workbook = 0;
    for ((sheet, e), (_, h)) in cells(&exact).into_iter().zip(cells(&hidden)) {
        for (er, hr) in e.iter().zip(&h) {
            for (ec, hc) in er.iter().zip(hr) {
                match (ec, hc) {
                    (Data::Float(n), Data::String(s)) if s == "<3" => {
                        assert!(*n == 1.0 || *n == 2.0, "{sheet}: {n} hidden");
                        hidden_in_workbook += 1;
                    }
                    (Data::Float(_), Data::String(s)) => assert_eq!(s, "x", "{sheet}"),
                    // The caption below the table says what was hidden.
                    (Data::String(_), Data::String(s)) if s.contains("staan er als <3") => {}
                    (e, h) => assert_eq!(e, h, "{sheet}"),
                }
            }
        }
    }
    assert_eq!(hidden_in_workbook, hidden_cells);

    // `table` in every format.
    let d = tweede.to_str().unwrap();
    let table = |format: &str, min: &[&str]| {
        let mut args = vec![
            "table",
            "passend-diagnoses",
            "2021",
            "--data",
            d,
            "--format",
            format,
        ];
        args.extend_from_slice(min);
        succeeded(&run(&args), "table")
    };
    assert!(table("md", &["--min-cell", "3"]).contains("<3 |"));
    assert!(table("csv", &["--min-cell", "3"]).contains(",<3"));
    assert!(table("json", &["--min-cell", "3"]).contains("\"<3\""));
    assert!(!table("csv", &[]).contains("<3"), "off by default");
    assert!(
        !run(&["table", "sectoren", "2021", "--min-cell", "0"])
            .status
            .success()
    );

    std::fs::remove_dir_all(&root).ok();
}

// -------------------------------------------------------------------------------------------
// Escaping, for any text.

mod any_text {
    use oco_report::render::{html, markdown};
    use oco_report::table::{Column, ReportTable, Row, Value};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn unescape_html(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// The text of every `<td>` of the first table of `html`.
    fn cells(html: &str) -> Vec<String> {
        html.split("<td")
            .skip(1)
            .map(|td| {
                let body = &td[td.find('>').unwrap() + 1..];
                unescape_html(&body[..body.find("</td>").unwrap()])
            })
            .collect()
    }

    /// A text as a table cell shows it: line breaks and tabs as spaces, trimmed.
    fn shown(text: &str) -> String {
        text.replace("\r\n", " ")
            .replace(['\r', '\n', '\t'], " ")
            .trim_matches(' ')
            .to_string()
    }

    /// Any text (ASCII, accents, line breaks) as a row label and a text cell comes out of
    /// markdown and comrak as exactly that text, in its own cell: no markup, no extra column.
    #[test]
    fn any_label_and_text_cell_render_as_themselves() {
        let cases = std::env::var("FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(512);
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let text = "[ -~éß€\u{a0}\n\r\t]{0,30}";
        runner
            .run(&(text, text), |(label, cell)| {
                let mut t = ReportTable::new(
                    "x",
                    "x",
                    vec![Column::new("k", "naam"), Column::new("v", "tekst")],
                );
                t.push(Row::new(label.clone(), vec![Value::Text(cell.clone())]));
                let md = markdown::table(&t);
                let html = html::report(&md, &[]);
                let got = cells(&html);
                prop_assert_eq!(got.len(), 2, "{}\n{}", md, html);
                prop_assert_eq!(&got[0], &shown(&label), "{}", md);
                prop_assert_eq!(&got[1], &shown(&cell), "{}", md);
                Ok(())
            })
            .unwrap();
    }
}
