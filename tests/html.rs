//! The readable outputs of `build 2021`: `report.html` (self-contained, charts inlined, looked
//! at in a real browser when Debian's chromium is installed) and `tabellen.xlsx` (read back,
//! the same values as `table --format csv`); and two builds give the same bytes.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use oco_report::appendices::Options;
use oco_report::render::charts::planned;
use oco_report::render::xlsx::{header_row, sheet_name};
use oco_report::table::{ReportTable, Value};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// `build 2021` with the templates of `report-templates/` into a fresh folder, once per test
/// run.
fn built() -> &'static (PathBuf, oco_report::build::Rendered) {
    static CELL: OnceLock<(PathBuf, oco_report::build::Rendered)> = OnceLock::new();
    CELL.get_or_init(|| build_into("a"))
}

fn build_into(name: &str) -> (PathBuf, oco_report::build::Rendered) {
    let data = oco_report::build::load(&data_dir()).expect("default data loads");
    let templates = oco_report::render::Templates::from_dir(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates"),
    )
    .unwrap();
    let rendered = oco_report::build::render(&data, 2021, &templates, &Options::default()).unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("oco-report-html-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    oco_report::build::write(&rendered, &dir).unwrap();
    (dir, rendered)
}

fn html() -> String {
    std::fs::read_to_string(built().0.join("report.html")).unwrap()
}

#[test]
fn report_html_is_one_self_contained_dutch_document() {
    let html = html();
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"),
        "{}",
        &html[..80]
    );
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("<title>Tussentijds verslag OCO 2021 – bijlagen</title>"));
    assert!(html.trim_end().ends_with("</html>"));
    // Nothing to fetch: no external style sheet, script, image, font or frame.
    let outside_svg_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for reference in [
        "<link", "<script", "<img", "<iframe", "@import", "url(", "src=", "http:", "https:",
    ] {
        assert!(
            !outside_svg_namespace.contains(reference),
            "report.html contains {reference}"
        );
    }
    assert!(html.contains("<style>") && html.contains("@page { size: A4;"));
    assert!(html.contains("h2 {") && html.contains("break-before: page"));
    // Every appendix is there with its anchor, and the contents link to it.
    let rendered = &built().1;
    for appendix in rendered
        .appendices
        .iter()
        .filter(|a| !oco_report::build::is_internal(&a.id))
    {
        assert!(
            html.contains(&format!(">{}<", appendix.title)) || html.contains(&appendix.title),
            "{}",
            appendix.title
        );
    }
    assert!(
        html.contains("<a href=\"#bijlage--websitebezoek\">"),
        "table of contents"
    );
    assert!(html.contains("<h2 id=\"bijlage--websitebezoek\">"));
    // Tables are HTML tables with numbers the Dutch way.
    assert!(html.contains("<table>") && html.contains("<td align=\"right\">1.514.962</td>"));
}

#[test]
fn every_chart_is_inlined_as_svg_with_a_text_alternative() {
    let html = html();
    let dir = &built().0;
    assert_eq!(
        html.matches("<figure class=\"grafiek\"").count(),
        planned().len()
    );
    assert_eq!(html.matches("<svg ").count(), planned().len());
    for id in planned().iter().map(|c| c.id) {
        let svg = std::fs::read_to_string(dir.join(format!("{id}.svg"))).unwrap();
        assert!(html.contains(svg.trim()), "{id}.svg inlined as is");
        let figure_start = html
            .find(&format!("<figure class=\"grafiek\" id=\"grafiek-{id}\">"))
            .unwrap();
        let figure = &html[figure_start..];
        let figure = &figure[..figure.find("</figure>").unwrap()];
        let caption = figure
            .split("<figcaption class=\"tekstalternatief\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{id}: no text alternative"));
        assert!(caption.starts_with("Grafiek: "), "{id}: {caption}");
        assert!(figure.contains("role=\"img\" aria-label="), "{id}");
        assert!(figure.contains("<desc>Grafiek: "), "{id}");
    }
    // The text alternatives list the charted figures.
    assert!(html.contains("20-25: Helpdesk 150, Webinars 21"));
    assert!(html.contains("Zuidoost: excl. webinars 0,7%, incl. webinars 1,0%"));
}

