//! The prose around the tables: markdown templates rendered with minijinja.
//!
//! The templates live in `report-templates/`, one per appendix (`<appendix id>.md`) plus
//! `report.md` for the combined report. The binary carries copies of them
//! ([`Templates::builtin`]) so it works from any folder, and a user may point it at an edited
//! folder instead ([`Templates::from_dir`]) without recompiling.
//!
//! What a template of an appendix sees:
//! - `year`: the report year (a number);
//! - `appendix.id`, `appendix.title`;
//! - `facts.NAME`: every fact of the appendix as the report prints it (`1.414`, `0,9`, text);
//! - `waarden.NAME`: the same facts as raw values (counts as integers, tenths as decimals,
//!   undefined as none) for conditions: `{% if waarden.laatste > waarden.eerste %}`;
//! - `tabel("ID")`: the markdown of that table of the appendix, its title in bold above it;
//! - `grafiek("ID")`: the markdown image of that chart (`![Grafiek: …](ID.svg)`, its alt text
//!   the chart's figures), drawn from a table of the appendix (see [`crate::render::charts`]).
//!
//! `report.md` sees `year`, `appendices`, a list of `{id, title, anchor, markdown}`, and
//! `intern`: true in the version with the working material, for internal reading.
//!
//! Both get the filter `opsomming` (`"a, b, c"|opsomming` → `a, b en c`).
//!
//! Undefined values are errors (a misspelt fact never renders as an empty string), output is
//! not escaped (it is markdown), `trim_blocks` and `lstrip_blocks` are on, and the output is
//! normalised to end with exactly one newline and to have no more than one blank line in a row.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value as Jinja;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

use crate::appendices;
use crate::render::number::value_nl;
use crate::render::{charts, markdown};
use crate::table::{Appendix, Value};

/// The template of the combined report.
pub const REPORT_TEMPLATE: &str = "report.md";

/// The work one render may do (minijinja's fuel: about one unit per instruction and per 64
/// bytes made), so that a template looping a million times stops with an error within a
/// second instead of running for minutes and exhausting memory. The built-in report uses
/// a few thousand per appendix (see the test `fuel_bounds_a_runaway_template`).
pub const TEMPLATE_FUEL: u64 = 2_000_000;

/// A template is a page of prose; a file larger than this is no template.
const MAX_TEMPLATE_BYTES: u64 = 1 << 20;

/// More templates than appendices many times over is no templates folder.
const MAX_TEMPLATES: usize = 200;

/// The templates compiled into the binary: the files of `report-templates/`, those of the
/// appendices from their definitions ([`appendices::ALL`]).
fn builtin_sources() -> impl Iterator<Item = (&'static str, &'static str)> {
    let report = (
        REPORT_TEMPLATE,
        include_str!("../../report-templates/report.md"),
    );
    appendices::ALL
        .iter()
        .map(|a| (a.template.name, a.template.builtin))
        .chain([report])
}

/// A set of report templates, ready to render.
pub struct Templates {
    env: Environment<'static>,
    /// Where the templates came from: `None` for the built-in copies.
    dir: Option<PathBuf>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("dir", &self.dir)
            .field("names", &self.names())
            .finish()
    }
}

impl Templates {
    /// The copies of `report-templates/` compiled into the binary.
    pub fn builtin() -> Templates {
        let mut templates = Templates {
            env: environment(),
            dir: None,
        };
        for (name, source) in builtin_sources() {
            let source = normalise_source(source);
            if let Err(err) = templates.env.add_template_owned(name, source) {
                panic!("{}", templates.error(name, &err));
            }
        }
        templates
    }

