//! The validated rows as polars data frames, in tidy form: one frame per kind of fact, so
//! every computation is a filter, a join and a group-by.
//!
//! Multi-valued cells (themas, vragen, diagnoses) become frames of their own with one row per
//! dossier and value, which is what "count once per dossier per value" means.

use chrono::Datelike;
use polars::prelude::*;

use crate::config::Config;
use crate::ingest::{DataSet, Dossier};
use crate::period::SchoolYear;

pub struct Frames {
    /// One row per dossier: `datum`, `schooljaar` (start year), `sector`,
    /// `webinar`, `whatsapp`, `herkomst`, `school` (brin or null), `school_onbekend`
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
    /// The dossiers (all school years) that name a primary school (`po` in the registry) lying
    /// in a stadsdeel, joined with that school: `schooljaar`, `webinar`, `stadsdeel`,
    /// `schoolweging`, `band`. Made once for the stadsdeel, schoolweging and target tables.
    pub named: DataFrame,
}

fn schooljaar(date: chrono::NaiveDate) -> i32 {
    SchoolYear::of(date.year(), date.month()).start_year()
}

impl Frames {
    pub fn new(data: &DataSet) -> PolarsResult<Frames> {
        let [dossiers, themas, vragen, diagnoses] = dossier_frames(&data.dossiers)?;
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
        })
    }
}

/// The columns of the four frames made from the dossiers, as plain lists.
#[derive(Default)]
struct DossierColumns<'a> {
    datum: Vec<chrono::NaiveDate>,
    schooljaar: Vec<i32>,
    sector: Vec<&'a str>,
    webinar: Vec<bool>,
    whatsapp: Vec<bool>,
    herkomst: Vec<Option<&'a str>>,
    school: Vec<Option<&'a str>>,
    school_onbekend: Vec<Option<&'a str>>,
    contactmomenten: Vec<Option<i64>>,
    passend: Vec<bool>,
    schooltype: Vec<Option<&'a str>>,
    diagnose: Vec<bool>,
    /// One per dossier and theme.
    thema_schooljaar: Vec<i32>,
    thema_maand: Vec<i32>,
    thema_sector: Vec<&'a str>,
    thema: Vec<&'a str>,
    /// One per passend onderwijs dossier and question, and diagnosis.
    vraag_schooljaar: Vec<i32>,
    vraag: Vec<&'a str>,
    diagnose_schooljaar: Vec<i32>,
    diagnose_naam: Vec<&'a str>,
}