/// Debian's chromium (`chromium`), or another Chromium on the PATH.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Runs `command`, killing it after `limit`.
fn run_with_limit(command: &mut Command, limit: Duration) -> std::process::ExitStatus {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn report_html_renders_in_a_real_browser() {
    let Some(chromium) = chromium() else {
        eprintln!(
            "SKIPPED report_html_renders_in_a_real_browser: no chromium on the PATH \
             (apt-get install chromium; .ci/run installs it)"
        );
        return;
    };
    let dir = &built().0;
    let profile = dir.join("chromium-profile");
    let shot = dir.join("screenshot.png");
    let html = dir.join("report.html");
    let status = run_with_limit(
        Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--screenshot={}", shot.display()))
            .arg("--window-size=1240,1754")
            .arg(format!("file://{}", html.display())),
        Duration::from_secs(120),
    );
    assert!(status.success(), "chromium failed: {status}");
    let bytes = std::fs::read(&shot).expect("chromium wrote the screenshot");
    let decoder = png::Decoder::new(Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1240, 1754));
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let n = pixels.len();
    let dark = pixels
        .iter()
        .filter(|p| p[..3].iter().all(|c| *c < 100))
        .count();
    let not_white = pixels
        .iter()
        .filter(|p| p[..3].iter().any(|c| *c < 250))
        .count();
    eprintln!(
        "screenshot {}: {:.1}% dark, {:.1}% not white",
        shot.display(),
        100.0 * dark as f64 / n as f64,
        100.0 * not_white as f64 / n as f64
    );
    assert!(
        dark * 100 > n,
        "the page is blank: less than 1% dark pixels"
    );
    assert!(
        not_white * 100 > n * 3,
        "the page is blank: less than 3% ink"
    );
    assert!(not_white * 2 < n, "the page is not mostly white paper");
}

