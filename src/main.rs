//! The `oco-report` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use oco_report::appendices::{self, Options};
use oco_report::build;
use oco_report::coverage;
use oco_report::render::{self, templates::Templates};

/// mimalloc: reading a national export makes millions of small strings on every core, which it
/// allocates about a third faster than glibc's allocator (see bench/RESULTS.md). Linux only,
/// where it was measured; Windows and macOS keep their own allocator (and need no C compiler).
#[cfg(target_os = "linux")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Computes the appendices of OCO's yearly subsidy progress report (tussentijds verslag) from
/// the raw exports: helpdesk dossiers, voorlichtingen agenda, website pageviews, CBS pupil
/// counts and the school registry. The input files are described in docs/inputs.md.
#[derive(Parser)]
#[command(name = "oco-report", version, about, long_about = None, after_help = ENVIRONMENT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The environment variables the program reads, for `--help`.
const ENVIRONMENT: &str = "Environment:
  OCO_READER=careful   read every export with the careful reader only (the default, fast, takes a
                       large export on every core when it holds nothing out of the ordinary; both
                       give the same result)
  OCO_DEBUG=1          say on standard error why a fast reader left a file to the careful one
  OCO_REPORT_CHROMIUM  the browser `build --pdf` prints with (default: the first of chromium,
                       chromium-browser, google-chrome, google-chrome-stable on the PATH)";

/// The ids `table` knows, from the appendices' definitions.
fn table_id_help() -> String {
    format!(
        "Table id: {}. An unknown id lists all of them.",
        appendices::table_ids().join(", ")
    )
}

/// The ids `explain` knows: the tables that count dossiers or sessions.
fn explain_table_help() -> String {
    format!(
        "Table id, as of `table`, of a table that counts dossiers or sessions: {}.",
        oco_report::explain::table_ids().join(", ")
    )
}

