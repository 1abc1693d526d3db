//! The charts of the 2021 report: every chart is a valid SVG and PNG, drawn from the same
//! figures as its table, the same bytes every time, and embedded in the markdown `build`
//! writes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use oco_report::appendices::{self, Options};
use oco_report::model::DataSet;
use oco_report::render::charts::{self, Chart, PNG_SCALE};
use oco_report::render::{getal, tiendes};
use oco_report::table::{Appendix, ReportTable, Value};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn data() -> &'static DataSet {
    static CELL: OnceLock<DataSet> = OnceLock::new();
    CELL.get_or_init(|| oco_report::build::load(&data_dir()).expect("default data loads"))
}

fn appendices_2021() -> &'static Vec<Appendix> {
    static CELL: OnceLock<Vec<Appendix>> = OnceLock::new();
    CELL.get_or_init(|| {
        appendices::compute_all(data(), 2021, &Options::default()).expect("2021 computes")
    })
}

fn charts_2021() -> &'static Vec<Chart> {
    static CELL: OnceLock<Vec<Chart>> = OnceLock::new();
    CELL.get_or_init(|| {
        charts::render_all(appendices_2021(), &data().pageviews).expect("charts draw")
    })
}

fn table(id: &str) -> &'static ReportTable {
    appendices_2021()
        .iter()
        .find_map(|a| a.table(id))
        .unwrap_or_else(|| panic!("no table {id}"))
}

/// Checks that `xml` is well-formed: tags nest and close, attributes are quoted, text holds
/// no `<` and only known entities. Returns the text content of every `<text>` element, in
/// document order, entities decoded and whitespace trimmed.
fn well_formed(xml: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut texts = Vec::new();
    let mut rest = xml;
    let mut roots = 0;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            check_text(rest)?;
            if !rest.trim().is_empty() {
                return Err(format!("text after the root element: {rest:?}"));
            }
            break;
        };
        let text = &rest[..open];
        check_text(text)?;
        if stack.last().is_some_and(|t| t == "text") {
            texts.push(decode(text.trim()));
        } else if stack.is_empty() && !text.trim().is_empty() {
            return Err(format!("text outside the root element: {text:?}"));
        }
        rest = &rest[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").ok_or("unclosed comment")?;
            rest = &comment[end + 3..];
            continue;
        }
        let close = tag_end(rest)
            .ok_or_else(|| format!("unclosed tag at {:?}", &rest[..rest.len().min(60)]))?;
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name: String = body.chars().take_while(|c| !c.is_whitespace()).collect();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
        {
            return Err(format!("bad tag name in <{tag}>"));
        }
        check_attributes(&body[name.len()..]).map_err(|e| format!("<{name}>: {e}"))?;
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name);
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements: {stack:?}"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(texts)
}

/// Index of the `>` that ends the tag starting at `s[0] == '<'`, skipping quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

fn check_attributes(mut s: &str) -> Result<(), String> {
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(());
        }
        let eq = s
            .find('=')
            .ok_or_else(|| format!("attribute without value: {s:?}"))?;
        let name = s[..eq].trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("bad attribute name {name:?}"));
        }
        let value = s[eq + 1..].trim_start();
        let q = value
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or("unquoted value")?;
        let end = value[1..].find(q).ok_or("unclosed value")? + 1;
        check_text(&value[1..end])?;
        s = &value[end + 1..];
    }
}

