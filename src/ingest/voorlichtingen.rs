//! `voorlichtingen.csv`: the info-session agenda, one row per session.

use std::path::Path;

use super::csv::{Column, FileRead, Row, RowErrors, Spellings, read_rows};
use super::{InputError, InputErrors};
use crate::config::Config;
use crate::model::{Status, Voorlichting};

pub const FILE: &str = "voorlichtingen.csv";

const COLUMNS: &[Column] = &[
    Column::required("datum"),
    Column::required("stadsdeel"),
    Column::required("thema"),
    Column::required("organisatie"),
    Column::required("vorm"),
    Column::optional("locaties"),
    Column::optional("deelnemers"),
    Column::optional("status"),
];

pub fn read(path: &Path, config: &Config) -> Result<Vec<Voorlichting>, InputErrors> {
    read_file(path, config).into_result()
}

/// The sessions without a problem, every problem, and the counts of the rows.
pub fn read_file(path: &Path, config: &Config) -> FileRead<Voorlichting> {
    let mut themas = Spellings::new(&config.voorlichting_themas);
    let mut organisaties = Spellings::new(&config.voorlichting_organisaties);
    let read = read_rows(path, config, COLUMNS, |row| {
        let mut errors = RowErrors::new();
        let datum = errors.take(row.date("datum"));
        let gebied = errors.take(row.category("stadsdeel", &config.voorlichting_gebieden));
        let thema = errors.take(row.required_text("thema"));
        let organisatie = errors.take(row.required_text("organisatie"));
        let session = Voorlichting {
            line: row.line(),
            datum,
            gebied,
            thema: themas.spell(&thema),
            organisatie: organisaties.spell(&organisatie),
            vorm: errors.take(row.required_text("vorm")).to_lowercase(),
            // A webinar for kinderdagverblijven reaches many locations at once.
            locaties: errors.take(row.int_at_least("locaties", 1)).unwrap_or(1),
            deelnemers: errors.take(row.int_at_least("deelnemers", 0)),
            status: errors.take_or(status(row), Status::Uitgevoerd),
        };
        errors.finish(session)
    });
    read.finish(|s| s.line)
}

const STATUSES: [&str; 3] = ["uitgevoerd", "gepland", "geannuleerd"];

/// Empty means held: the agenda only marks the exceptions.
fn status(row: &Row) -> Result<Status, InputError> {
    match row.raw("status").to_lowercase().as_str() {
        "" | "uitgevoerd" => Ok(Status::Uitgevoerd),
        "gepland" => Ok(Status::Gepland),
        "geannuleerd" => Ok(Status::Geannuleerd),
        _ => Err(row.unknown(
            "status",
            row.raw("status"),
            STATUSES.iter().map(|s| s.to_string()).collect(),
            "one of: uitgevoerd, gepland, geannuleerd",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::csv::testing::file;

    fn read_text(text: &str) -> Result<Vec<Voorlichting>, InputErrors> {
        read(&file(FILE, text), &Config::default())
    }

    const HEADER: &str = "datum;stadsdeel;thema;organisatie;vorm;locaties;deelnemers;status";

    #[test]
    fn reads_sessions_with_spellings_and_defaults() {
        let sessions = read_text(&format!(
            "{HEADER}\n\
             12-10-2021;nieuw-west;overstap PO-VO;scholen;Fysiek;;25;\n\
             13-10-2021;Stadsbreed;Mediawijsheid;Bibliotheek;webinar;12;;Gepland\n\
             14-10-2021;Zuid;mediawijsheid;bibliotheek;fysiek;;;\n"
        ))
        .unwrap();
        let s = &sessions[0];
        assert_eq!(
            (s.gebied.as_str(), s.thema.as_str(), s.organisatie.as_str()),
            ("Nieuw-West", "Overstap po-vo", "Scholen")
        );
        assert_eq!(
            (s.vorm.as_str(), s.locaties, s.deelnemers, s.status),
            ("fysiek", 1, Some(25), Status::Uitgevoerd)
        );
        assert_eq!(
            (sessions[1].locaties, sessions[1].status),
            (12, Status::Gepland)
        );
        assert_eq!(
            (sessions[2].thema.as_str(), sessions[2].organisatie.as_str()),
            ("Mediawijsheid", "Bibliotheek")
        );
    }

    #[test]
    fn cancelled_session() {
        let sessions = read_text(&format!(
            "{HEADER}\n2021-01-05;Oost;Rechten en plichten;Moskee;fysiek;1;0;GEANNULEERD\n"
        ))
        .unwrap();
        assert_eq!(sessions[0].status, Status::Geannuleerd);
        assert!(!sessions[0].status.counts());
    }

    #[test]
    fn optional_columns_may_be_missing() {
        let sessions =
            read_text("datum,stadsdeel,thema,organisatie,vorm\n2021-01-05,Oost,X,Y,fysiek\n")
                .unwrap();
        assert_eq!(
            (
                sessions[0].locaties,
                sessions[0].deelnemers,
                sessions[0].status
            ),
            (1, None, Status::Uitgevoerd)
        );
    }

    #[test]
    fn bad_values_are_reported_per_row() {
        let err = read_text(&format!(
            "{HEADER}\n\
             2021-01-05;Amstelveen;X;Y;fysiek;;;\n\
             2021-01-05;Oost;X;Y;fysiek;0;;\n\
             2021-01-05;Oost;X;Y;fysiek;;;verzet\n\
             2021-01-05;Oost;;Y;fysiek;;;\n"
        ))
        .unwrap_err();
        let columns: Vec<_> = err
            .0
            .iter()
            .map(|e| (e.line, e.column.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            columns,
            vec![
                (Some(2), "stadsdeel".to_string()),
                (Some(3), "locaties".to_string()),
                (Some(4), "status".to_string()),
                (Some(5), "thema".to_string())
            ]
        );
        assert!(err.0[0].message.contains("Stadsbreed"), "{err}");
        assert!(
            err.0[2]
                .message
                .contains("uitgevoerd, gepland, geannuleerd"),
            "{err}"
        );
    }
}
