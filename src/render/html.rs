//! `report.html`: the combined report as one self-contained HTML file, made with comrak from
//! `report.md`.
//!
//! Self-contained: the CSS is inlined, every chart is inlined as SVG in place of the markdown
//! image that names it (`![…](schoolweging.svg)`), nothing is fetched; it opens offline and
//! prints on A4 with every appendix starting on a new page. `lang="nl"`. Each chart is a
//! `<figure>` whose SVG has `role="img"`, a `<title>` and a `<desc>`, and whose caption holds
//! the text alternative made from the chart's figures (read by screen readers, not printed:
//! the table beside the chart prints the same figures).
//!
//! Text from the data (school names, labels) can hold no markup: raw HTML in the markdown is
//! escaped, not passed through.

use std::collections::BTreeMap;

use comrak::{Options, markdown_to_html};

use crate::render::charts::{Chart, escape_xml};

/// Tables with more columns than this get upright headers and a smaller font
/// (`class="breed"`), with more than [`VERY_WIDE_TABLE`] smaller still (`"breed zeer-breed"`).
const WIDE_TABLE: usize = 8;
const VERY_WIDE_TABLE: usize = 20;

const CSS: &str = r#"
@page { size: A4; margin: 16mm 15mm 20mm; @bottom-center { content: "Pagina " counter(page) " van " counter(pages); font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8pt; color: #333; } }
body { counter-reset: tabel figuur; }
div.tabel { break-inside: avoid; margin: 0 0 0.8em; }
div.tabel p.titel { counter-increment: tabel; break-after: avoid; margin-bottom: 0.3em; }
div.tabel p.titel strong::before { content: "Tabel " counter(tabel) ": "; }
div.tabel table { margin-bottom: 0.3em; }
span.pagina { float: right; }
h2#inhoud + ul { list-style: none; padding-left: 0; max-width: 34em; }
h2#inhoud + ul li { border-bottom: 0.5pt dotted #999; margin-bottom: 0.3em; }
figure.grafiek { counter-increment: figuur; }
figure.grafiek::after { content: "Figuur " counter(figuur); display: block; font-size: 8.5pt; font-weight: bold; margin-top: 0.2em; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt; line-height: 1.45; color: #000; background: #fff; }
body { max-width: 800px; margin: 0 auto; padding: 10mm 24px 16mm; }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 0.6em; }
h2 { font-size: 14pt; line-height: 1.25; margin: 0 0 0.7em; padding-top: 0.4em; break-before: page; break-after: avoid; }
h2:first-of-type { break-before: auto; }
h3 { font-size: 11pt; break-after: avoid; }
a.anchor { display: none; }
a { color: inherit; }
p { margin: 0 0 0.7em; orphans: 3; widows: 3; }
p:has(+ table) { break-after: avoid; margin-bottom: 0.3em; }
table { border-collapse: collapse; margin: 0 0 0.8em; font-size: 8.5pt; line-height: 1.3; font-variant-numeric: tabular-nums; }
table + p:has(> em:only-child) { margin-top: -0.5em; margin-bottom: 1.2em; font-size: 8.5pt; color: #333; }
th, td { padding: 0.15em 0.5em; border-bottom: 0.5pt solid #bbb; vertical-align: top; }
th { border-bottom: 1pt solid #000; font-weight: bold; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
table.breed { font-size: 7.5pt; }
table.zeer-breed { font-size: 6pt; }
table.breed th, table.breed td { padding: 0.1em 0.25em; }
table.breed th { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; white-space: nowrap; vertical-align: bottom; }
table.breed th:first-child { writing-mode: horizontal-tb; transform: none; }
figure.grafiek { margin: 0.3em 0 0.9em; break-inside: avoid; }
figure.grafiek svg { display: block; width: 100%; max-width: 760px; height: auto; }
.tekstalternatief { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
ul { padding-left: 1.4em; }
@media print { body { max-width: none; padding: 0; } }
"#;

/// The report: `markdown` (the rendered `report.md`) as a complete HTML document with the
/// `charts` inlined.
pub fn report(markdown: &str, charts: &[Chart]) -> String {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.header_id_prefix = Some(String::new());
    options.render.escape = true;
    let body = markdown_to_html(markdown, &options);
    let body = inline_charts(&body, charts);
    let body = mark_wide_tables(&body);
    let body = keep_tables_together(&body);
    let title = markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(str::trim)
        .unwrap_or("Tussentijds verslag OCO");
    format!(
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"oco-report\">\n\
         <meta name=\"description\" content=\"{}\">\n<title>{}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape_xml(crate::render::COLOPHON),
        escape_xml(title)
    )
}

/// Replaces every `<img src="ID.svg" alt="…" />` of a chart by the chart's figure; a paragraph
/// holding only the image becomes the figure.
fn inline_charts(html: &str, charts: &[Chart]) -> String {
    let mut out =
        String::with_capacity(html.len() + charts.iter().map(|c| c.svg.len()).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find("<img src=\"") {
        let after = &rest[start..];
        let Some(end) = after.find("/>").map(|e| e + 2) else {
            break;
        };
        let tag = &after[..end];
        let src = attribute(tag, "src");
        let chart = src.and_then(|s| charts.iter().find(|c| c.svg_name() == s));
        let Some(chart) = chart else {
            out.push_str(&rest[..start + end]);
            rest = &rest[start + end..];
            continue;
        };
        let before = &rest[..start];
        let figure = figure(chart);
        // `<p><img …/></p>` → the figure alone; an image inside text keeps the text around it.
        if before.ends_with("<p>") && after[end..].starts_with("</p>") {
            out.push_str(&before[..before.len() - 3]);
            out.push_str(&figure);
            rest = &after[end + 4..];
        } else {
            out.push_str(before);
            out.push_str(&figure);
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    out
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

fn figure(chart: &Chart) -> String {
    format!(
        "<figure class=\"grafiek\" id=\"grafiek-{id}\">\n{svg}<figcaption class=\"tekstalternatief\">{alt}</figcaption>\n</figure>",
        id = escape_xml(&chart.id),
        svg = chart.svg.trim_start(),
        alt = escape_xml(&chart.alt),
    )
}

/// The report with the page of each appendix after its entry in the table of contents (the
/// list after the `Inhoud` heading): `pages` maps a heading's anchor to its page in the PDF.
pub fn with_contents_pages(html: &str, pages: &BTreeMap<String, usize>) -> String {
    let Some(heading) = html.find("<h2 id=\"inhoud\">") else {
        return html.to_string();
    };
    let Some(list) = html[heading..].find("<ul>").map(|l| heading + l) else {
        return html.to_string();
    };
    let Some(end) = html[list..].find("</ul>").map(|e| list + e) else {
        return html.to_string();
    };
    let mut contents = String::new();
    let mut rest = &html[list..end];
    while let Some(start) = rest.find("<a href=\"#") {
        let after = &rest[start + "<a href=\"#".len()..];
        let Some(quote) = after.find('"') else {
            break;
        };
        let Some(close) = rest[start..].find("</a>").map(|c| start + c + "</a>".len()) else {
            break;
        };
        contents.push_str(&rest[..close]);
        if let Some(page) = pages.get(&after[..quote]) {
            contents.push_str(&format!("<span class=\"pagina\">{page}</span>"));
        }
        rest = &rest[close..];
    }
    contents.push_str(rest);
    format!("{}{contents}{}", &html[..list], &html[end..])
}

/// Each table with its title paragraph (`<p><strong>…</strong></p>` right before it) and its
/// caption (`<p><em>…</em></p>` right after it) in one `<div class="tabel">`: printed on one
/// page when it fits, the title numbered ("Tabel 3: …") by the CSS.
fn keep_tables_together(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(start) = rest.find("<table") {
        let Some(length) = rest[start..].find("</table>") else {
            break;
        };
        let mut end = start + length + "</table>".len();
        let before = &rest[..start];
        let title = before.rfind("<p><strong>").filter(|&t| {
            let paragraph = &before[t..];
            paragraph.matches("</p>").count() == 1
                && paragraph.trim_end().ends_with("</strong></p>")
        });
        let after = &rest[end..];
        let trimmed = after.trim_start_matches('\n');
        if trimmed.starts_with("<p><em>") {
            if let Some(close) = trimmed.find("</p>") {
                if trimmed[..close].ends_with("</em>") {
                    end += after.len() - trimmed.len() + close + "</p>".len();
                }
            }
        }
        match title {
            Some(t) => {
                out.push_str(&before[..t]);
                out.push_str("<div class=\"tabel\">\n<p class=\"titel\">");
                out.push_str(&before[t + "<p>".len()..]);
            }
            None => {
                out.push_str(before);
                out.push_str("<div class=\"tabel\">\n");
            }
        }
        out.push_str(&rest[start..end]);
        out.push_str("\n</div>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `<table>` → `<table class="breed">` for tables with many columns.
fn mark_wide_tables(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<table>") {
        out.push_str(&rest[..start]);
        let table = &rest[start..];
        let head_end = table.find("</thead>").unwrap_or(table.len());
        let columns = table[..head_end].matches("<th").count();
        if columns > VERY_WIDE_TABLE {
            out.push_str("<table class=\"breed zeer-breed\">");
        } else if columns > WIDE_TABLE {
            out.push_str("<table class=\"breed\">");
        } else {
            out.push_str("<table>");
        }
        rest = &table["<table>".len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(id: &str) -> Chart {
        Chart {
            id: id.to_string(),
            appendix: "a".to_string(),
            table: id.to_string(),
            title: "Titel".to_string(),
            alt: "Grafiek: Titel. 20-25: 150 & meer".to_string(),
            svg: "<svg role=\"img\"><title>Titel</title></svg>\n".to_string(),
            png: Vec::new(),
            width: 760,
            height: 400,
        }
    }

    #[test]
    fn a_chart_image_becomes_the_inline_svg_with_its_text_alternative() {
        let md = "# Verslag\n\n## Bijlage\n\nTekst.\n\n![Grafiek: Titel](schoolweging.svg)\n\n| a | b |\n|---|--:|\n| <b>x</b> | 1 |\n";
        let html = report(md, &[chart("schoolweging")]);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
        assert!(html.contains("<title>Verslag</title>"));
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<p><figure"), "{html}");
        assert!(html.contains(
            "<figure class=\"grafiek\" id=\"grafiek-schoolweging\">\n<svg role=\"img\">"
        ));
        assert!(
            html.contains("20-25: 150 &amp; meer</figcaption>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"bijlage\">"), "{html}");
        assert!(
            html.contains("&lt;b&gt;x&lt;/b&gt;"),
            "raw HTML from data is escaped: {html}"
        );
    }

    #[test]
    fn other_images_stay() {
        let html = report("![foto](foto.png)\n", &[chart("schoolweging")]);
        assert!(
            html.contains("<img src=\"foto.png\" alt=\"foto\" />"),
            "{html}"
        );
    }

    #[test]
    fn wide_tables_are_marked() {
        let mut md = String::from(
            "|a|b|c|d|e|f|g|h|i|j|\n|-|-|-|-|-|-|-|-|-|-|\n|1|2|3|4|5|6|7|8|9|10|\n\n|a|b|\n|-|-|\n|1|2|\n",
        );
        md.push('\n');
        let html = report(&md, &[]);
        assert_eq!(html.matches("<table class=\"breed\">").count(), 1, "{html}");
        assert_eq!(html.matches("<table>").count(), 1, "{html}");
    }
}