fn check_text(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        let after = &rest[amp + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| format!("bare & in {text:?}"))?;
        let entity = &after[..end];
        let known =
            ["amp", "lt", "gt", "quot", "apos"].contains(&entity) || entity.starts_with('#');
        if !known {
            return Err(format!("unknown entity &{entity};"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn chart(id: &str) -> &'static Chart {
    charts_2021()
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no chart {id}"))
}

fn texts(id: &str) -> Vec<String> {
    well_formed(&chart(id).svg).unwrap_or_else(|e| panic!("{id}.svg: {e}"))
}

#[test]
fn every_chart_is_a_valid_svg_and_png() {
    let ids: Vec<&str> = charts_2021().iter().map(|c| c.id.as_str()).collect();
    let expected: Vec<&str> = charts::planned().iter().map(|c| c.id).collect();
    assert_eq!(ids, expected);
    for chart in charts_2021() {
        let id = &chart.id;
        // SVG: one well-formed document with its size, a title and a text alternative.
        assert!(chart.svg.starts_with("<svg "), "{id}");
        assert!(
            chart
                .svg
                .contains(&format!("viewBox=\"0 0 {} {}\"", chart.width, chart.height)),
            "{id}"
        );
        let texts = well_formed(&chart.svg).unwrap_or_else(|e| panic!("{id}.svg: {e}"));
        assert!(
            chart.svg.contains("<title>") && chart.svg.contains("<desc>Grafiek: "),
            "{id}"
        );
        assert!(
            !chart.svg.contains("NaN") && !chart.svg.contains("inf"),
            "{id}"
        );
        // The title is drawn (wrapped over lines when long); the axes are described.
        let joined = texts.join(" ");
        assert!(joined.starts_with(&chart.title), "{id}: {joined}");
        assert!(
            texts.len() > 10,
            "{id}: title, axis descriptions, ticks and values"
        );
        assert!(
            joined.contains("Aantal") || joined.contains('%') || joined.contains("per week"),
            "{id}: value axis described: {joined}"
        );

        // PNG: decodes, twice the SVG's size, and is a drawing, not a blank.
        assert_eq!(&chart.png[..8], b"\x89PNG\r\n\x1a\n", "{id}");
        let decoder = png::Decoder::new(std::io::Cursor::new(&chart.png));
        let mut reader = decoder
            .read_info()
            .unwrap_or_else(|e| panic!("{id}.png: {e}"));
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(
            (info.width, info.height),
            (chart.width * PNG_SCALE, chart.height * PNG_SCALE),
            "{id}"
        );
        assert_eq!(info.color_type, png::ColorType::Rgb, "{id}");
        let pixels = &pixels[..info.buffer_size()];
        let n = pixels.len() / 3;
        let ink = pixels
            .chunks(3)
            .filter(|p| p.iter().all(|c| *c < 80))
            .count();
        let white = pixels
            .chunks(3)
            .filter(|p| p.iter().all(|c| *c == 255))
            .count();
        assert!(ink * 100 > n, "{id}: less than 1% dark pixels");
        assert!(white * 2 > n, "{id}: mostly white paper");
        // Greys only: prints the same in black and white.
        assert!(
            pixels.chunks(3).all(|p| p[0] == p[1] && p[1] == p[2]),
            "{id}: only greys"
        );
    }
}

/// Walks the drawn texts in order: for each row, its values (as the report prints them) and
/// then its label, wrapped over one or more lines and maybe followed by a trend mark. So every
/// value is drawn next to its own row's label.
fn assert_rows_drawn(id: &str, table: &ReportTable, columns: &[&str], totals: bool, pct: bool) {
    let texts = texts(id);
    let mut at = 0;
    for row in table.rows.iter().filter(|r| totals || !r.total) {
        for key in columns {
            let value = row
                .get(table, key)
                .unwrap_or_else(|| panic!("{id}: no column {key}"));
            let want = match value {
                Value::Count(n) => getal(*n),
                Value::Tenths(Some(t)) => tiendes(*t),
                other => panic!("{id}: {other:?} in a chart"),
            };
            let found = texts[at..]
                .iter()
                .position(|t| *t == want)
                .unwrap_or_else(|| {
                    panic!(
                        "{id}: value {want} of {} ({key}) not drawn after text {at}: {texts:?}",
                        row.label
                    )
                });
            at += found + 1;
        }
        let label_drawn = (1..=4).any(|lines| {
            at + lines <= texts.len() && {
                let label = texts[at..at + lines].join(" ");
                let plain = label.trim_end_matches([' ', '▲', '▼']);
                if plain == row.label {
                    at += lines;
                    true
                } else {
                    false
                }
            }
        });
        assert!(
            label_drawn,
            "{id}: label {:?} not drawn after its values: {:?}",
            row.label,
            &texts[at..]
        );
    }
    if pct {
        assert!(texts.iter().any(|t| t.contains('%')), "{id}: % on the axis");
    }
}

#[test]
fn bar_charts_draw_the_figures_of_their_tables() {
    let years = |t: &ReportTable| -> Vec<String> {
        t.columns
            .iter()
            .skip(1)
            .filter(|c| c.period.is_some() && c.key.starts_with(|c: char| c.is_ascii_digit()))
            .map(|c| c.key.clone())
            .collect()
    };
    assert_rows_drawn(
        "schoolweging",
        table("schoolweging"),
        &["helpdesk", "webinars"],
        false,
        false,
    );
    assert_rows_drawn(
        "stadsdelen",
        table("stadsdelen"),
        &["pct_excl_webinars", "pct_incl_webinars"],
        true,
        true,
    );
    assert_rows_drawn("sectoren", table("sectoren"), &["pct"], false, true);
    for (chart, source) in [
        ("voorlichtingen", "voorlichtingen-thema"),
        ("helpdesk-themas", "helpdesk-themas"),
        ("helpdesk-sectoren", "helpdesk-sectoren"),
        ("passend-schooltype", "passend-schooltype"),
        ("passend-vragen", "passend-vragen"),
        ("passend-diagnoses", "passend-diagnoses"),
    ] {
        let t = table(source);
        let columns = years(t);
        assert!(columns.len() >= 2, "{source}: {columns:?}");
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        assert_rows_drawn(chart, t, &columns, false, false);
    }
}

#[test]
fn the_published_figures_are_in_the_charts() {
    // Schoolweging as the report draws it: n = 683, helpdesk black, webinars grey.
    let drawn = texts("schoolweging").join(" | ");
    for figure in ["150", "21", "132", "13", "86", "14", "211", "56", "n = 683"] {
        assert!(drawn.contains(figure), "{figure} in {drawn}");
    }
    let svg = &chart("schoolweging").svg;
    assert!(svg.contains("fill=\"#000000\"") && svg.contains("fill=\"#969696\""));
    // Helpdesk: rises and falls marked next to the theme.
    let drawn = texts("helpdesk-themas");
    assert!(drawn.contains(&"schoolkeuze ▲".to_string()), "{drawn:?}");
    assert!(drawn.contains(&"veiligheid ▼".to_string()), "{drawn:?}");
    assert!(drawn.contains(&"zorg".to_string()), "{drawn:?}");
    // Passend onderwijs: current school year black, the year before grey, as in the report.
    let title = &chart("passend-vragen").title;
    assert!(
        title.contains("2020-2021 zwart, 2019-2020 grijs"),
        "{title}"
    );
}

#[test]
fn websitebezoek_draws_one_line_per_school_year_from_the_daily_figures() {
    let t = table("websitebezoek");
    let texts = texts("websitebezoek");
    // The legend names every school year with its total from the table.
    for row in &t.rows {
        let Some(Value::Count(n)) = row.values.first() else {
            panic!("websitebezoek row {}", row.key)
        };
        let entry = format!("{} ({})", row.label, getal(*n));
        assert!(texts.contains(&entry), "{entry} in {texts:?}");
    }
    // August … July along the bottom; the y axis in Dutch thousands.
    let months: Vec<&String> = texts
        .iter()
        .filter(|t| ["aug", "sep", "jan", "jul"].contains(&t.as_str()))
        .collect();
    assert_eq!(months.len(), 4, "{texts:?}");
    assert!(texts.iter().any(|t| t == "40.000"), "{texts:?}");
    // Newest solid and thick on top (drawn last), the year before dashed (many short
    // pieces), the one before dotted (circles), the oldest thin and grey.
    let svg = &chart("websitebezoek").svg;
    assert!(svg.matches("<circle").count() > 100, "dotted line");
    let thick = svg.rfind("stroke-width=\"3\"").expect("a thick line");
    let grey = svg.find("stroke=\"#6E6E6E\"").expect("a grey line");
    assert!(grey < thick, "the newest line lies on top");
    assert!(svg.matches("<polyline").count() > 100, "dashes");
}

#[test]
fn charts_are_the_same_bytes_every_time() {
    let again = charts::render_all(appendices_2021(), &data().pageviews).unwrap();
    assert_eq!(&again, charts_2021());
}

#[test]
fn build_writes_every_chart_and_the_markdown_embeds_it() {
    let templates = oco_report::render::Templates::from_dir(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates"),
    )
    .unwrap();
    let rendered =
        oco_report::build::render(data(), 2021, &templates, &Options::default()).unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("oco-report-charts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    oco_report::build::write(&rendered, &dir).unwrap();
    for charts::Planned { id, appendix, .. } in charts::planned() {
        let svg = std::fs::read_to_string(dir.join(format!("{id}.svg"))).unwrap();
        assert_eq!(svg, chart(id).svg);
        let png = std::fs::read(dir.join(format!("{id}.png"))).unwrap();
        assert_eq!(png, chart(id).png);
        let md = std::fs::read_to_string(dir.join(format!("{appendix}.md"))).unwrap();
        let image = md
            .lines()
            .find(|l| l.ends_with(&format!("]({id}.svg)")))
            .unwrap_or_else(|| panic!("{appendix}.md embeds no {id}.svg"));
        assert!(image.starts_with("![Grafiek: "), "{image}");
        let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
        assert!(report.contains(image), "report.md embeds {id}");
    }
    // The alt text carries the figures.
    let md = std::fs::read_to_string(dir.join("schoolweging.md")).unwrap();
    assert!(md.contains("20-25: Helpdesk 150, Webinars 21"), "{md}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_checker_rejects_broken_xml() {
    assert!(well_formed("<svg><text>a</text></svg>").is_ok());
    assert!(well_formed("<svg><text>a</svg>").is_err());
    assert!(well_formed("<svg x=1></svg>").is_err());
    assert!(well_formed("<svg>a & b</svg>").is_err());
    assert!(well_formed("<svg></svg><svg></svg>").is_err());
}