    /// Every `*.md` file of `dir`, by file name (`stadsdelen.md`). Syntax errors are reported
    /// here, naming the file and line.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Templates> {
        let dir = dir.as_ref();
        let mut templates = Templates {
            env: environment(),
            dir: Some(dir.to_path_buf()),
        };
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("reading the templates folder {}", dir.display()))?;
        let inside = std::fs::canonicalize(dir)
            .with_context(|| format!("reading the templates folder {}", dir.display()))?;
        let mut files = Vec::new();
        for entry in entries {
            let path = entry
                .with_context(|| format!("reading the templates folder {}", dir.display()))?
                .path();
            if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
        files.sort();
        if files.len() > MAX_TEMPLATES {
            bail!(
                "the templates folder {} holds {} templates: expected at most {MAX_TEMPLATES}",
                dir.display(),
                files.len()
            );
        }
        for path in files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .ok_or_else(|| anyhow!("template file name is not UTF-8: {}", path.display()))?
                .to_string();
            // Only files inside the folder: a link to a file elsewhere (`/etc/passwd`) would
            // put that file into the report.
            let real = std::fs::canonicalize(&path)
                .with_context(|| format!("reading template {}", path.display()))?;
            if !real.starts_with(&inside) {
                bail!(
                    "template {} is a link to a file outside the templates folder: \
                     expected the template itself",
                    path.display()
                );
            }
            let bytes = crate::ingest::regular::read(&real, MAX_TEMPLATE_BYTES)
                .map_err(|e| anyhow!("reading template {}: {e}", path.display()))?;
            let source = String::from_utf8(bytes)
                .map_err(|_| anyhow!("template {} is not UTF-8 text", path.display()))?;
            let source = normalise_source(&source);
            if let Err(err) = templates.env.add_template_owned(name.clone(), source) {
                return Err(templates.error(&name, &err));
            }
        }
        Ok(templates)
    }

    /// The names of the templates (`report.md`, `stadsdelen.md`, ...), sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .env
            .templates()
            .map(|(name, _)| name.to_string())
            .collect();
        names.sort();
        names
    }

    /// Renders the template of this appendix: the one its definition names, `<appendix.id>.md`
    /// for an appendix of a templates folder only. See the module documentation for what the
    /// template sees.
    pub fn render_appendix(&self, appendix: &Appendix, year: i32) -> Result<String> {
        let name = appendices::definition(&appendix.id)
            .map_or_else(|| format!("{}.md", appendix.id), |d| d.template.name.into());
        // Text facts are markdown-escaped like table cells; numbers need no escaping.
        let facts: BTreeMap<String, String> = appendix
            .facts
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::Text(s) => markdown::escape(s),
                    v => value_nl(v),
                };
                (k.clone(), text)
            })
            .collect();
        let waarden: BTreeMap<String, Jinja> = appendix
            .facts
            .iter()
            .map(|(k, v)| (k.clone(), raw(v)))
            .collect();
        let tables: BTreeMap<String, String> = appendix
            .tables
            .iter()
            .map(|t| {
                (
                    t.id.clone(),
                    format!(
                        "**{}**\n\n{}",
                        markdown::escape(t.title.trim()),
                        markdown::table(t)
                    ),
                )
            })
            .collect();
        let appendix_id = appendix.id.clone();
        let tabel = Jinja::from_function(move |id: &str| -> Result<String, Error> {
            tables.get(id).cloned().ok_or_else(|| {
                let known: Vec<&str> = tables.keys().map(String::as_str).collect();
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!(
                        "appendix {appendix_id} has no table {id:?} (its tables: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                )
            })
        });
        let chart_appendix = appendix.clone();
        let grafiek = Jinja::from_function(move |id: &str| -> Result<String, Error> {
            charts::markdown(&chart_appendix, id)
                .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("{e:#}")))
        });
        let context = Jinja::from_pairs([
            ("year", Jinja::from(year)),
            (
                "appendix",
                Jinja::from_pairs([
                    ("id", Jinja::from(appendix.id.as_str())),
                    ("title", Jinja::from(appendix.title.as_str())),
                ]),
            ),
            ("facts", Jinja::from(facts)),
            ("waarden", Jinja::from(waarden)),
            ("tabel", tabel),
            ("grafiek", grafiek),
        ]);
        self.render(&name, context)
    }

    /// Renders `report.md`: the title page and table of contents, then every rendered appendix
    /// (appendix id, its markdown) in the given order. Each appendix's title is read from its
    /// first `## ` heading; the table of contents links to it by the anchor GitHub and comrak
    /// give that heading.
    pub fn render_report(&self, year: i32, appendices: &[(String, String)]) -> Result<String> {
        self.render_report_for(year, appendices, false)
    }

    /// [`Templates::render_report`]; `intern` (the template sees it) marks the version with the
    /// working material for internal reading.
    pub fn render_report_for(
        &self,
        year: i32,
        appendices: &[(String, String)],
        intern: bool,
    ) -> Result<String> {
        let mut anchorizer = comrak::Anchorizer::new();
        let mut entries = Vec::with_capacity(appendices.len());
        for (id, markdown) in appendices {
            let title = markdown
                .lines()
                .find_map(|line| line.strip_prefix("## "))
                .map(|t| t.trim().trim_end_matches('#').trim())
                .filter(|t| !t.is_empty())
                .ok_or_else(|| {
                    anyhow!("appendix {id} has no `## ` heading for the table of contents")
                })?;
            let anchor = anchorizer.anchorize(title);
            entries.push(Jinja::from_pairs([
                ("id", Jinja::from(id.as_str())),
                ("title", Jinja::from(title)),
                ("anchor", Jinja::from(anchor)),
                ("markdown", Jinja::from(markdown.trim())),
            ]));
        }
        let context = Jinja::from_pairs([
            ("year", Jinja::from(year)),
            ("appendices", Jinja::from(entries)),
            ("intern", Jinja::from(intern)),
        ]);
        self.render(REPORT_TEMPLATE, context)
    }

    fn render(&self, name: &str, context: Jinja) -> Result<String> {
        let template = self.env.get_template(name).map_err(|_| match &self.dir {
            Some(dir) => anyhow!("there is no template {name} in {}", dir.display()),
            None => anyhow!("there is no built-in template {name}"),
        })?;
        let out = template
            .render(context)
            .map_err(|err| self.error(name, &err))?;
        Ok(tidy(&out))
    }

    /// A template error as `FILE, line N: what went wrong` followed by the failing expression
    /// or line of the template.
    fn error(&self, name: &str, err: &Error) -> anyhow::Error {
        let name = err.name().unwrap_or(name);
        let file = match &self.dir {
            Some(dir) => dir.join(name).display().to_string(),
            None => format!("{name} (built-in)"),
        };
        let mut message = match err.line() {
            Some(line) => format!("template {file}, line {line}: {}", err.kind()),
            None => format!("template {file}: {}", err.kind()),
        };
        if let Some(detail) = err.detail() {
            message.push_str(": ");
            message.push_str(detail);
        }
        if err.kind() == ErrorKind::OutOfFuel {
            message.push_str(&format!(
                " (a render may do at most {TEMPLATE_FUEL} units of work: a loop without end, or \
                 a table far too long for a report, such as hundreds of thousands of school \
                 names without a match)"
            ));
        }
        let mut cause = std::error::Error::source(err);
        while let Some(c) = cause {
            message.push_str(": ");
            message.push_str(&c.to_string());
            cause = c.source();
        }
        let source = err.template_source().map(str::to_string).or_else(|| {
            self.env
                .get_template(name)
                .ok()
                .map(|t| t.source().to_string())
        });
        if let Some(source) = source {
            let excerpt = err
                .range()
                .and_then(|r| source.get(r))
                .filter(|s| !s.trim().is_empty() && !s.contains('\n'))
                .map(str::to_string)
                .or_else(|| {
                    err.line()
                        .and_then(|l| source.lines().nth(l - 1))
                        .map(|l| l.trim().to_string())
                });
            if let Some(excerpt) = excerpt {
                message.push_str(&format!(" (in `{excerpt}`)"));
            }
        }
        anyhow!(message)
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("default delimiters are valid"),
    );
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(TEMPLATE_FUEL));
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_debug(true);
    env.add_filter("opsomming", opsomming);
    env
}

