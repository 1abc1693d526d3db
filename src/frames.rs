//! The validated rows as polars data frames, in tidy form: one frame per kind of fact, so
//! every computation is a filter, a join and a group-by.
//!
//! Multi-valued cells (themas, vragen, diagnoses) become frames of their own with one row per
//! dossier and value, which is what "count once per dossier per value" means.

use chrono::Datelike;
use polars::prelude::*;

use crate::config::Config;
use crate::coverage::Coverage;
use crate::model::{DataSet, Dossier};
use crate::period::SchoolYear;

/// The column of every dossier frame (and of the sessions) holding the dossier's place in
/// `DataSet::dossiers` (the session's in `DataSet::voorlichtingen`): what `explain` lists
/// the counted ones by.
pub const ITEM: &str = "item";

pub struct Frames {
    /// One row per dossier: `item`, `datum`, `schooljaar` (start year), `sector`,
    /// `webinar`, `whatsapp`, `herkomst`, `school` (brin or null), `school_onbekend`
    /// (what was named when no registry school matched),
    /// `contactmomenten`, `passend`, `schooltype`, `diagnose` (names at least one).
    pub dossiers: DataFrame,
    /// One row per dossier and theme: `item`, `schooljaar`, `maand`, `sector`, `thema`.
    pub themas: DataFrame,
    /// Passend onderwijs dossiers, one row per question: `item`, `schooljaar`, `vraag`.
    pub vragen: DataFrame,
    /// Passend onderwijs dossiers, one row per diagnosis: `item`, `schooljaar`, `diagnose`.
    pub diagnoses: DataFrame,
    /// The registry: `brin`, `stadsdeel`, `schoolweging`, `band` (key of the schoolweging band
    /// or null), `sector`.
    pub scholen: DataFrame,
    /// Counted sessions only (cancelled ones dropped): `item`, `jaar`, `gebied`, `thema`,
    /// `organisatie`, `vorm`, `locaties`.
    pub voorlichtingen: DataFrame,
    /// One row per day: `datum`, `schooljaar`, `weergaven`.
    pub pageviews: DataFrame,
    /// The dossiers (all school years) that name a primary school (`po` in the registry) lying
    /// in a stadsdeel, joined with that school: `item`, `schooljaar`, `webinar`, `stadsdeel`,
    /// `schoolweging`, `band`. Made once for the stadsdeel, schoolweging and target tables.
    pub named: DataFrame,
    /// What the exports cover, from the typed rows (before a build lets go of the dossiers).
    pub coverage: Coverage,
}

fn schooljaar(date: chrono::NaiveDate) -> i32 {
    SchoolYear::of(date.year(), date.month()).start_year()
}

impl Frames {
    pub fn new(data: &DataSet) -> PolarsResult<Frames> {
        let [dossiers, themas, vragen, diagnoses] = dossier_frames(&data.dossiers, &data.config)?;
        let scholen = scholen(data, &data.config)?;
        let named = named(&dossiers, &scholen)?;
        Ok(Frames {
            dossiers,
            themas,
            vragen,
            diagnoses,
            scholen,
            voorlichtingen: voorlichtingen(data)?,
            pageviews: pageviews(data)?,
            named,
            coverage: Coverage::of(data),
        })
    }
}

/// The dossier frame, and the theme, question and diagnosis frames, each made in one pass over
/// the dossiers straight into polars' builders, the two passes side by side: at a million
/// dossiers of some 300 bytes, a pass per column would read the list from memory twenty times,
/// and lists of values in between would double the memory.
fn dossier_frames(dossiers: &[Dossier], config: &Config) -> PolarsResult<[DataFrame; 4]> {
    let ([themas, vragen, diagnoses], frame) = crate::parallel::join(
        || value_frames(dossiers, config),
        || dossier_frame(dossiers, config),
    );
    Ok([frame?, themas?, vragen?, diagnoses?])
}

/// Days since 1970-01-01, polars' dates.
fn days(date: chrono::NaiveDate) -> i32 {
    const UNIX_EPOCH_FROM_CE: i32 = 719_163;
    date.num_days_from_ce() - UNIX_EPOCH_FROM_CE
}

