//! The appendices' definitions (`appendices::ALL`) checked against each other, against the
//! files of `report-templates/` and against what the computations make of the default data:
//! what every part of the program reads about an appendix must be true of it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use oco_report::appendices::{self, ALL, Options};
use oco_report::model::DataSet;
use oco_report::table::Appendix;

use oco_report::ingest::EXPORTS;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn data() -> &'static DataSet {
    static CELL: OnceLock<DataSet> = OnceLock::new();
    CELL.get_or_init(|| oco_report::build::load(&repo("data")).expect("default data loads"))
}

fn appendices_2021() -> &'static Vec<Appendix> {
    static CELL: OnceLock<Vec<Appendix>> = OnceLock::new();
    CELL.get_or_init(|| {
        appendices::compute_all(data(), 2021, &Options::default()).expect("2021 computes")
    })
}

fn duplicates<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    ids.into_iter().filter(|id| !seen.insert(*id)).collect()
}

/// Ids become file names (`ID.md`, `ID.svg`, a sheet of `tabellen.xlsx`) and command-line
/// arguments: lower-case letters, digits and inner hyphens only.
fn plain(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn ids_are_unique_and_plain() {
    let appendix_ids: Vec<&str> = ALL.iter().map(|a| a.id).collect();
    let table_ids = appendices::table_ids();
    let chart_ids: Vec<&str> = oco_report::render::charts::planned()
        .iter()
        .map(|c| c.id)
        .collect();
    for (what, ids) in [
        ("appendix", &appendix_ids),
        ("table", &table_ids),
        ("chart", &chart_ids),
    ] {
        assert_eq!(
            duplicates(ids.iter().copied()),
            Vec::<&str>::new(),
            "{what} ids"
        );
        for id in ids {
            assert!(plain(id), "{what} id {id:?}");
        }
    }
    for appendix in ALL {
        assert!(!appendix.tables.is_empty(), "{} has no table", appendix.id);
        assert!(
            !appendix.title.trim().is_empty(),
            "{} has no title",
            appendix.id
        );
    }
    assert!(!plain("Kanalen") && !plain("a/b") && !plain("-a") && !plain(""));
}

#[test]
fn every_template_is_the_file_of_report_templates() {
    let folder = repo("report-templates");
    let mut names = HashSet::new();
    for appendix in ALL {
        let template = &appendix.template;
        assert_eq!(template.name, format!("{}.md", appendix.id));
        let file = std::fs::read_to_string(folder.join(template.name))
            .unwrap_or_else(|e| panic!("report-templates/{}: {e}", template.name));
        assert_eq!(
            template.builtin, file,
            "{} compiled in as is",
            template.name
        );
        names.insert(template.name.to_string());
    }
    names.insert(oco_report::render::templates::REPORT_TEMPLATE.to_string());
    for entry in std::fs::read_dir(&folder).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            names.contains(&name),
            "report-templates/{name} is the template of no appendix"
        );
    }
    let builtin: HashSet<String> = oco_report::render::Templates::builtin()
        .names()
        .into_iter()
        .collect();
    assert_eq!(builtin, names);
}

#[test]
fn inputs_are_exports_and_suffice_for_each_table() {
    for appendix in ALL {
        assert!(!appendix.inputs.is_empty(), "{}", appendix.id);
        assert_eq!(
            duplicates(appendix.inputs.iter().copied()),
            Vec::<&str>::new()
        );
        for file in appendix.inputs {
            assert!(
                EXPORTS.contains(file),
                "{}: {file} is no export",
                appendix.id
            );
        }
    }
    // `table` reads only the inputs of its appendix: the table it prints from them is the one
    // `build` computes from every export.
    for (appendix, table) in appendices::tables() {
        let inputs = oco_report::build::load_table_inputs(&repo("data"), table.id, 2021)
            .unwrap_or_else(|e| panic!("{}: {e:#}", table.id));
        let alone = appendices::compute_table_from(
            &inputs.data,
            &inputs.frames,
            2021,
            table.id,
            &Options::default(),
        )
        .unwrap_or_else(|e| panic!("{} from {:?}: {e:#}", table.id, appendix.inputs));
        let whole = appendices_2021()
            .iter()
            .find_map(|a| a.table(table.id))
            .unwrap();
        assert_eq!(&alone, whole, "{} from {:?}", table.id, appendix.inputs);
    }
}

#[test]
fn the_computations_make_the_defined_appendices_and_tables() {
    let computed = appendices_2021();
    let ids: Vec<&str> = computed.iter().map(|a| a.id.as_str()).collect();
    let defined: Vec<&str> = ALL.iter().map(|a| a.id).collect();
    assert_eq!(ids, defined, "the report's order");
    for (appendix, definition) in computed.iter().zip(ALL) {
        assert_eq!(appendix.title, definition.title);
        let tables: Vec<&str> = appendix.tables.iter().map(|t| t.id.as_str()).collect();
        let defined: Vec<&str> = definition.tables.iter().map(|t| t.id).collect();
        assert_eq!(tables, defined, "tables of {}", definition.id);
        // The columns a definition names are columns of its table: a percentage divides two
        // counts of the row, the pupil column holds counts.
        for (table, defined) in appendix.tables.iter().zip(definition.tables) {
            let column = |key: &str| table.columns.iter().position(|c| c.key == key);
            let counts = |key: &str| {
                let i = column(key).unwrap_or_else(|| panic!("{} has no column {key}", table.id));
                table.rows.iter().all(|r| {
                    matches!(
                        r.values.get(i - 1),
                        Some(oco_report::table::Value::Count(_))
                    )
                })
            };
            for p in defined.percentages {
                assert!(column(p.column).is_some(), "{} / {}", table.id, p.column);
                assert!(counts(p.numerator), "{} / {}", table.id, p.numerator);
                assert!(counts(p.denominator), "{} / {}", table.id, p.denominator);
            }
            if let Some(pupils) = defined.pupils {
                assert!(counts(pupils.column), "{} / {}", table.id, pupils.column);
            }
        }
    }
}

