//! The `oco-report` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use oco_report::appendices::{self, Options};
use oco_report::build;
use oco_report::render::{self, templates::Templates};

/// Computes the appendices of OCO's yearly subsidy progress report (tussentijds verslag) from
/// the raw exports: helpdesk dossiers, voorlichtingen agenda, website pageviews, CBS pupil
/// counts and the school registry. The input files are described in docs/inputs.md.
#[derive(Parser)]
#[command(name = "oco-report", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes every appendix of YEAR: one markdown file per appendix, report.md combining them
    /// and figures.json holding every figure.
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
    },
    /// Prints one table of YEAR to standard output.
    ///
    /// Example: oco-report table stadsdelen 2021 --format csv
    Table {
        /// Table id, e.g. stadsdelen, schoolweging, sectoren, voorlichtingen-thema,
        /// helpdesk-themas, passend-vragen, kanalen. An unknown id lists all of them.
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
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Md,
    Csv,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("oco-report: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build {
            year,
            data,
            out,
            templates,
        } => {
            check_year(year)?;
            let templates = load_templates(templates)?;
            let dataset = build::load(&data)?;
            let rendered = build::render(&dataset, year, &templates, &Options::default())?;
            let out = out.unwrap_or_else(|| PathBuf::from("out").join(year.to_string()));
            let written = build::write(&rendered, &out)?;
            eprintln!(
                "oco-report: wrote {} files to {}",
                written.len(),
                out.display()
            );
            Ok(())
        }
        Command::Table {
            id,
            year,
            data,
            format,
            sector,
        } => {
            check_year(year)?;
            if !appendices::table_ids().contains(&id.as_str()) {
                bail!(
                    "unknown table {id:?}; known tables: {}",
                    appendices::table_ids().join(", ")
                );
            }
            let dataset = build::load(&data)?;
            let options = Options {
                maand_sector: sector,
            };
            let table = appendices::compute_table(&dataset, year, &id, &options)?;
            let text = match format {
                Format::Md => render::markdown::table(&table),
                Format::Csv => render::csv::table(&table),
                Format::Json => {
                    let mut json = serde_json::to_string_pretty(&render::json::table(&table))?;
                    json.push('\n');
                    json
                }
            };
            print!("{text}");
            Ok(())
        }
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
