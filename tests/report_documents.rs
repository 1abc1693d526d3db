//! The documents the director sends: `report.docx` (read back: native tables, the charts with
//! their alt text, Word's heading styles, a published 2021 figure of every appendix; opened
//! by LibreOffice where installed), `report.pdf` of `build --pdf` (its text by `pdftotext`:
//! "Pagina N van M" on every page, no browser header or footer, every appendix on a page of
//! its own), `--pdf` without Chromium, and public and internal apart: a school name only the
//! data-quality list carries is in `intern/` and in no public file.

mod common;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{oco_report, read_csv, readable_parts, succeeded, temp_dir, write_csv};
use oco_report::render::charts::planned;

/// `build 2021 --met-intern` of the default data, once per test run (with `--pdf` too when
/// Chromium is installed).
fn built() -> &'static PathBuf {
    static CELL: OnceLock<PathBuf> = OnceLock::new();
    CELL.get_or_init(|| {
        let out = temp_dir("oco-report-documents", "2021");
        let out_arg = out.to_string_lossy().to_string();
        let mut args = vec!["build", "2021", "--out", &out_arg, "--met-intern"];
        if program("chromium").is_some() {
            args.push("--pdf");
        }
        succeeded(&oco_report(&args), "build 2021");
        out
    })
}

/// A program on the PATH.
fn program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn docx_part(docx: &Path, name: &str) -> Vec<u8> {
    let file = std::fs::File::open(docx).unwrap();
    let mut archive = zip::ZipArchive::new(file).expect("report.docx is a zip archive");
    let mut part = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in {}", docx.display()));
    let mut bytes = Vec::new();
    part.read_to_end(&mut bytes).unwrap();
    bytes
}

fn docx_text(docx: &Path, name: &str) -> String {
    String::from_utf8(docx_part(docx, name)).unwrap()
}

/// The public tables of the report, per appendix, from figures.json.
fn public_tables() -> Vec<(String, Vec<String>)> {
    let figures: serde_json::Value =
        serde_json::from_slice(&std::fs::read(built().join("figures.json")).unwrap()).unwrap();
    figures["appendices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let tables = a["tables"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_str().unwrap().to_string())
                .collect();
            (a["id"].as_str().unwrap().to_string(), tables)
        })
        .collect()
}

/// The `## ` heading of an appendix, as `build` wrote it.
fn appendix_title(appendix: &str) -> String {
    std::fs::read_to_string(built().join(format!("{appendix}.md")))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("## ").map(|t| t.trim().to_string()))
        .unwrap()
}

/// A figure of the published 2021 report (docs/cijfers-2021.md) per public appendix, as
/// the report prints it.
const PUBLISHED: &[(&str, &str)] = &[
    ("websitebezoek", "1.514.962"),
    ("stadsdelen", "3.836"),
    ("schoolweging", "150"),
    ("sectoren", "458"),
    ("voorlichtingen", "112"),
    ("helpdesk", "1.414"),
    ("passend-onderwijs", "48"),
    ("kanalen", "225"),
    ("doelen", "1.414"),
];