impl<'a> DossierColumns<'a> {
    /// Every column of `dossiers`, in one pass: at a million dossiers of some 300 bytes each,
    /// a pass per column would read the list from memory twenty times.
    fn of(dossiers: &'a [Dossier]) -> DossierColumns<'a> {
        let n = dossiers.len();
        let themes: usize = dossiers.iter().map(|d| d.themas.len()).sum();
        let mut c = DossierColumns {
            datum: Vec::with_capacity(n),
            schooljaar: Vec::with_capacity(n),
            sector: Vec::with_capacity(n),
            webinar: Vec::with_capacity(n),
            whatsapp: Vec::with_capacity(n),
            herkomst: Vec::with_capacity(n),
            school: Vec::with_capacity(n),
            school_onbekend: Vec::with_capacity(n),
            contactmomenten: Vec::with_capacity(n),
            passend: Vec::with_capacity(n),
            schooltype: Vec::with_capacity(n),
            diagnose: Vec::with_capacity(n),
            thema_schooljaar: Vec::with_capacity(themes),
            thema_maand: Vec::with_capacity(themes),
            thema_sector: Vec::with_capacity(themes),
            thema: Vec::with_capacity(themes),
            ..DossierColumns::default()
        };
        for d in dossiers {
            let jaar = schooljaar(d.datum);
            c.datum.push(d.datum);
            c.schooljaar.push(jaar);
            c.sector.push(&d.sector);
            c.webinar.push(d.kanaal == crate::config::WEBINAR);
            c.whatsapp.push(d.kanaal == "whatsapp");
            c.herkomst.push(d.herkomst.as_deref());
            c.school.push(d.school.as_deref());
            c.school_onbekend.push(d.school_unmatched.as_deref());
            c.contactmomenten.push(d.contactmomenten);
            c.passend.push(d.passend);
            c.schooltype.push(d.schooltype.as_deref());
            c.diagnose.push(!d.diagnoses.is_empty());
            let maand = d.datum.month() as i32;
            for thema in &d.themas {
                c.thema_schooljaar.push(jaar);
                c.thema_maand.push(maand);
                c.thema_sector.push(&d.sector);
                c.thema.push(thema);
            }
            if d.passend {
                for vraag in &d.vragen {
                    c.vraag_schooljaar.push(jaar);
                    c.vraag.push(vraag);
                }
                for diagnose in &d.diagnoses {
                    c.diagnose_schooljaar.push(jaar);
                    c.diagnose_naam.push(diagnose);
                }
            }
        }
        c
    }

    /// The polars columns: the dossier frame's 12, the theme frame's 4, the question and
    /// diagnosis frames' 2 each.
    fn into_columns(self) -> Vec<Column> {
        fn column<T>(name: &str, values: Vec<T>) -> Column
        where
            Series: NamedFrom<Vec<T>, [T]>,
        {
            Series::new(name.into(), values).into()
        }
        vec![
            column("datum", self.datum),
            column("schooljaar", self.schooljaar),
            column("sector", self.sector),
            column("webinar", self.webinar),
            column("whatsapp", self.whatsapp),
            column("herkomst", self.herkomst),
            column("school", self.school),
            column("school_onbekend", self.school_onbekend),
            column("contactmomenten", self.contactmomenten),
            column("passend", self.passend),
            column("schooltype", self.schooltype),
            column("diagnose", self.diagnose),
            column("schooljaar", self.thema_schooljaar),
            column("maand", self.thema_maand),
            column("sector", self.thema_sector),
            column("thema", self.thema),
            column("schooljaar", self.vraag_schooljaar),
            column("vraag", self.vraag),
            column("schooljaar", self.diagnose_schooljaar),
            column("diagnose", self.diagnose_naam),
        ]
    }
}

/// The dossier, theme, question and diagnosis frames. The dossiers are read in one part per
/// core, each part made into polars columns on its own thread (copying the texts into Arrow's
/// layout is most of the work); the parts' columns are then joined as chunks, without copying.
fn dossier_frames(dossiers: &[Dossier]) -> PolarsResult<[DataFrame; 4]> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    dossier_frames_in_parts(dossiers, dossiers.len().div_ceil(cores).max(50_000))
}

/// [`dossier_frames`], in parts of `chunk` dossiers.
fn dossier_frames_in_parts(dossiers: &[Dossier], chunk: usize) -> PolarsResult<[DataFrame; 4]> {
    let parts: Vec<Vec<Column>> = if dossiers.is_empty() {
        vec![DossierColumns::default().into_columns()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = dossiers
                .chunks(chunk)
                .map(|part| scope.spawn(move || DossierColumns::of(part).into_columns()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a frame thread panicked"))
                .collect()
        })
    };
    let mut parts = parts.into_iter();
    let mut columns = parts.next().unwrap_or_default();
    for part in parts {
        for (column, later) in columns.iter_mut().zip(part) {
            column.append_owned(later)?;
        }
    }
    let mut columns = columns.into_iter();
    let mut frame =
        |width: usize| DataFrame::new_infer_height(columns.by_ref().take(width).collect());
    Ok([frame(12)?, frame(4)?, frame(2)?, frame(2)?])
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
        .select([col("schooljaar"), col("webinar"), col("school")])
        .inner_join(primary, col("school"), col("brin"))
        .select([
            col("schooljaar"),
            col("webinar"),
            col("stadsdeel"),
            col("schoolweging"),
            col("band"),
        ])
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The frames of the default data made in parts of 7 dossiers are those made in one part.
    #[test]
    fn frames_in_parts_are_the_frames_in_one() {
        let data = crate::ingest::load(std::path::Path::new("data")).expect("the default data");
        assert!(data.dossiers.len() > 1000);
        let whole = dossier_frames_in_parts(&data.dossiers, usize::MAX).unwrap();
        let parts = dossier_frames_in_parts(&data.dossiers, 7).unwrap();
        for (whole, parts) in whole.iter().zip(&parts) {
            assert!(whole.height() > 0);
            assert!(whole.equals_missing(parts), "{whole}\n{parts}");
        }
        let none = dossier_frames_in_parts(&[], 7).unwrap();
        assert!(none.iter().all(|f| f.height() == 0 && f.width() > 0));
    }
}