fn dossier_frame(dossiers: &[Dossier], config: &Config) -> PolarsResult<DataFrame> {
    let n = dossiers.len();
    let kanaal = |name: &str| config.kanalen.iter().position(|k| k == name);
    let (webinar_place, whatsapp_place) = (kanaal(crate::config::WEBINAR), kanaal("whatsapp"));
    let int = |name: &str| PrimitiveChunkedBuilder::<Int32Type>::new(name.into(), n);
    let flag = |name: &str| BooleanChunkedBuilder::new(name.into(), n);
    let text = |name: &str| StringChunkedBuilder::new(name.into(), n);
    let (mut datum, mut jaar) = (int("datum"), int("schooljaar"));
    let mut sector: Vec<IdxSize> = Vec::with_capacity(n);
    let (mut herkomst, mut school, mut onbekend, mut schooltype) = (
        text("herkomst"),
        text("school"),
        text("school_onbekend"),
        text("schooltype"),
    );
    let (mut webinar, mut whatsapp, mut passend, mut diagnose) = (
        flag("webinar"),
        flag("whatsapp"),
        flag("passend"),
        flag("diagnose"),
    );
    let mut contact = PrimitiveChunkedBuilder::<Int64Type>::new("contactmomenten".into(), n);
    let mut item = PrimitiveChunkedBuilder::<UInt32Type>::new(ITEM.into(), n);
    for (place, d) in dossiers.iter().enumerate() {
        item.append_value(place as u32);
        datum.append_value(days(d.datum));
        jaar.append_value(schooljaar(d.datum));
        sector.push(d.sector as IdxSize);
        webinar.append_value(webinar_place == Some(d.kanaal as usize));
        whatsapp.append_value(whatsapp_place == Some(d.kanaal as usize));
        herkomst.append_option(d.herkomst.as_deref());
        school.append_option(d.school.as_deref());
        onbekend.append_option(d.school_unmatched.as_deref());
        contact.append_option(d.contactmomenten.map(i64::from));
        passend.append_value(d.passend);
        schooltype.append_option(d.schooltype.as_deref());
        diagnose.append_value(!d.diagnoses.is_empty());
    }
    DataFrame::new_infer_height(vec![
        item.finish().into_column(),
        datum.finish().into_date().into_column(),
        jaar.finish().into_column(),
        from_places("sector", &config.sectors, &sector)?,
        webinar.finish().into_column(),
        whatsapp.finish().into_column(),
        herkomst.finish().into_column(),
        school.finish().into_column(),
        onbekend.finish().into_column(),
        contact.finish().into_column(),
        passend.finish().into_column(),
        schooltype.finish().into_column(),
        diagnose.finish().into_column(),
    ])
}

/// A text column of values from a configured list, given by their places in it: gathered from
/// the list made a column once, so each row is a view of the list's text rather than a copy.
fn from_places(name: &str, list: &[String], places: &[IdxSize]) -> PolarsResult<Column> {
    let values = StringChunked::from_iter_values(name.into(), list.iter().map(String::as_str));
    Ok(values.take(places)?.into_column())
}