#[test]
fn every_chart_draws_a_table_of_its_appendix() {
    let planned = oco_report::render::charts::planned();
    assert!(!planned.is_empty());
    for chart in &planned {
        let definition = appendices::definition(chart.appendix).expect("an appendix");
        assert!(definition.table(chart.table).is_some(), "{}", chart.id);
        assert_eq!(
            oco_report::render::charts::chart_ids(chart.appendix)
                .iter()
                .filter(|id| **id == chart.id)
                .count(),
            1
        );
    }
    let appendices = appendices_2021();
    let drawn = oco_report::render::charts::render_all(appendices, &data().pageviews).unwrap();
    let drawn: Vec<(&str, &str)> = drawn
        .iter()
        .map(|c| (c.id.as_str(), c.table.as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = planned.iter().map(|c| (c.id, c.table)).collect();
    assert_eq!(drawn, expected);
}

#[test]
fn explain_traces_exactly_the_tables_that_name_their_items() {
    let data = data();
    let frames = oco_report::frames::Frames::new(data).unwrap();
    let explained = oco_report::explain::table_ids();
    for (_, table) in appendices::tables() {
        let items = appendices::counted_items(data, &frames, 2021, table.id, &Options::default())
            .unwrap_or_else(|e| panic!("{}: {e:#}", table.id));
        assert_eq!(items.is_some(), table.counted.is_some(), "{}", table.id);
        assert_eq!(explained.contains(&table.id), table.counted.is_some());
    }
    assert!(
        appendices::counted_items(data, &frames, 2021, "geen-tabel", &Options::default())
            .unwrap()
            .is_none()
    );
}

/// The properties that decide what is published and what `check` compares, as the lists
/// before the definitions had them: an appendix that is not a compared, explained, public
/// count of people changes these on purpose.
#[test]
fn properties_of_the_2021_tables() {
    let with = |property: fn(&appendices::TableDefinition) -> bool| -> Vec<&str> {
        appendices::tables()
            .filter(|(_, t)| property(t))
            .map(|(_, t)| t.id)
            .collect()
    };
    assert_eq!(
        with(|t| !t.counts_people),
        [
            "websitebezoek",
            "voorlichtingen-stadsdeel",
            "voorlichtingen-thema",
            "voorlichtingen-organisatie"
        ]
    );
    assert_eq!(
        with(|t| !t.compared_with_last_year),
        ["datakwaliteit-scholen", "doelen"]
    );
    assert_eq!(
        with(|t| t.counted.is_none()),
        ["websitebezoek", "datakwaliteit-scholen", "doelen"]
    );
    assert_eq!(with(|t| t.caption_names_gaps), ["websitebezoek"]);
    let internal: Vec<&str> = ALL.iter().filter(|a| a.internal).map(|a| a.id).collect();
    assert_eq!(internal, ["datakwaliteit"]);
}

#[test]
fn help_and_errors_name_every_table_they_take() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_oco-report"))
            .args(args)
            .output()
            .expect("oco-report runs")
    };
    let text = |out: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    // The list as printed: `...: a, b, c.` with the lines of the help text joined.
    let listed = |text: &str, after: &str| -> Vec<String> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let start = text
            .find(after)
            .unwrap_or_else(|| panic!("{after:?} in {text}"))
            + after.len();
        let list = &text[start..];
        let end = list.find(['.', ';']).unwrap_or(list.len());
        list[..end]
            .split(", ")
            .map(|s| s.trim().to_string())
            .collect()
    };
    let tables = appendices::table_ids();
    let explained = oco_report::explain::table_ids();
    assert_eq!(
        listed(&text(&run(&["table", "--help"])), "Table id: "),
        tables
    );
    assert_eq!(
        listed(
            &text(&run(&["explain", "--help"])),
            "a table that counts dossiers or sessions: "
        ),
        explained
    );
    let unknown = run(&["table", "geen-tabel", "2021", "--data", "data"]);
    assert!(!unknown.status.success());
    assert_eq!(listed(&text(&unknown), "known tables: "), tables);
    let unknown = run(&["explain", "websitebezoek", "2021", "--row", "2020-2021"]);
    assert!(!unknown.status.success());
    assert_eq!(listed(&text(&unknown), "dossiers or sessions: "), explained);
}

/// The exports in the order `docs/inputs.md` describes them: the order `validate` reports in
/// and the files `[kolommen]` may rename.
#[test]
fn the_exports_are_those_of_the_contract_in_its_order() {
    let contract = std::fs::read_to_string(repo("docs/inputs.md")).expect("docs/inputs.md");
    let described: Vec<&str> = contract
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .filter_map(|heading| heading.split_whitespace().next())
        .filter(|file| {
            file.ends_with(".csv") && *file != oco_report::registry::postcode::OVERRIDES_FILE
        })
        .collect();
    assert_eq!(described, EXPORTS);
}
