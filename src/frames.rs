//! The validated rows as polars data frames, in tidy form: one frame per kind of fact, so
//! every computation is a filter, a join and a group-by.
//!
//! Multi-valued cells (themas, vragen, diagnoses) become frames of their own with one row per
//! dossier and value, which is what "count once per dossier per value" means.

use chrono::Datelike;
use polars::prelude::*;

use crate::config::Config;
use crate::ingest::DataSet;
use crate::period::SchoolYear;

pub struct Frames {
    /// One row per dossier: `datum`, `schooljaar` (start year), `maand` (1-12), `sector`,
    /// `kanaal`, `webinar`, `whatsapp`, `herkomst`, `school` (brin or null), `school_onbekend`
    /// (what was named when no registry school matched),
    /// `contactmomenten`, `passend`, `schooltype`, `diagnose` (names at least one).
    pub dossiers: DataFrame,
    /// One row per dossier and theme: `schooljaar`, `maand`, `sector`, `thema`.
    pub themas: DataFrame,
    /// Passend onderwijs dossiers, one row per question: `schooljaar`, `vraag`.
    pub vragen: DataFrame,
    /// Passend onderwijs dossiers, one row per diagnosis: `schooljaar`, `diagnose`.
    pub diagnoses: DataFrame,
    /// The registry: `brin`, `stadsdeel`, `schoolweging`, `band` (key of the schoolweging band
    /// or null), `sector`.
    pub scholen: DataFrame,
    /// Counted sessions only (cancelled ones dropped): `jaar`, `gebied`, `thema`,
    /// `organisatie`, `vorm`, `locaties`.
    pub voorlichtingen: DataFrame,
    /// One row per day: `datum`, `schooljaar`, `weergaven`.
    pub pageviews: DataFrame,
}

fn schooljaar(date: chrono::NaiveDate) -> i32 {
    SchoolYear::of(date.year(), date.month()).start_year()
}

impl Frames {
    pub fn new(data: &DataSet) -> PolarsResult<Frames> {
        Ok(Frames {
            dossiers: dossiers(data)?,
            themas: themas(data)?,
            vragen: passend_values(data, "vraag", |d| &d.vragen)?,
            diagnoses: passend_values(data, "diagnose", |d| &d.diagnoses)?,
            scholen: scholen(data, &data.config)?,
            voorlichtingen: voorlichtingen(data)?,
            pageviews: pageviews(data)?,
        })
    }
}

fn dossiers(data: &DataSet) -> PolarsResult<DataFrame> {
    let d = &data.dossiers;
    let datum: Vec<_> = d.iter().map(|x| x.datum).collect();
    df!(
        "datum" => datum,
        "schooljaar" => d.iter().map(|x| schooljaar(x.datum)).collect::<Vec<_>>(),
        "maand" => d.iter().map(|x| x.datum.month() as i32).collect::<Vec<_>>(),
        "sector" => d.iter().map(|x| x.sector.as_str()).collect::<Vec<_>>(),
        "kanaal" => d.iter().map(|x| x.kanaal.as_str()).collect::<Vec<_>>(),
        "webinar" => d.iter().map(|x| x.kanaal == crate::config::WEBINAR).collect::<Vec<_>>(),
        "whatsapp" => d.iter().map(|x| x.kanaal == "whatsapp").collect::<Vec<_>>(),
        "herkomst" => d.iter().map(|x| x.herkomst.as_deref()).collect::<Vec<_>>(),
        "school" => d.iter().map(|x| x.school.as_deref()).collect::<Vec<_>>(),
        "school_onbekend" => d.iter().map(|x| x.school_unmatched.as_deref()).collect::<Vec<_>>(),
        "contactmomenten" => d.iter().map(|x| x.contactmomenten).collect::<Vec<_>>(),
        "passend" => d.iter().map(|x| x.passend).collect::<Vec<_>>(),
        "schooltype" => d.iter().map(|x| x.schooltype.as_deref()).collect::<Vec<_>>(),
        "diagnose" => d.iter().map(|x| !x.diagnoses.is_empty()).collect::<Vec<_>>(),
    )
}

fn themas(data: &DataSet) -> PolarsResult<DataFrame> {
    let (mut jaar, mut maand, mut sector, mut thema) = (vec![], vec![], vec![], vec![]);
    for d in &data.dossiers {
        for t in &d.themas {
            jaar.push(schooljaar(d.datum));
            maand.push(d.datum.month() as i32);
            sector.push(d.sector.as_str());
            thema.push(t.as_str());
        }
    }
    df!("schooljaar" => jaar, "maand" => maand, "sector" => sector, "thema" => thema)
}

fn passend_values(
    data: &DataSet,
    name: &str,
    values: impl Fn(&crate::ingest::Dossier) -> &Vec<String>,
) -> PolarsResult<DataFrame> {
    let (mut jaar, mut value) = (vec![], vec![]);
    for d in data.dossiers.iter().filter(|d| d.passend) {
        for v in values(d) {
            jaar.push(schooljaar(d.datum));
            value.push(v.as_str());
        }
    }
    df!("schooljaar" => jaar, name => value)
}

fn scholen(data: &DataSet, config: &Config) -> PolarsResult<DataFrame> {
    let s = &data.scholen;
    let band = |w: Option<f64>| {
        w.and_then(|w| config.band_of(w))
            .map(|i| config.bands[i].key())
    };
    df!(
        "brin" => s.iter().map(|x| x.brin.as_str()).collect::<Vec<_>>(),
        "stadsdeel" => s.iter().map(|x| x.stadsdeel.as_deref()).collect::<Vec<_>>(),
        "schoolweging" => s.iter().map(|x| x.schoolweging).collect::<Vec<_>>(),
        "band" => s.iter().map(|x| band(x.schoolweging)).collect::<Vec<_>>(),
        "schoolsector" => s.iter().map(|x| x.sector.as_str()).collect::<Vec<_>>(),
    )
}

fn voorlichtingen(data: &DataSet) -> PolarsResult<DataFrame> {
    let v: Vec<_> = data
        .voorlichtingen
        .iter()
        .filter(|v| v.status.counts())
        .collect();
    df!(
        "jaar" => v.iter().map(|x| x.datum.year()).collect::<Vec<_>>(),
        "gebied" => v.iter().map(|x| x.gebied.as_str()).collect::<Vec<_>>(),
        "thema" => v.iter().map(|x| x.thema.as_str()).collect::<Vec<_>>(),
        "organisatie" => v.iter().map(|x| x.organisatie.as_str()).collect::<Vec<_>>(),
        "vorm" => v.iter().map(|x| x.vorm.as_str()).collect::<Vec<_>>(),
        "locaties" => v.iter().map(|x| x.locaties).collect::<Vec<_>>(),
    )
}

fn pageviews(data: &DataSet) -> PolarsResult<DataFrame> {
    let p = &data.pageviews;
    df!(
        "datum" => p.iter().map(|x| x.datum).collect::<Vec<_>>(),
        "schooljaar" => p.iter().map(|x| schooljaar(x.datum)).collect::<Vec<_>>(),
        "weergaven" => p.iter().map(|x| x.weergaven).collect::<Vec<_>>(),
    )
}