/// `"a, b, c"` → `"a, b en c"`: a comma-separated list as Dutch prose.
fn opsomming(list: &str) -> String {
    let items: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} en {last}", rest.join(", ")),
    }
}

/// A fact as a template value for conditions.
fn raw(value: &Value) -> Jinja {
    match value {
        Value::Count(n) => Jinja::from(*n),
        Value::Tenths(Some(t)) => Jinja::from(*t as f64 / 10.0),
        Value::Tenths(None) => Jinja::from(()),
        Value::Text(s) => Jinja::from(s.as_str()),
    }
}

/// Template sources with Windows line endings or a byte-order mark render like the others.
fn normalise_source(source: &str) -> String {
    source
        .strip_prefix('\u{feff}')
        .unwrap_or(source)
        .replace("\r\n", "\n")
}

/// At most one blank line in a row, no leading blank lines, exactly one final newline.
fn tidy(out: &str) -> String {
    let mut tidy = String::with_capacity(out.len() + 1);
    let mut blank_run = 0;
    for line in out.trim_start_matches('\n').lines() {
        if line.trim().is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
            tidy.push('\n');
        } else {
            blank_run = 0;
            tidy.push_str(line);
            tidy.push('\n');
        }
    }
    let trimmed = tidy.trim_end().len();
    tidy.truncate(trimmed);
    tidy.push('\n');
    tidy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Column, ReportTable, Row};

    fn count(n: i64) -> Value {
        Value::Count(n)
    }
    fn tenths(t: i64) -> Value {
        Value::Tenths(Some(t))
    }
    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    /// A small table with one recognisable row: label `ROW-<id>`, value 12.345.
    fn small_table(id: &str) -> ReportTable {
        let mut t = ReportTable::new(
            id,
            format!("Tabel {id}"),
            vec![Column::new("k", "k"), Column::new("n", "aantal")],
        )
        .with_caption(format!("bijschrift {id}"));
        t.push(Row::new(format!("ROW-{id}"), vec![count(12345)]));
        t.push(
            Row::new("totaal", vec![count(12345)])
                .labelled("Totaal")
                .as_total(),
        );
        t
    }

    fn appendix(id: &str, title: &str, tables: &[&str], facts: &[(&str, Value)]) -> Appendix {
        let mut a = Appendix::new(id, title);
        a.tables = tables.iter().map(|t| small_table(t)).collect();
        for (name, value) in facts {
            a.fact(name, value.clone());
        }
        a
    }

    /// One hand-made appendix per template, every fact present, with the figures each must show
    /// (formatted the Dutch way).
    fn cases() -> Vec<(Appendix, Vec<&'static str>)> {
        vec![
            (
                appendix(
                    "websitebezoek",
                    "Bijlage – Websitebezoek",
                    &["websitebezoek"],
                    &[
                        ("eerste_jaar", text("2017-2018")),
                        ("eerste", count(812345)),
                        ("eerste_miljoen", tenths(8)),
                        ("laatste_jaar", text("2020-2021")),
                        ("laatste", count(1512345)),
                        ("laatste_miljoen", tenths(15)),
                    ],
                ),
                vec![
                    "2017-2018",
                    "2020-2021",
                    "0,8 miljoen",
                    "1,5 miljoen",
                    "812.345",
                    "1.512.345",
                    "gestegen",
                ],
            ),
            (
                appendix(
                    "stadsdelen",
                    "Bijlage – Spreiding vragen over stadsdelen",
                    &["stadsdelen"],
                    &[
                        ("periode", text("2017-2018 t/m 2020-2021")),
                        ("cbs_schooljaar", text("2019/2020")),
                        ("dossiers_excl", count(608)),
                        ("dossiers_incl", count(716)),
                        ("webinar", count(108)),
                        ("laagste_stadsdeel", text("Zuidoost")),
                        ("laagste_pct", tenths(7)),
                    ],
                ),
                vec![
                    "2017-2018 t/m 2020-2021",
                    "2019/2020",
                    "608",
                    "716",
                    "108",
                    "Zuidoost",
                    "0,7%",
                ],
            ),
            (
                appendix(
                    "schoolweging",
                    "Bijlage – Spreiding vragen naar schoolweging",
                    &["schoolweging"],
                    &[
                        ("periode", text("2017-2018 t/m 2020-2021")),
                        ("n", count(1683)),
                        ("helpdesk", count(579)),
                        ("webinars", count(104)),
                        ("zonder_weging", count(33)),
                        ("buiten_banden", count(0)),
                    ],
                ),
                vec!["2017-2018 t/m 2020-2021", "1.683", "579", "104", "33"],
            ),
            (
                appendix(
                    "sectoren",
                    "Bijlage – Bereik per sector",
                    &["sectoren"],
                    &[("schooljaar", text("2020-2021")), ("dossiers", count(1414))],
                ),
                vec!["2020-2021", "1.414"],
            ),
            (
                appendix(
                    "voorlichtingen",
                    "Voorlichtingen",
                    &[
                        "voorlichtingen-stadsdeel",
                        "voorlichtingen-thema",
                        "voorlichtingen-organisatie",
                    ],
                    &[
                        ("jaar", count(2021)),
                        ("totaal", count(85)),
                        ("vorig_jaar", count(2020)),
                        ("vorig_totaal", count(112)),
                        ("vorig_fysiek", count(57)),
                        ("vorig_webinar", count(55)),
                        ("locaties", count(1151)),
                        ("meervoudige_locaties", count(81)),
                    ],
                ),
                vec![
                    "voor 2021",
                    "In 2020",
                    "85",
                    "112",
                    "57",
                    "55",
                    "1.151",
                    "81",
                ],
            ),
            (
                appendix(
                    "helpdesk",
                    "Helpdesk",
                    &["helpdesk-themas", "helpdesk-sectoren", "helpdesk-maand"],
                    &[
                        ("schooljaar", text("2020-2021")),
                        ("schooljaren", text("2018-2019, 2019-2020 en 2020-2021")),
                        ("dossiers", count(1414)),
                        ("contactmomenten", tenths(31)),
                        (
                            "stijging_themas",
                            text("schoolkeuze, toelating, organisatie"),
                        ),
                        ("daling_themas", text("veiligheid")),
                        ("stijging_sectoren", text("voorschool, overstap po-vo")),
                        ("daling_sectoren", text("")),
                        ("maand_sector", text("vo")),
                    ],
                ),
                vec![
                    "2018-2019, 2019-2020 en 2020-2021",
                    "1.414",
                    "3,1",
                    "schoolkeuze, toelating en organisatie",
                    "thema veiligheid",
                    "voorschool en overstap po-vo",
                    "sector vo",
                ],
            ),
            (
                appendix(
                    "passend-onderwijs",
                    "Passend onderwijs",
                    &["passend-schooltype", "passend-vragen", "passend-diagnoses"],
                    &[
                        ("schooljaar", text("2020-2021")),
                        ("vorig_schooljaar", text("2019")),
                        ("dossiers", count(200)),
                        ("dossiers_vorig", count(221)),
                        ("totaal_dossiers", count(1414)),
                        ("een_op", count(7)),
                        ("met_diagnose", count(82)),
                        ("contactmomenten", tenths(47)),
                        ("contactmomenten_alle", tenths(31)),
                    ],
                ),
                vec!["200", "221", "1.414", "1 op de 7", "82", "4,7", "3,1"],
            ),
            (
                appendix(
                    "kanalen",
                    "Kanalen",
                    &["kanalen"],
                    &[
                        ("vanaf", text("1 december 2020")),
                        ("tot", text("31 juli 2021")),
                    ],
                ),
                vec!["van 1 december 2020 tot en met 31 juli 2021"],
            ),
            (
                appendix(
                    "datakwaliteit",
                    "Datakwaliteit",
                    &["datakwaliteit-scholen"],
                    &[
                        ("ongematcht_namen", count(12)),
                        ("ongematcht_dossiers", count(1017)),
                    ],
                ),
                vec!["12", "1.017", "scholen.csv"],
            ),
            (
                appendix(
                    "doelen",
                    "Bijlage – Subsidiedoelen",
                    &["doelen"],
                    &[
                        ("jaar", text("2021")),
                        ("schooljaar", text("2020-2021")),
                        ("aantal", count(8)),
                        ("behaald", count(5)),
                        ("niet_behaald", count(2)),
                        ("onbekend", count(1)),
                        (
                            "niet_behaald_doelen",
                            text("Dossiers ≥ 1.500; Voorlichtingen in Noord ≥ vorig jaar"),
                        ),
                    ],
                ),
                vec![
                    "schooljaar 2020-2021",
                    "kalenderjaar 2021",
                    "Van de 8 doelen zijn er 5 behaald en 2 niet",
                    "Voorlichtingen in Noord ≥ vorig jaar",
                    "Van 1 doel is de uitkomst onbekend",
                ],
            ),
        ]
    }

    #[test]
    fn every_builtin_template_renders_its_figures_and_tables() {
        let templates = Templates::builtin();
        for (appendix, figures) in cases() {
            let out = templates
                .render_appendix(&appendix, 2021)
                .unwrap_or_else(|e| panic!("{}: {e:#}", appendix.id));
            assert!(
                out.starts_with(&format!("## {}\n", appendix.title)),
                "{}:\n{out}",
                appendix.id
            );
            assert!(
                out.ends_with('\n') && !out.ends_with("\n\n"),
                "{}",
                appendix.id
            );
            assert!(!out.contains("\n\n\n"), "{}", appendix.id);
            for figure in figures {
                assert!(
                    out.contains(figure),
                    "{}: {figure:?} missing in\n{out}",
                    appendix.id
                );
            }
            for table in &appendix.tables {
                assert!(
                    out.contains(&format!("**Tabel {}**", table.id)),
                    "{}: title of {}",
                    appendix.id,
                    table.id
                );
                assert!(
                    out.contains(&format!("| ROW-{} |", table.id)),
                    "{}: table {}\n{out}",
                    appendix.id,
                    table.id
                );
                assert!(out.contains("12.345"), "{}", appendix.id);
            }
            // The hand-made figures differ from the 2021 report's where they could be confused
            // with a hard-coded number; no template syntax leaks into the output.
            assert!(
                !out.contains("{{") && !out.contains("{%"),
                "{}",
                appendix.id
            );
        }
    }

    #[test]
    fn every_appendix_template_has_a_test_case() {
        let tested: Vec<String> = cases()
            .iter()
            .map(|(a, _)| format!("{}.md", a.id))
            .collect();
        for name in Templates::builtin().names() {
            assert!(
                name == REPORT_TEMPLATE || tested.contains(&name),
                "no test case for {name}"
            );
        }
    }

    #[test]
    fn builtin_and_the_folder_render_the_same() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates");
        let folder = Templates::from_dir(&dir).unwrap();
        let builtin = Templates::builtin();
        assert_eq!(folder.names(), builtin.names());
        let mut rendered = Vec::new();
        for (appendix, _) in cases() {
            let a = builtin.render_appendix(&appendix, 2021).unwrap();
            assert_eq!(
                a,
                folder.render_appendix(&appendix, 2021).unwrap(),
                "{}",
                appendix.id
            );
            assert_eq!(
                a,
                builtin.render_appendix(&appendix, 2021).unwrap(),
                "deterministic"
            );
            rendered.push((appendix.id.clone(), a));
        }
        let report = builtin.render_report(2021, &rendered).unwrap();
        assert_eq!(report, folder.render_report(2021, &rendered).unwrap());
    }

    #[test]
    fn a_missing_fact_is_an_error_naming_template_line_and_fact() {
        let templates = Templates::builtin();
        for (appendix, _) in cases() {
            for fact in appendix.facts.keys() {
                let mut a = appendix.clone();
                a.facts.remove(fact);
                let err = templates
                    .render_appendix(&a, 2021)
                    .expect_err(&format!("{} without {fact}", a.id));
                let message = format!("{err:#}");
                assert!(
                    message.contains(&format!("{}.md (built-in), line ", a.id)),
                    "{message}"
                );
                assert!(message.contains("undefined"), "{message}");
                assert!(message.contains(fact.as_str()), "{message}");
            }
        }
    }

    #[test]
    fn a_missing_table_is_an_error_naming_template_and_table() {
        let templates = Templates::builtin();
        for (appendix, _) in cases() {
            for table in &appendix.tables {
                let mut a = appendix.clone();
                a.tables.retain(|t| t.id != table.id);
                let err = templates
                    .render_appendix(&a, 2021)
                    .expect_err(&format!("{} without {}", a.id, table.id));
                let message = format!("{err:#}");
                assert!(
                    message.contains(&format!("{}.md (built-in), line ", a.id)),
                    "{message}"
                );
                assert!(
                    message.contains(&format!("no table \"{}\"", table.id)),
                    "{message}"
                );
            }
        }
    }

    #[test]
    fn empty_lists_read_well_in_the_helpdesk_prose() {
        let templates = Templates::builtin();
        let (mut a, _) = cases()
            .into_iter()
            .find(|(a, _)| a.id == "helpdesk")
            .unwrap();
        for fact in [
            "stijging_themas",
            "daling_themas",
            "stijging_sectoren",
            "daling_sectoren",
        ] {
            a.fact(fact, text(""));
        }
        let out = templates.render_appendix(&a, 2021).unwrap();
        assert!(!out.contains("thema's ."), "{out}");
        assert!(!out.contains(" en ."), "{out}");
        assert!(out.contains("geen"), "{out}");
    }

    #[test]
    fn report_combines_appendices_under_a_title_with_contents() {
        let templates = Templates::builtin();
        let appendices = vec![
            (
                "stadsdelen".to_string(),
                "## Bijlage – Spreiding vragen over stadsdelen\n\nTekst A.\n".to_string(),
            ),
            (
                "helpdesk".to_string(),
                "## Helpdesk\n\nTekst B.\n\n\n".to_string(),
            ),
        ];
        let out = templates.render_report(2021, &appendices).unwrap();
        assert!(
            out.starts_with("# Tussentijds verslag OCO 2021 – bijlagen\n"),
            "{out}"
        );
        assert!(
            !out.contains("oco-report") && !out.contains("Interne versie"),
            "the colophon is in the documents' metadata, the public version says nothing of intern: {out}"
        );
        let intern = templates
            .render_report_for(2021, &appendices, true)
            .unwrap();
        assert!(
            intern.contains("**Interne versie: niet voor publicatie.**"),
            "{intern}"
        );
        assert!(out.contains("- [Bijlage – Spreiding vragen over stadsdelen](#bijlage--spreiding-vragen-over-stadsdelen)"), "{out}");
        assert!(out.contains("- [Helpdesk](#helpdesk)"), "{out}");
        let a = out.find("## Bijlage – Spreiding").unwrap();
        let b = out.find("## Helpdesk").unwrap();
        assert!(a < b && out.find("Tekst A.").unwrap() < b);
        assert!(out.ends_with("Tekst B.\n"), "{out:?}");
        assert!(!out.contains("\n\n\n"));

        let err = templates
            .render_report(2021, &[("x".into(), "geen kop".into())])
            .unwrap_err();
        assert!(err.to_string().contains("appendix x"), "{err}");
    }

    #[test]
    fn folder_templates_errors_name_the_file_and_line() {
        let dir =
            std::env::temp_dir().join(format!("oco-report-templates-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("x.md"),
            "## {{ appendix.title }}\r\n\r\nRegel {{ facts.bestaat_niet }}.\r\n",
        )
        .unwrap();
        std::fs::write(dir.join("notities.txt"), "{{ geen template").unwrap();
        let templates = Templates::from_dir(&dir).unwrap();
        assert_eq!(templates.names(), vec!["x.md".to_string()]);
        let mut a = Appendix::new("x", "Titel");
        let err = format!("{:#}", templates.render_appendix(&a, 2021).unwrap_err());
        assert!(
            err.contains(&format!("{}, line 3", dir.join("x.md").display())),
            "{err}"
        );
        assert!(err.contains("facts.bestaat_niet"), "{err}");
        a.fact("bestaat_niet", count(1234));
        assert_eq!(
            templates.render_appendix(&a, 2021).unwrap(),
            "## Titel\n\nRegel 1.234.\n"
        );

        let err = templates
            .render_appendix(&Appendix::new("y", "Y"), 2021)
            .unwrap_err();
        assert!(err.to_string().contains("no template y.md in"), "{err}");

        std::fs::write(dir.join("kapot.md"), "regel\n{% if %}\n").unwrap();
        let err = format!("{:#}", Templates::from_dir(&dir).unwrap_err());
        assert!(
            err.contains(&format!(
                "{}, line 2: syntax error",
                dir.join("kapot.md").display()
            )),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(Templates::from_dir(&dir).is_err());
    }

    #[test]
    fn opsomming_joins_with_en() {
        assert_eq!(opsomming(""), "");
        assert_eq!(opsomming("vo"), "vo");
        assert_eq!(opsomming("a, b"), "a en b");
        assert_eq!(opsomming("a, b,c"), "a, b en c");
    }

    #[test]
    fn tidy_output() {
        assert_eq!(tidy("\n\nA\n\n\n\nB  \n\n"), "A\n\nB\n");
        assert_eq!(tidy("A"), "A\n");
    }
}