/// The table as `oco-report table ID 2021 --format csv` prints it.
fn csv_of(id: &str) -> Vec<Vec<String>> {
    let out = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .args(["table", id, "2021", "--format", "csv", "--data"])
        .arg(data_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(out.stdout.as_slice());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn tabellen_xlsx_holds_every_table_with_the_values_of_table_csv() {
    let (dir, rendered) = built();
    let bytes = std::fs::read(dir.join("tabellen.xlsx")).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("the xlsx opens");
    // The public tables only: the data-quality list is working material (intern/).
    let tables: Vec<&ReportTable> = rendered
        .appendices
        .iter()
        .filter(|a| !oco_report::build::is_internal(&a.id))
        .flat_map(|a| &a.tables)
        .collect();
    let names: Vec<String> = book.sheet_names().to_vec();
    let mut titles: Vec<String> = Vec::new();
    for table in &tables {
        let name = sheet_name(&table.title, &titles);
        titles.push(name);
    }
    assert_eq!(
        names, titles,
        "one sheet per table, named by its title, in report order"
    );
    assert!(names.contains(&"Voorlichtingen per stadsdeel".to_string()));
    for (table, sheet) in tables.into_iter().zip(&titles) {
        let id = &table.id;
        let range = book.worksheet_range(sheet).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        let csv = csv_of(id);
        // Above the table its title and caption.
        assert_eq!(
            rows[0][0],
            Data::String(table.title.trim().to_string()),
            "{id}: title above"
        );
        if let Some(caption) = table.caption.as_deref().filter(|c| !c.trim().is_empty()) {
            assert_eq!(rows[1][0], Data::String(caption.trim().to_string()), "{id}");
        }
        let first = header_row(table) as usize;
        // Header: the column labels as the report prints them; CSV has the keys.
        let labels: Vec<String> = table.columns.iter().map(|c| c.label.clone()).collect();
        let header: Vec<String> = rows[first].iter().map(|c| c.to_string()).collect();
        assert_eq!(header[..labels.len()], labels[..], "{id}: header");
        assert_eq!(csv[0].len(), labels.len(), "{id}");
        // Then one row per table row, the same values as the CSV, a group heading (Overig)
        // as a row of its own before its first row.
        let n = csv.len() - 1;
        assert_eq!(n, table.rows.len(), "{id}");
        let mut at = first + 1;
        for (r, (row, csv_row)) in table.rows.iter().zip(&csv[1..]).enumerate() {
            if let Some(group) = &row.group {
                assert_eq!(rows[at][0], Data::String(group.clone()), "{id}: group");
                at += 1;
            }
            let cells = rows[at];
            at += 1;
            assert_eq!(
                cells[0],
                Data::String(row.label.clone()),
                "{id} row {r}: label"
            );
            assert_eq!(
                csv_row[0].trim_start_matches('\''),
                row.key.trim_start_matches('\''),
                "{id} row {r}: key"
            );
            for (c, want) in csv_row.iter().enumerate().skip(1) {
                let got = cells.get(c).cloned().unwrap_or(Data::Empty);
                match row.values.get(c - 1) {
                    // Numbers are numbers, the same as the CSV's.
                    Some(Value::Count(_) | Value::Tenths(Some(_))) => {
                        let Data::Float(x) = got else {
                            panic!("{id} [{r},{c}]: {got:?} is not a number (csv {want})")
                        };
                        assert_eq!(x, want.parse::<f64>().unwrap(), "{id} [{r},{c}]");
                    }
                    Some(Value::Tenths(None)) | None => {
                        assert_eq!(got, Data::Empty, "{id} [{r},{c}]");
                        assert!(want.is_empty(), "{id} [{r},{c}]: csv {want:?}");
                    }
                    Some(Value::Text(text)) if text.is_empty() => {
                        assert_eq!(got, Data::Empty, "{id} [{r},{c}]");
                        assert!(want.is_empty(), "{id} [{r},{c}]: csv {want:?}");
                    }
                    Some(Value::Text(text)) => {
                        let Data::String(s) = &got else {
                            panic!("{id} [{r},{c}]: {got:?} for text {text:?}")
                        };
                        assert_eq!(s, text, "{id} [{r},{c}]");
                        // CSV guards formula-like text with a leading '.
                        let guarded = s.starts_with(['=', '+', '-', '@']);
                        assert_eq!(
                            want,
                            &if guarded { format!("'{s}") } else { s.clone() },
                            "{id} [{r},{c}]"
                        );
                    }
                }
            }
        }
        assert_eq!(at, rows.len(), "{id}: nothing below the table");
    }
}

#[test]
fn two_builds_give_the_same_bytes() {
    let (first, _) = built();
    let (second, _) = build_into("b");
    let list = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "chromium-profile" && n != "screenshot.png")
            .flat_map(|n| {
                if n == "intern" {
                    std::fs::read_dir(dir.join(&n))
                        .unwrap()
                        .map(|e| format!("intern/{}", e.unwrap().file_name().to_string_lossy()))
                        .collect()
                } else {
                    vec![n]
                }
            })
            .collect();
        names.sort();
        names
    };
    let names = list(first);
    assert_eq!(names, list(&second));
    for kind in [
        "report.html",
        "report.docx",
        "tabellen.xlsx",
        "report.md",
        "figures.json",
        "intern/datakwaliteit.md",
    ] {
        assert!(names.contains(&kind.to_string()), "{kind}");
    }
    for id in planned().iter().map(|c| c.id) {
        assert!(names.contains(&format!("{id}.svg")) && names.contains(&format!("{id}.png")));
    }
    for name in &names {
        let a = std::fs::read(first.join(name)).unwrap();
        let b = std::fs::read(second.join(name)).unwrap();
        assert!(a == b, "{name} differs between two builds");
    }
    std::fs::remove_dir_all(&second).unwrap();
}