#[test]
fn report_docx_has_native_tables_charts_and_heading_styles() {
    let docx = built().join("report.docx");
    let document = docx_text(&docx, "word/document.xml");

    let appendices = public_tables();
    let tables: usize = appendices.iter().map(|(_, t)| t.len()).sum();
    assert_eq!(document.matches("<w:tbl>").count(), tables, "every table");
    assert_eq!(document.matches("<w:tblHeader/>").count(), tables);
    assert!(!document.contains("| ---"), "no markdown tables left");
    assert_eq!(
        document.matches("<w:pStyle w:val=\"Heading1\"/>").count(),
        1,
        "the title"
    );
    assert_eq!(
        document.matches("<w:pStyle w:val=\"Heading2\"/>").count(),
        appendices.len(),
        "every appendix (Inhoud is the contents' heading)"
    );
    assert_eq!(
        document.matches(" SEQ Tabel ").count(),
        tables,
        "every table has a numbered caption"
    );
    assert!(document.contains("<w:t xml:space=\"preserve\">: Voorlichtingen per stadsdeel</w:t>"));
    assert!(
        document.contains(" TOC \\o \"2-2\" "),
        "a table of contents Word updates"
    );

    // Every chart, as its PNG, with its figures as alt text.
    assert_eq!(document.matches("<w:drawing>").count(), planned().len());
    assert_eq!(document.matches(" SEQ Figuur ").count(), planned().len());
    assert!(document.contains("descr=\"Grafiek: "));
    for n in 1..=planned().len() {
        let png = docx_part(&docx, &format!("word/media/grafiek{n}.png"));
        assert!(png.starts_with(b"\x89PNG"), "grafiek{n}.png");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        // Printed 16 cm wide: at least 200 dpi.
        assert!(width >= 1260, "grafiek{n}.png is {width} pixels wide");
    }
    let styles = docx_text(&docx, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"));
    assert!(styles.contains("w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"));
    assert!(styles.contains("<w:lang w:val=\"nl-NL\""));
    let core = docx_text(&docx, "docProps/core.xml");
    assert!(
        core.contains("<dc:description>Gemaakt met oco-report"),
        "{core}"
    );
    assert!(
        !document.contains("gemaakt met oco-report"),
        "colophon in the metadata only"
    );

    // A published figure of every appendix, as a cell of its own.
    for (appendix, _) in &appendices {
        let (_, figure) = PUBLISHED
            .iter()
            .find(|(id, _)| id == appendix)
            .unwrap_or_else(|| panic!("a published figure for appendix {appendix}"));
        let title = appendix_title(appendix).replace('&', "&amp;");
        // The heading, not its entry in the table of contents.
        let text = format!(">{title}</w:t>");
        let start = document
            .match_indices(&text)
            .map(|(at, _)| at)
            .find(|&at| document[at.saturating_sub(150)..at].contains("Heading2"))
            .unwrap_or_else(|| panic!("the heading of {appendix}: {title}"));
        let section = &document[start..];
        let end = section
            .find("<w:pStyle w:val=\"Heading2\"/>")
            .unwrap_or(section.len());
        assert!(
            section[..end].contains(&format!(">{figure}</w:t>")),
            "{appendix}: {figure}"
        );
    }
    // The seed's WhatsApp column: 8 of 225 po dossiers came through WhatsApp from an article.
    assert!(document.contains(">WhatsApp via artikel als % van alle dossiers</w:t>"));
    assert!(document.contains(">3,6</w:t>"));
    // The seed's heading row above Abcoude, Diemen and Landsmeer.
    let overig = document.find(">Overig</w:t>").expect("the Overig row");
    let abcoude = document.find(">Abcoude</w:t>").expect("Abcoude");
    assert!(overig < abcoude && !document[overig..abcoude].contains(">Zuidoost<"));
}

/// The seed's layout of two tables, as the 2021 report printed them (see
/// docs/cijfers-2021.md): "Overig" above Abcoude, Diemen and Landsmeer; WhatsApp via an
/// article as % of all dossiers, ca 3,5 / 7 / 15 % (8 of 225, 14 of 196, 11 of 72).
#[test]
fn seed_parity_overig_heading_and_whatsapp_share_of_all_dossiers() {
    let voorlichtingen = std::fs::read_to_string(built().join("voorlichtingen.md")).unwrap();
    let lines: Vec<&str> = voorlichtingen.lines().collect();
    let abcoude = lines
        .iter()
        .position(|l| l.starts_with("| Abcoude "))
        .unwrap();
    assert!(
        lines[abcoude - 1].starts_with("| Overig "),
        "{}",
        lines[abcoude - 1]
    );
    assert!(lines[abcoude - 2].starts_with("| Zuidoost "));
    assert!(lines[abcoude + 1].starts_with("| Diemen "));
    assert!(lines[abcoude + 2].starts_with("| Landsmeer "));
    // A heading, not a row of figures: its other cells are empty.
    assert!(
        lines[abcoude - 1]
            .split('|')
            .skip(2)
            .all(|c| c.trim().is_empty())
    );

    let kanalen = std::fs::read_to_string(built().join("kanalen.md")).unwrap();
    let last_cells: Vec<String> = kanalen
        .lines()
        .filter(|l| {
            ["| po ", "| vo ", "| mbo "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(|l| {
            l.trim_end_matches('|')
                .rsplit('|')
                .next()
                .unwrap()
                .trim()
                .to_string()
        })
        .collect();
    assert_eq!(last_cells, ["3,6", "7,1", "15,3"]);
    assert!(kanalen.contains("WhatsApp via artikel als % van alle dossiers"));
}

#[test]
fn report_docx_opens_in_libreoffice() {
    let (Some(soffice), Some(pdftotext)) = (program("soffice"), program("pdftotext")) else {
        eprintln!(
            "skipping report_docx_opens_in_libreoffice: no soffice or pdftotext on the PATH \
             (apt-get install libreoffice-writer-nogui poppler-utils)"
        );
        return;
    };
    let dir = temp_dir("oco-report-documents", "soffice");
    std::fs::copy(built().join("report.docx"), dir.join("report.docx")).unwrap();
    let profile = format!("-env:UserInstallation=file://{}/profiel", dir.display());
    let status = Command::new(soffice)
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(dir.join("report.docx"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let text = pdf_text(&pdftotext, &dir.join("report.pdf"));
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() > 10, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("Pagina {} van {}", i + 1, pages.len());
        assert!(page.contains(&footer), "page {}: {page}", i + 1);
    }
    assert!(text.contains("Tabel 1: "), "numbered captions");
    assert!(text.contains("1.514.962"));
}

fn pdf_text(pdftotext: &Path, pdf: &Path) -> String {
    let out = Command::new(pdftotext)
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn report_pdf_is_a4_with_page_numbers_and_no_browser_header() {
    let (Some(_), Some(pdftotext)) = (program("chromium"), program("pdftotext")) else {
        eprintln!(
            "skipping report_pdf_is_a4_with_page_numbers_and_no_browser_header: no chromium or \
             pdftotext on the PATH (apt-get install chromium poppler-utils; .ci/run installs them)"
        );
        return;
    };
    let pdf = built().join("report.pdf");
    let bytes = std::fs::read(&pdf).expect("build --pdf wrote report.pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&pdftotext, &pdf);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() > 10, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("Pagina {} van {}", i + 1, pages.len());
        assert!(page.contains(&footer), "page {}:\n{page}", i + 1);
    }
    assert!(
        !text.contains("file:"),
        "no browser footer with the file's path"
    );
    assert!(
        !text.contains("report.html"),
        "no browser header with the title of the file"
    );
    // A4: 595 x 842 points.
    let media = String::from_utf8_lossy(&bytes);
    assert!(
        media.contains("/MediaBox [0 0 594.95996 841.91998]")
            || media.contains("/MediaBox [0 0 595 842]")
            || media.contains("/MediaBox [0 0 595.2 841.68]"),
        "A4 pages"
    );

    // Every appendix starts a page: its heading is the first text of a page.
    for (appendix, _) in public_tables() {
        let title = appendix_title(&appendix);
        assert!(
            pages
                .iter()
                .any(|p| p.trim_start().starts_with(title.trim())),
            "{appendix} ({title}) starts a page"
        );
    }
    // A table's caption (above it) is never the last thing on a page, apart from its table.
    for (i, page) in pages.iter().enumerate() {
        let last = page
            .lines()
            .rev()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("Pagina "))
            .unwrap_or("");
        assert!(
            !last.starts_with("Tabel "),
            "page {} ends with a caption: {last}",
            i + 1
        );
    }
    // A table that fits on a page is not split: its first and last rows are on the page of
    // its title.
    let figures: serde_json::Value =
        serde_json::from_slice(&std::fs::read(built().join("figures.json")).unwrap()).unwrap();
    for table in figures["appendices"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["tables"].as_array().unwrap())
    {
        let title = table["title"].as_str().unwrap().trim();
        let rows = table["rows"].as_array().unwrap();
        if rows.len() > 40 {
            continue;
        }
        let page = pages
            .iter()
            .find(|p| {
                p.lines()
                    .map(str::trim)
                    .any(|l| l.starts_with("Tabel ") && l.ends_with(&format!(": {title}")))
            })
            .unwrap_or_else(|| panic!("the caption of {title}"));
        for row in [&rows[0], &rows[rows.len() - 1]] {
            let label: String = row["label"].as_str().unwrap().chars().take(14).collect();
            assert!(page.contains(label.trim()), "{title}: {label} on its page");
        }
    }
    // A table too long for a page repeats its header: the data-quality list of the internal
    // report (40 names on the default data) shows its header on the page of its last row.
    let intern = pdf_text(&pdftotext, &built().join("intern/report.pdf"));
    let last_row = intern
        .split('\u{c}')
        .find(|p| p.contains("Vrije Scchool De Dappere"))
        .expect("the last name of the list");
    assert!(last_row.contains("Schoolnaam in dossier"), "{last_row}");
    // The same bytes from the same inputs: Chromium's dates are fixed.
    assert!(media.contains("/CreationDate (D:20210801000000"));
}

#[test]
fn pdf_without_chromium_exits_2_saying_what_to_install() {
    let empty = temp_dir("oco-report-documents", "no-path");
    let out = empty.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .args(["build", "2021", "--pdf", "--out"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", &empty)
        .env_remove("OCO_REPORT_CHROMIUM")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("apt-get install chromium"), "{stderr}");
    assert!(stderr.contains("OCO_REPORT_CHROMIUM"), "{stderr}");
    assert!(!out.exists(), "nothing built before the engine was found");

    let run = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .args(["build", "2021", "--out"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", &empty)
        .output()
        .unwrap();
    succeeded(&run, "build without --pdf and without chromium");
    assert!(out.join("report.docx").is_file());
    assert!(!out.join("report.pdf").exists());
}

const MARKER: &str = "Marker Kindnaam QX7";

/// Every file under `dir` with its path relative to `dir`.
fn files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                out.push((name, path));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_name_only_the_data_quality_list_carries_stays_in_intern() {
    let dir = temp_dir("oco-report-documents", "intern");
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    // A dossier of 2017-2018 naming no registry school: the name is listed only in the
    // data-quality appendix.
    let (separator, header, mut rows) = read_csv(&data.join("dossiers.csv"));
    let brin = header.iter().position(|h| h == "school_brin").unwrap();
    let name = header.iter().position(|h| h == "schoolnaam").unwrap();
    let row = rows
        .iter_mut()
        .find(|r| r[brin].is_empty() && !r[name].is_empty())
        .unwrap();
    row[name] = MARKER.to_string();
    let mut all = vec![header];
    all.extend(rows);
    write_csv(&data.join("dossiers.csv"), separator, &all, "");

    let out = dir.join("out");
    let mut args: Vec<String> = ["build", "2021", "--met-intern", "--data"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(data.to_string_lossy().to_string());
    args.push("--out".to_string());
    args.push(out.to_string_lossy().to_string());
    let pdftotext = program("pdftotext");
    if program("chromium").is_some() && pdftotext.is_some() {
        args.push("--pdf".to_string());
    } else {
        eprintln!("a_name_only…: no chromium or pdftotext, the PDF is not looked into");
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    succeeded(&oco_report(&args), "build --met-intern");

    let mut intern_hits = Vec::new();
    for (name, path) in files(&out) {
        let bytes = std::fs::read(&path).unwrap();
        let mut parts = readable_parts(&name, &bytes);
        if name.ends_with(".pdf") {
            let text = pdf_text(pdftotext.as_ref().unwrap(), &path);
            parts.push((format!("{name} text"), text.into_bytes()));
        }
        let holds = parts
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains(MARKER));
        if name.starts_with("intern/") {
            if holds {
                intern_hits.push(name);
            }
        } else {
            assert!(
                !holds,
                "the marker school name is in the public file {name}"
            );
        }
    }
    for expected in [
        "intern/datakwaliteit.md",
        "intern/report.md",
        "intern/report.html",
        "intern/report.docx",
    ] {
        assert!(
            intern_hits.iter().any(|h| h == expected),
            "{expected} holds the data-quality list: {intern_hits:?}"
        );
    }
    assert!(out.join("report.md").is_file() && !out.join("datakwaliteit.md").exists());
}

#[test]
fn a_data_quality_list_left_by_an_earlier_build_is_pointed_out() {
    let out = temp_dir("oco-report-documents", "stale");
    std::fs::write(out.join("datakwaliteit.md"), "oude lijst").unwrap();
    let out_arg = out.to_string_lossy().to_string();
    let run = oco_report(&["build", "2021", "--out", &out_arg]);
    succeeded(&run, "build over an earlier output folder");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("datakwaliteit.md is left from an earlier build")
            && stderr.contains("Delete it before publishing"),
        "{stderr}"
    );
    assert!(out.join("intern/datakwaliteit.md").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("datakwaliteit.md")).unwrap(),
        "oude lijst",
        "a file build did not write is left alone"
    );
}