/// One row per dossier and theme (`schooljaar`, `maand`, `sector`, `thema`); per passend
/// onderwijs dossier and question (`schooljaar`, `vraag`), and diagnosis (`schooljaar`,
/// `diagnose`).
fn value_frames(dossiers: &[Dossier], config: &Config) -> [PolarsResult<DataFrame>; 3] {
    let rows: usize = dossiers.iter().map(|d| d.themas.len()).sum();
    let mut item = PrimitiveChunkedBuilder::<UInt32Type>::new(ITEM.into(), rows);
    let mut jaar = PrimitiveChunkedBuilder::<Int32Type>::new("schooljaar".into(), rows);
    let mut maand = PrimitiveChunkedBuilder::<Int32Type>::new("maand".into(), rows);
    let mut sector: Vec<IdxSize> = Vec::with_capacity(rows);
    let mut thema: Vec<IdxSize> = Vec::with_capacity(rows);
    let (mut vraag_item, mut vraag_jaar, mut vraag) = (Vec::new(), Vec::new(), Vec::new());
    let (mut diagnose_item, mut diagnose_jaar, mut diagnose) = (Vec::new(), Vec::new(), Vec::new());
    for (place, d) in dossiers.iter().enumerate() {
        let place = place as u32;
        let year = schooljaar(d.datum);
        let month = d.datum.month() as i32;
        for t in d.themas.places() {
            item.append_value(place);
            jaar.append_value(year);
            maand.append_value(month);
            sector.push(d.sector as IdxSize);
            thema.push(t as IdxSize);
        }
        if d.passend {
            for v in &d.vragen {
                vraag_item.push(place);
                vraag_jaar.push(year);
                vraag.push(v.as_str());
            }
            for v in &d.diagnoses {
                diagnose_item.push(place);
                diagnose_jaar.push(year);
                diagnose.push(v.as_str());
            }
        }
    }
    [
        (|| {
            DataFrame::new_infer_height(vec![
                item.finish().into_column(),
                jaar.finish().into_column(),
                maand.finish().into_column(),
                from_places("sector", &config.sectors, &sector)?,
                from_places("thema", &config.themes, &thema)?,
            ])
        })(),
        df!(ITEM => vraag_item, "schooljaar" => vraag_jaar, "vraag" => vraag),
        df!(ITEM => diagnose_item, "schooljaar" => diagnose_jaar, "diagnose" => diagnose),
    ]
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

fn named(dossiers: &DataFrame, scholen: &DataFrame) -> PolarsResult<DataFrame> {
    let primary = scholen.clone().lazy().filter(
        col("schoolsector")
            .eq(lit("po"))
            .and(col("stadsdeel").is_not_null()),
    );
    dossiers
        .clone()
        .lazy()
        .filter(col("school").is_not_null())
        .select([col(ITEM), col("schooljaar"), col("webinar"), col("school")])
        .inner_join(primary, col("school"), col("brin"))
        .select([
            col(ITEM),
            col("schooljaar"),
            col("webinar"),
            col("stadsdeel"),
            col("schoolweging"),
            col("band"),
        ])
        .collect()
}

fn voorlichtingen(data: &DataSet) -> PolarsResult<DataFrame> {
    let (places, v): (Vec<u32>, Vec<_>) = data
        .voorlichtingen
        .iter()
        .enumerate()
        .filter(|(_, v)| v.status.counts())
        .map(|(place, v)| (place as u32, v))
        .unzip();
    df!(
        ITEM => places,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The frames made through polars' builders are those made from plain lists of values.
    #[test]
    fn dossier_frames_are_the_dossiers() {
        let data = crate::ingest::load(std::path::Path::new("data")).expect("the default data");
        let d = &data.dossiers;
        assert!(d.len() > 1000);
        let config = &data.config;
        let themes = &config.themes;
        let sector = |x: &crate::model::Dossier| config.sectors[x.sector as usize].as_str();
        let kanaal = |x: &crate::model::Dossier| config.kanalen[x.kanaal as usize].as_str();
        let [dossiers, themas, vragen, diagnoses] = dossier_frames(d, config).unwrap();
        let expected = df!(
            ITEM => (0..d.len() as u32).collect::<Vec<_>>(),
            "datum" => d.iter().map(|x| x.datum).collect::<Vec<_>>(),
            "schooljaar" => d.iter().map(|x| schooljaar(x.datum)).collect::<Vec<_>>(),
            "sector" => d.iter().map(sector).collect::<Vec<_>>(),
            "webinar" => d.iter().map(|x| kanaal(x) == crate::config::WEBINAR).collect::<Vec<_>>(),
            "whatsapp" => d.iter().map(|x| kanaal(x) == "whatsapp").collect::<Vec<_>>(),
            "herkomst" => d.iter().map(|x| x.herkomst.as_deref()).collect::<Vec<_>>(),
            "school" => d.iter().map(|x| x.school.as_deref()).collect::<Vec<_>>(),
            "school_onbekend" => d.iter().map(|x| x.school_unmatched.as_deref()).collect::<Vec<_>>(),
            "contactmomenten" => d.iter().map(|x| x.contactmomenten.map(i64::from)).collect::<Vec<_>>(),
            "passend" => d.iter().map(|x| x.passend).collect::<Vec<_>>(),
            "schooltype" => d.iter().map(|x| x.schooltype.as_deref()).collect::<Vec<_>>(),
            "diagnose" => d.iter().map(|x| !x.diagnoses.is_empty()).collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(dossiers.equals_missing(&expected), "{dossiers}\n{expected}");
        let per_theme: Vec<(u32, &crate::model::Dossier, &str)> = d
            .iter()
            .enumerate()
            .flat_map(|(i, x)| x.themas.names(themes).map(move |t| (i as u32, x, t)))
            .collect();
        let expected = df!(
            ITEM => per_theme.iter().map(|(i, _, _)| *i).collect::<Vec<_>>(),
            "schooljaar" => per_theme.iter().map(|(_, x, _)| schooljaar(x.datum)).collect::<Vec<_>>(),
            "maand" => per_theme.iter().map(|(_, x, _)| x.datum.month() as i32).collect::<Vec<_>>(),
            "sector" => per_theme.iter().map(|(_, x, _)| sector(x)).collect::<Vec<_>>(),
            "thema" => per_theme.iter().map(|(_, _, t)| *t).collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(themas.height() > d.len() / 2);
        assert!(themas.equals_missing(&expected), "{themas}\n{expected}");
        let passend: Vec<_> = d.iter().filter(|x| x.passend).collect();
        assert!(vragen.height() > 0 && diagnoses.height() > 0);
        assert_eq!(
            vragen.height(),
            passend.iter().map(|x| x.vragen.len()).sum::<usize>()
        );
        assert_eq!(
            diagnoses.height(),
            passend.iter().map(|x| x.diagnoses.len()).sum::<usize>()
        );
        let none = dossier_frames(&[], config).unwrap();
        assert!(none.iter().all(|f| f.height() == 0 && f.width() > 0));
    }
}