#[derive(Subcommand)]
enum Command {
    /// Writes every appendix of YEAR: one markdown file per appendix, report.md combining them
    /// (also as report.html and report.docx) and figures.json holding every figure; the
    /// working material (the data-quality list) in intern/.
    ///
    /// Example: oco-report build 2021   (reads data/, writes out/2021/)
    Build {
        /// Report year: 2021 covers school year 2020-2021 and calendar year 2021.
        year: i32,
        /// Folder with the exports and the optional oco-report.toml.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Output folder [default: out/YEAR].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Folder with the prose templates [default: report-templates/ if present, else the
        /// built-in ones].
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Small-cell protection: show counts from 1 to N-1 as <N in every output (tables,
        /// charts, figures.json); zero, totals rows and the tables of pageviews and
        /// voorlichtingen stay exact [default: off].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        min_cell: Option<u32>,
        /// Build even when an export has no row in the report's school year (otherwise refused,
        /// exit 1); the report marks what the data do not cover.
        #[arg(long)]
        gedeeltelijk: bool,
        /// Also report.pdf (A4, print-ready), printed by headless Chromium, which must be
        /// installed (or named in OCO_REPORT_CHROMIUM).
        #[arg(long)]
        pdf: bool,
        /// Also the report with the working material (the data-quality list), for internal
        /// reading, in intern/ (report.md, report.html, report.docx, with --pdf report.pdf);
        /// the public report stays without it.
        #[arg(long)]
        met_intern: bool,
    },
    /// Prints one table of YEAR to standard output.
    ///
    /// Example: oco-report table stadsdelen 2021 --format csv
    Table {
        #[arg(help = table_id_help())]
        id: String,
        /// Report year.
        year: i32,
        #[arg(long, default_value = "data")]
        data: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
        /// Sector of the helpdesk-maand table.
        #[arg(long, default_value = "vo")]
        sector: String,
        /// Small-cell protection: show counts from 1 to N-1 as <N (see build) [default: off].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        min_cell: Option<u32>,
        /// Print the table even when an export it reads has no row in the report's school year
        /// (otherwise refused, exit 1).
        #[arg(long)]
        gedeeltelijk: bool,
    },
    /// Explains one figure of a table: the rule and the dossiers or sessions it counts (ids,
    /// dates, how the school was matched), a percentage's numerator and denominator with their
    /// sources, the figures a total adds.
    ///
    /// Example: oco-report explain stadsdelen 2021 --row Zuidoost --column pct_excl_webinars
    Explain {
        #[arg(help = explain_table_help())]
        table: String,
        /// Report year.
        year: i32,
        /// Row key, as the first column of `table ID YEAR --format csv`.
        #[arg(long)]
        row: String,
        /// Column key, as the header of `table ID YEAR --format csv` [default: every figure of
        /// the row].
        #[arg(long)]
        column: Option<String>,
        #[arg(long, default_value = "data")]
        data: PathBuf,
        #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
        format: ExplainFormat,
        /// Sector of the helpdesk-maand table.
        #[arg(long, default_value = "vo")]
        sector: String,
        /// Small-cell protection as in `table`: a count hidden as <N is not explained dossier
        /// by dossier [default: off].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        min_cell: Option<u32>,
        /// figures.json of an earlier report, or an earlier `explain --format json`: says
        /// whether a figure changed and, from an earlier explain, which dossiers entered or left.
        #[arg(long, value_name = "OLD_FIGURES.json")]
        vergelijk: Option<PathBuf>,
        /// Explain even when an export it reads has no row in the report's school year.
        #[arg(long)]
        gedeeltelijk: bool,
    },
    /// Holds the figures of YEAR to last year's report and to the subsidy targets, for CI:
    /// restated history, totals and tables that disagree, large changes, the scorecard.
    ///
    /// Exit status: 0 every check holds (warnings and missed targets allowed), 1 a check
    /// failed, 2 a usage or input error.
    ///
    /// Example: oco-report check 2021 --baseline out/2020/figures.json
    Check {
        /// Report year to check.
        year: i32,
        /// figures.json of last year's report (as `build` wrote it).
        #[arg(long)]
        baseline: PathBuf,
        /// Folder with the exports and the optional oco-report.toml (settings of the check and
        /// the targets).
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Check this figures.json (e.g. the published out/YEAR/figures.json) instead of
        /// computing the figures from --data.
        #[arg(long)]
        figures: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Changes beyond the tolerance and targets not met (or unknown) fail the check.
        #[arg(long)]
        strict: bool,
    },
    /// Reads every input and reports all problems (file, line, column, what was expected),
    /// the rows read, used, outside the report windows and rejected per file, school names
    /// that match no registry school with the nearest names, and unknown categories.
    ///
    /// Exit status: 0 no problems, 1 problems (build refuses the data), 2 unusable data (the
    /// folder or a file is missing, a file is not CSV text, the settings cannot be read).
    ///
    /// Example: oco-report validate --data data
    Validate {
        /// Folder with the exports and the optional oco-report.toml.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Report year whose windows the rows are counted in [default: the report year of the
        /// latest complete school year in the dossiers].
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Makes scholen.csv and leerlingen-stadsdeel.csv from DUO's open-data files (school
    /// registers, pupil counts per location) and the Inspectie's schoolweging workbook, each
    /// recognised by its header, merged with what DIR already holds. The stadsdeel comes from
    /// the postcode (or DIR/stadsdelen-overrides.csv).
    ///
    /// Exit status: 0 imported, 1 problems in the files (nothing written), 2 unusable input.
    ///
    /// Example: oco-report import-scholen vestigingen-bo.csv leerlingen-bo.csv --dry-run
    ImportScholen {
        /// DUO CSV files and the Inspectie's workbook (XLSX or ODS).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder with scholen.csv, leerlingen-stadsdeel.csv and oco-report.toml.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Municipality whose school locations are kept (CBS code; 0363 is Amsterdam).
        #[arg(long, default_value = "0363")]
        gemeente: String,
        /// Prints what would change and writes nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Text,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Md,
    Csv,
    Json,
}

fn main() -> ExitCode {
    build::no_transparent_huge_pages();
    let cli = Cli::parse();
    // A misspelt OCO_READER or OCO_DEBUG would otherwise leave the default in force, unnoticed.
    if let Err(error) = oco_report::ingest::reader_choice::check_environment() {
        eprintln!("oco-report: {error:#}");
        return ExitCode::from(2);
    }
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("oco-report: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Not dropped: the process ends right after, and the operating system takes back a million
/// dossiers' memory at once, where freeing it piece by piece costs a tenth of a second.
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            year,
            data,
            out,
            templates,
            min_cell,
            gedeeltelijk,
            pdf,
            met_intern,
        } => {
            check_year(year)?;
            let templates = load_templates(templates)?;
            let engine = pdf.then(render::pdf::Engine::find).transpose()?;
            oco_report::memory::fit_to_input(oco_report::ingest::input_bytes(&data));
            let progress = Progress::start();
            progress.step(format!("reading the data in {}", data.display()));
            let (dataset, frames) = build::load_with_frames(&data)?;
            progress.step("computing and rendering the appendices".to_string());
            let refusal = frames.coverage.refusal(year, &coverage::ALL_EXPORTS);
            if let Some(refusal) = refusal.filter(|_| !gedeeltelijk) {
                progress.finish();
                eprintln!("oco-report: {refusal}");
                return Ok(ExitCode::from(1));
            }
            let mut rendered = build::render_report(
                &dataset,
                &frames,
                year,
                &templates,
                &Options::default(),
                min_cell,
                met_intern,
            )?;
            if let Some(engine) = &engine {
                progress.step(format!(
                    "printing report.pdf with {}",
                    engine.program().display()
                ));
                build::add_pdf(&mut rendered, engine, year)?;
            }
            let out = out.unwrap_or_else(|| PathBuf::from("out").join(year.to_string()));
            progress.step(format!("writing {}", out.display()));
            let written = build::write(&rendered, &out)?;
            progress.finish();
            leave_to_exit((dataset, frames, rendered));
            eprintln!(
                "oco-report: wrote {} files to {}",
                written.len(),
                out.display()
            );
            for stale in build::working_material_left_beside(&out) {
                eprintln!(
                    "oco-report: warning: {} is left from an earlier build and holds working \
                     material (school names as typed in the CRM); it now goes to {}/ only. \
                     Delete it before publishing the folder.",
                    stale.display(),
                    build::INTERN
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Table {
            id,
            year,
            data,
            format,
            sector,
            min_cell,
            gedeeltelijk,
        } => {
            check_year(year)?;
            if !appendices::table_ids().contains(&id.as_str()) {
                bail!(
                    "unknown table {id:?}; known tables: {}",
                    appendices::table_ids().join(", ")
                );
            }
            let build::TableInputs {
                data: dataset,
                frames,
                refusal,
            } = build::load_table_inputs(&data, &id, year)?;
            if let Some(refusal) = refusal.filter(|_| !gedeeltelijk) {
                eprintln!("oco-report: {refusal}");
                return Ok(ExitCode::from(1));
            }
            let options = Options {
                maand_sector: sector,
            };
            let mut table = appendices::compute_table_from(&dataset, &frames, year, &id, &options)?;
            if let Some(min) = min_cell {
                render::small_cells::suppress(&mut table, min);
            }
            let text = match format {
                Format::Md => render::markdown::table(&table),
                Format::Csv => render::csv::table(&table),
                Format::Json => {
                    let mut json = serde_json::to_string_pretty(&render::json::table(&table))?;
                    json.push('\n');
                    json
                }
            };
            emit(&text);
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain {
            table,
            year,
            row,
            column,
            data,
            format,
            sector,
            min_cell,
            vergelijk,
            gedeeltelijk,
        } => {
            check_year(year)?;
            if format == ExplainFormat::Csv && column.is_none() {
                bail!("--format csv explains one figure: give --column");
            }
            let baseline = vergelijk
                .map(|path| oco_report::explain::Baseline::read(&path))
                .transpose()?;
            let build::TableInputs {
                data: dataset,
                frames,
                refusal,
            } = build::load_table_inputs(&data, &table, year)?;
            if let Some(refusal) = refusal.filter(|_| !gedeeltelijk) {
                eprintln!("oco-report: {refusal}");
                return Ok(ExitCode::from(1));
            }
            let options = Options {
                maand_sector: sector,
            };
            let request = oco_report::explain::Request {
                table: &table,
                year,
                row: &row,
                column: column.as_deref(),
                options: &options,
                min_cell,
                baseline: baseline.as_ref(),
            };
            let explained = oco_report::explain::explain(&dataset, &frames, &request)?;
            let text = match format {
                ExplainFormat::Text => oco_report::explain::text(&explained),
                ExplainFormat::Csv => explained
                    .iter()
                    .map(oco_report::explain::csv)
                    .collect::<String>(),
                ExplainFormat::Json => {
                    let json = match explained.as_slice() {
                        [one] if column.is_some() => serde_json::to_string_pretty(one)?,
                        all => serde_json::to_string_pretty(all)?,
                    };
                    json + "\n"
                }
            };
            emit(&text);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            year,
            baseline,
            data,
            figures,
            format,
            strict,
        } => {
            check_year(year)?;
            let options = oco_report::check::Options {
                year,
                baseline,
                data,
                figures,
                strict,
            };
            let outcome = match oco_report::check::run(&options) {
                Ok(outcome) => outcome,
                Err(error) if format == CheckFormat::Json => {
                    let json = serde_json::json!({
                        "year": year,
                        "passed": false,
                        "exit_code": 2,
                        "error": format!("{error:#}"),
                    });
                    emit(&(serde_json::to_string_pretty(&json)? + "\n"));
                    return Err(error);
                }
                Err(error) => return Err(error),
            };
            match format {
                CheckFormat::Text => emit(&outcome.text()),
                CheckFormat::Json => emit(&(serde_json::to_string_pretty(&outcome.json())? + "\n")),
            }
            Ok(ExitCode::from(outcome.exit_code()))
        }
        Command::Validate { data, year, format } => {
            if let Some(year) = year {
                check_year(year)?;
            }
            let validation = oco_report::validate::run(&data, year);
            let text = match format {
                CheckFormat::Text => validation.text(),
                CheckFormat::Json => serde_json::to_string_pretty(&validation)? + "\n",
            };
            emit(&text);
            Ok(ExitCode::from(validation.exit_code))
        }
        Command::ImportScholen {
            files,
            data,
            gemeente,
            dry_run,
        } => {
            let seconds = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            let today = chrono::DateTime::from_timestamp(seconds, 0)
                .map(|t| t.date_naive())
                .unwrap_or_default();
            let options = oco_report::registry::Options {
                data,
                gemeente,
                dry_run,
                files,
                today,
            };
            let outcome = oco_report::registry::run(&options)?;
            emit(&outcome.text);
            Ok(ExitCode::from(outcome.exit_code))
        }
    }
}

/// Writes to standard output; a reader that stops early (`| head`) is no error of the data,
/// so a closed pipe is ignored instead of panicking as `print!` would.
fn emit(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// What a long build is doing, on standard error while it is a terminal (a spinner with the
/// step and the time taken); nothing at all otherwise, so logs and pipes stay clean.
struct Progress(indicatif::ProgressBar);

impl Progress {
    fn start() -> Progress {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress(bar)
    }

    fn step(&self, message: String) {
        self.0.set_message(message);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Drop for Progress {
    /// Also on an error: the error message gets a clean line.
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

fn check_year(year: i32) -> Result<()> {
    if !(2000..=2100).contains(&year) {
        bail!("report year {year} is out of range: give a year like 2021");
    }
    Ok(())
}

fn load_templates(dir: Option<PathBuf>) -> Result<Templates> {
    match dir {
        Some(dir) => Templates::from_dir(&dir),
        None if std::path::Path::new("report-templates").is_dir() => {
            Templates::from_dir(std::path::Path::new("report-templates"))
        }
        None => Ok(Templates::builtin()),
    }
}
