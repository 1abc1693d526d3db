//! The validated rows as polars data frames, in tidy form: one frame per kind of fact, so
//! every computation is a filter, a join and a group-by.
//!
//! Multi-valued cells (themas, vragen, diagnoses) become frames of their own with one row per
//! dossier and value, which is what "count once per dossier per value" means.

use chrono::Datelike;
use polars::prelude::*;

use crate::config::Config;
use crate::ingest::{CompactString, DataSet};
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
        // The frames, and the columns of the dossier frame, are built side by side: at a
        // million dossiers each is tens of milliseconds of copying.
        std::thread::scope(|scope| {
            let themas = scope.spawn(|| themas(data));
            let vragen = scope.spawn(|| passend_values(data, "vraag", |d| &d.vragen));
            let diagnoses = scope.spawn(|| passend_values(data, "diagnose", |d| &d.diagnoses));
            let dossiers = dossiers(data);
            let join = |h: std::thread::ScopedJoinHandle<'_, PolarsResult<DataFrame>>| {
                h.join().expect("a frame thread panicked")
            };
            let dossiers = dossiers?;
            let scholen = scholen(data, &data.config)?;
            let named = named(&dossiers, &scholen)?;
            Ok(Frames {
                dossiers,
                themas: join(themas)?,
                vragen: join(vragen)?,
                diagnoses: join(diagnoses)?,
                scholen,
                voorlichtingen: voorlichtingen(data)?,
                pageviews: pageviews(data)?,
                named,
            })
        })
    }
}

type ColumnJob<'a> = Box<dyn FnOnce() -> Column + Send + 'a>;

/// A frame of columns built each on a thread of its own.
fn columns_side_by_side(jobs: Vec<ColumnJob<'_>>) -> PolarsResult<DataFrame> {
    let columns: Vec<Column> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs.into_iter().map(|job| scope.spawn(job)).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a frame column thread panicked"))
            .collect()
    });
    DataFrame::new_infer_height(columns)
}

fn dossiers(data: &DataSet) -> PolarsResult<DataFrame> {
    let d = &data.dossiers;
    fn column<'a, T, I>(name: &'static str, values: impl Fn() -> I + Send + 'a) -> ColumnJob<'a>
    where
        I: Iterator<Item = T>,
        Series: NamedFrom<Vec<T>, [T]>,
    {
        Box::new(move || Series::new(name.into(), values().collect::<Vec<T>>()).into())
    }
    columns_side_by_side(vec![
        column("datum", || d.iter().map(|x| x.datum)),
        column("schooljaar", || d.iter().map(|x| schooljaar(x.datum))),
        column("sector", || d.iter().map(|x| x.sector.as_str())),
        column("webinar", || {
            d.iter().map(|x| x.kanaal == crate::config::WEBINAR)
        }),
        column("whatsapp", || d.iter().map(|x| x.kanaal == "whatsapp")),
        column("herkomst", || d.iter().map(|x| x.herkomst.as_deref())),
        column("school", || d.iter().map(|x| x.school.as_deref())),
        column("school_onbekend", || {
            d.iter().map(|x| x.school_unmatched.as_deref())
        }),
        column("contactmomenten", || d.iter().map(|x| x.contactmomenten)),
        column("passend", || d.iter().map(|x| x.passend)),
        column("schooltype", || d.iter().map(|x| x.schooltype.as_deref())),
        column("diagnose", || d.iter().map(|x| !x.diagnoses.is_empty())),
    ])
}

fn themas(data: &DataSet) -> PolarsResult<DataFrame> {
    let d = &data.dossiers;
    let n: usize = d.iter().map(|x| x.themas.len()).sum();
    // One row per dossier and theme: each dossier's values repeated once per theme.
    fn per_theme<'a, T: Clone + 'a>(
        d: &'a [crate::ingest::Dossier],
        n: usize,
        value: impl Fn(&'a crate::ingest::Dossier) -> T,
    ) -> Vec<T> {
        let mut out = Vec::with_capacity(n);
        for x in d {
            if !x.themas.is_empty() {
                let v = value(x);
                out.extend(std::iter::repeat_n(v, x.themas.len()));
            }
        }
        out
    }
    columns_side_by_side(vec![
        Box::new(move || {
            Series::new(
                "schooljaar".into(),
                per_theme(d, n, |x| schooljaar(x.datum)),
            )
            .into()
        }),
        Box::new(move || {
            Series::new("maand".into(), per_theme(d, n, |x| x.datum.month() as i32)).into()
        }),
        Box::new(move || {
            Series::new("sector".into(), per_theme(d, n, |x| x.sector.as_str())).into()
        }),
        Box::new(move || {
            let mut thema: Vec<&str> = Vec::with_capacity(n);
            thema.extend(
                d.iter()
                    .flat_map(|x| x.themas.iter().map(CompactString::as_str)),
            );
            Series::new("thema".into(), thema).into()
        }),
    ])
}

fn passend_values(
    data: &DataSet,
    name: &str,
    values: impl Fn(&crate::ingest::Dossier) -> &Vec<CompactString>,
) -> PolarsResult<DataFrame> {
    let passend = || data.dossiers.iter().filter(|d| d.passend);
    let n: usize = passend().map(|d| values(d).len()).sum();
    let (mut jaar, mut value) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for d in passend() {
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
