//! The validated rows as polars data frames, in tidy form: one frame per kind of fact, so
//! every computation is a filter, a join and a group-by.
//!
//! Multi-valued cells (themas, vragen, diagnoses) become frames of their own with one row per
//! dossier and value, which is what "count once per dossier per value" means.
//!
//! The dossier frames are made row by row ([`DossierColumns`], [`ValueColumns`]): from the list
//! of dossiers, or, in a build, by the fast reader from each part of the file as it reads it,
//! so that a million dossiers never sit in a list and in frames at once.
//!
//! The dossiers' text columns hold places in lists rather than text ([`Labels`]): the
//! configured sectors and themes, the registry, and lists of the open text made as the rows
//! come ([`Dictionary`]). Computations group by the places and read the text of the groups.

use chrono::Datelike;
use polars::prelude::*;

use crate::config::Config;
use crate::coverage::Coverage;
use crate::model::{DataSet, Dossier, School};
use crate::period::SchoolYear;

/// The column of every dossier frame (and of the sessions) holding the dossier's place in
/// `DataSet::dossiers` (the session's in `DataSet::voorlichtingen`): what `explain` lists
/// the counted ones by.
pub const ITEM: &str = "item";

/// The frames of the validated data. Columns marked *coded* hold a place in a list (see
/// [`Labels`]), not text.
pub struct Frames {
    /// One row per dossier: `item`, `datum`, `schooljaar` (start year), `sector` (coded),
    /// `webinar`, `whatsapp`, `herkomst` (coded), `school` (coded: the registry school, or
    /// null), `school_onbekend` (coded: what was named when no registry school matched),
    /// `contactmomenten`, `passend`, `schooltype` (coded), `diagnose` (names at least one).
    pub dossiers: DataFrame,
    /// One row per dossier and theme: `item`, `schooljaar`, `maand`, `sector`, `thema` (both
    /// coded).
    pub themas: DataFrame,
    /// Passend onderwijs dossiers, one row per question: `item`, `schooljaar`, `vraag`.
    pub vragen: DataFrame,
    /// Passend onderwijs dossiers, one row per diagnosis: `item`, `schooljaar`, `diagnose`.
    pub diagnoses: DataFrame,
    /// The registry: `school` (the place of the school, as the dossier frame's), `brin`,
    /// `stadsdeel` (coded, or null), `schoolweging`, `band` (coded: the schoolweging band, or
    /// null), `schoolsector`.
    pub scholen: DataFrame,
    /// Counted sessions only (cancelled ones dropped): `item`, `jaar`, `gebied`, `thema`,
    /// `organisatie`, `vorm`, `locaties`.
    pub voorlichtingen: DataFrame,
    /// One row per day: `datum`, `schooljaar`, `weergaven`.
    pub pageviews: DataFrame,
    /// The dossiers (all school years) that name a primary school (`po` in the registry) lying
    /// in a stadsdeel, joined with that school: `item`, `schooljaar`, `webinar`, `stadsdeel`,
    /// `schoolweging`, `band` (coded as in `scholen`). Made once for the stadsdeel,
    /// schoolweging and target tables.
    pub named: DataFrame,
    /// The text of the coded columns.
    pub labels: Labels,
    /// What the exports cover: the dossiers' dates taken from the dossier frame, the others'
    /// from the typed rows.
    pub coverage: Coverage,
}

fn schooljaar(date: chrono::NaiveDate) -> i32 {
    SchoolYear::of(date.year(), date.month()).start_year()
}

impl Frames {
    /// The frames of `data`, the dossier frames made from its list of dossiers.
    pub fn new(data: &DataSet) -> PolarsResult<Frames> {
        let places = SchoolPlaces::of(&data.scholen);
        Frames::with_dossier_frames(
            data,
            DossierFrames::of(&data.dossiers, &data.config, &places)?,
        )
    }

    /// The frames of `data`, with dossier frames made before: by the reader, row by row, when
    /// `data` holds no list of dossiers (see [`crate::ingest::load_framed`]).
    pub fn with_dossier_frames(
        data: &DataSet,
        dossier_frames: DossierFrames,
    ) -> PolarsResult<Frames> {
        let DossierFrames {
            dossiers,
            themas,
            vragen,
            diagnoses,
            open,
        } = dossier_frames;
        let labels = Labels::of(&data.config, &data.scholen, open);
        let scholen = scholen(data, &labels)?;
        let named = named(&dossiers, &scholen)?;
        let coverage = Coverage::with_dossier_dates(data, dates(&dossiers)?);
        Ok(Frames {
            dossiers,
            themas,
            vragen,
            diagnoses,
            scholen,
            voorlichtingen: voorlichtingen(data)?,
            pageviews: pageviews(data)?,
            named,
            labels,
            coverage,
        })
    }
}

/// The dates of the dossier frame's `datum` column.
fn dates(dossiers: &DataFrame) -> PolarsResult<Vec<chrono::NaiveDate>> {
    let days = dossiers.column("datum")?.date()?.physical();
    Ok(days
        .iter()
        .flatten()
        .filter_map(|d| chrono::NaiveDate::from_num_days_from_ce_opt(d + UNIX_EPOCH_FROM_CE))
        .collect())
}

/// The dossier frame and the theme, question and diagnosis frames (see [`Frames`]).
#[derive(Debug, Clone)]
pub struct DossierFrames {
    pub dossiers: DataFrame,
    pub themas: DataFrame,
    pub vragen: DataFrame,
    pub diagnoses: DataFrame,
    /// The lists of the dossier frame's columns of open text, in the order of [`OPEN`].
    pub open: [Dictionary; 3],
}

/// The dossier frame's coded columns of open text: values the export may spell any way, each
/// coded by a [`Dictionary`] made as the rows come.
pub const OPEN: [&str; 3] = ["herkomst", "school_onbekend", "schooltype"];

impl DossierFrames {
    /// The frames of a list of dossiers, each made in one pass over the list straight into
    /// polars' builders, the two passes side by side: at a million dossiers of some 200 bytes,
    /// a pass per column would read the list from memory twenty times, and lists of values in
    /// between would double the memory.
    pub fn of(
        dossiers: &[Dossier],
        config: &Config,
        schools: &SchoolPlaces,
    ) -> PolarsResult<DossierFrames> {
        let (values, main) = crate::parallel::join(
            || {
                let mut values = ValueColumns::new();
                dossiers.iter().for_each(|d| values.push(d));
                values.finish(0)
            },
            || {
                let mut main = DossierColumns::new(config, schools, dossiers.len());
                dossiers.iter().for_each(|d| main.push(d));
                main.finish(0)
            },
        );
        let [themas, vragen, diagnoses] = values?;
        let (dossiers, open) = main?;
        Ok(DossierFrames {
            dossiers,
            themas,
            vragen,
            diagnoses,
            open,
        })
    }

    /// The frames of consecutive parts of a list, one after the other, each column in one
    /// piece of memory (as [`DossierFrames::of`] the whole list would make it).
    pub fn concat(parts: Vec<DossierFrames>) -> PolarsResult<DossierFrames> {
        let mut parts = parts.into_iter();
        let Some(mut all) = parts.next() else {
            return Err(PolarsError::NoData("no part of the dossier frames".into()));
        };
        for part in parts {
            let mut dossiers = part.dossiers;
            // The part's values take their places in the lists of the parts before it.
            for ((list, part_list), name) in all.open.iter_mut().zip(part.open).zip(OPEN) {
                let moved = list.absorb(part_list);
                renumber(&mut dossiers, name, &moved)?;
            }
            all.dossiers.vstack_mut_owned(dossiers)?;
            all.themas.vstack_mut_owned(part.themas)?;
            all.vragen.vstack_mut_owned(part.vragen)?;
            all.diagnoses.vstack_mut_owned(part.diagnoses)?;
        }
        for frame in [
            &mut all.dossiers,
            &mut all.themas,
            &mut all.vragen,
            &mut all.diagnoses,
        ] {
            frame.rechunk_mut();
        }
        Ok(all)
    }
}

/// The dossier frame of [`Frames`], made row by row; a reader fills one per part of a file.
pub struct DossierColumns<'c> {
    schools: &'c SchoolPlaces,
    webinar: Option<usize>,
    whatsapp: Option<usize>,
    rows: usize,
    datum: PrimitiveChunkedBuilder<Int32Type>,
    jaar: PrimitiveChunkedBuilder<Int32Type>,
    sector: Vec<u32>,
    school: PrimitiveChunkedBuilder<UInt32Type>,
    /// The columns of [`OPEN`] and their lists.
    open: [(PrimitiveChunkedBuilder<UInt32Type>, Dictionary); 3],
    flags: [BooleanChunkedBuilder; 4],
    contact: PrimitiveChunkedBuilder<Int64Type>,
}

impl<'c> DossierColumns<'c> {
    /// Room for `rows` dossiers (more can be pushed).
    pub fn new(config: &'c Config, schools: &'c SchoolPlaces, rows: usize) -> DossierColumns<'c> {
        let kanaal = |name: &str| config.kanalen.iter().position(|k| k == name);
        let int = |name: &str| PrimitiveChunkedBuilder::<Int32Type>::new(name.into(), rows);
        let flag = |name: &str| BooleanChunkedBuilder::new(name.into(), rows);
        DossierColumns {
            schools,
            webinar: kanaal(crate::config::WEBINAR),
            whatsapp: kanaal("whatsapp"),
            rows: 0,
            datum: int("datum"),
            jaar: int("schooljaar"),
            sector: Vec::with_capacity(rows),
            school: PrimitiveChunkedBuilder::new("school".into(), rows),
            open: OPEN.map(|name| {
                (
                    PrimitiveChunkedBuilder::new(name.into(), rows),
                    Dictionary::default(),
                )
            }),
            flags: [
                flag("webinar"),
                flag("whatsapp"),
                flag("passend"),
                flag("diagnose"),
            ],
            contact: PrimitiveChunkedBuilder::<Int64Type>::new("contactmomenten".into(), rows),
        }
    }

    pub fn push(&mut self, d: &Dossier) {
        self.rows += 1;
        self.datum.append_value(days(d.datum));
        self.jaar.append_value(schooljaar(d.datum));
        self.sector.push(d.sector);
        let [webinar, whatsapp, passend, diagnose] = &mut self.flags;
        webinar.append_value(self.webinar == Some(d.kanaal as usize));
        whatsapp.append_value(self.whatsapp == Some(d.kanaal as usize));
        self.school.append_option(
            d.school
                .as_deref()
                .and_then(|brin| self.schools.place(brin)),
        );
        self.contact.append_option(d.contactmomenten.map(i64::from));
        passend.append_value(d.passend);
        let [herkomst, onbekend, schooltype] = &mut self.open;
        for ((places, list), text) in [
            (herkomst, &d.herkomst),
            (onbekend, &d.school_unmatched),
            (schooltype, &d.schooltype),
        ] {
            places.append_option(text.as_deref().map(|t| list.place(t)));
        }
        diagnose.append_value(!d.diagnoses.is_empty());
    }

    /// The frame, its `item`s counted from `first_item` (the place of the first dossier pushed
    /// in the whole list), and the lists of its columns of open text.
    pub fn finish(self, first_item: u32) -> PolarsResult<(DataFrame, [Dictionary; 3])> {
        let item = (first_item..first_item + self.rows as u32).collect::<Vec<u32>>();
        let [webinar, whatsapp, passend, diagnose] = self.flags;
        let [
            (herkomst, herkomst_list),
            (onbekend, onbekend_list),
            (schooltype, schooltype_list),
        ] = self.open;
        let frame = DataFrame::new_infer_height(vec![
            UInt32Chunked::from_vec(ITEM.into(), item).into_column(),
            self.datum.finish().into_date().into_column(),
            self.jaar.finish().into_column(),
            UInt32Chunked::from_vec("sector".into(), self.sector).into_column(),
            webinar.finish().into_column(),
            whatsapp.finish().into_column(),
            herkomst.finish().into_column(),
            self.school.finish().into_column(),
            onbekend.finish().into_column(),
            self.contact.finish().into_column(),
            passend.finish().into_column(),
            schooltype.finish().into_column(),
            diagnose.finish().into_column(),
        ])?;
        Ok((frame, [herkomst_list, onbekend_list, schooltype_list]))
    }
}

/// Polars' dates count days from 1970-01-01; chrono's from 1 January of year 1.
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// Days since 1970-01-01, polars' dates.
fn days(date: chrono::NaiveDate) -> i32 {
    date.num_days_from_ce() - UNIX_EPOCH_FROM_CE
}

/// The theme, question and diagnosis frames of [`Frames`], made row by row: one row per
/// dossier and theme (`schooljaar`, `maand`, `sector`, `thema`); per passend onderwijs dossier
/// and question (`schooljaar`, `vraag`), and diagnosis (`schooljaar`, `diagnose`).
pub struct ValueColumns {
    /// Dossiers pushed so far: the `item` of the next, counted from the first pushed.
    rows: u32,
    item: Vec<u32>,
    jaar: Vec<i32>,
    maand: Vec<i32>,
    sector: Vec<u32>,
    thema: Vec<u32>,
    vraag: (Vec<u32>, Vec<i32>, StringChunkedBuilder),
    diagnose: (Vec<u32>, Vec<i32>, StringChunkedBuilder),
}

impl ValueColumns {
    pub fn new() -> ValueColumns {
        ValueColumns {
            rows: 0,
            item: Vec::new(),
            jaar: Vec::new(),
            maand: Vec::new(),
            sector: Vec::new(),
            thema: Vec::new(),
            vraag: (
                Vec::new(),
                Vec::new(),
                StringChunkedBuilder::new("vraag".into(), 0),
            ),
            diagnose: (
                Vec::new(),
                Vec::new(),
                StringChunkedBuilder::new("diagnose".into(), 0),
            ),
        }
    }

    pub fn push(&mut self, d: &Dossier) {
        let place = self.rows;
        self.rows += 1;
        let year = schooljaar(d.datum);
        let month = d.datum.month() as i32;
        for t in d.themas.places() {
            self.item.push(place);
            self.jaar.push(year);
            self.maand.push(month);
            self.sector.push(d.sector);
            self.thema.push(t as u32);
        }
        if d.passend {
            for (values, (item, jaar, value)) in [
                (&d.vragen, &mut self.vraag),
                (&d.diagnoses, &mut self.diagnose),
            ] {
                for v in values {
                    item.push(place);
                    jaar.push(year);
                    value.append_value(v.as_str());
                }
            }
        }
    }

    /// The three frames, their `item`s counted from `first_item`.
    pub fn finish(self, first_item: u32) -> PolarsResult<[DataFrame; 3]> {
        let items = |mut item: Vec<u32>| {
            if first_item > 0 {
                item.iter_mut().for_each(|i| *i += first_item);
            }
            UInt32Chunked::from_vec(ITEM.into(), item).into_column()
        };
        let year = |jaar: Vec<i32>| Int32Chunked::from_vec("schooljaar".into(), jaar).into_column();
        let [
            (vraag_item, vraag_jaar, vraag),
            (diagnose_item, diagnose_jaar, diagnose),
        ] = [self.vraag, self.diagnose];
        Ok([
            DataFrame::new_infer_height(vec![
                items(self.item),
                year(self.jaar),
                Int32Chunked::from_vec("maand".into(), self.maand).into_column(),
                UInt32Chunked::from_vec("sector".into(), self.sector).into_column(),
                UInt32Chunked::from_vec("thema".into(), self.thema).into_column(),
            ])?,
            DataFrame::new_infer_height(vec![
                items(vraag_item),
                year(vraag_jaar),
                vraag.finish().into_column(),
            ])?,
            DataFrame::new_infer_height(vec![
                items(diagnose_item),
                year(diagnose_jaar),
                diagnose.finish().into_column(),
            ])?,
        ])
    }
}

fn scholen(data: &DataSet, labels: &Labels) -> PolarsResult<DataFrame> {
    let (s, config) = (&data.scholen, &data.config);
    let band = |w: Option<f64>| w.and_then(|w| config.band_of(w)).map(|i| i as u32);
    let stadsdeel = |x: &School| {
        x.stadsdeel
            .as_deref()
            .and_then(|name| labels.place("stadsdeel", name))
    };
    df!(
        "school" => (0..s.len() as u32).collect::<Vec<_>>(),
        "brin" => s.iter().map(|x| x.brin.as_str()).collect::<Vec<_>>(),
        "stadsdeel" => s.iter().map(stadsdeel).collect::<Vec<_>>(),
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
        .inner_join(primary, col("school"), col("school"))
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

/// Text values as places in a list made as the rows come: each value once, in the order first
/// seen (so the parts of a file, joined in order, give the list one pass over it would).
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    places: PlHashMap<String, u32>,
    list: Vec<String>,
}

impl Dictionary {
    /// The place of `text`, given it the first time.
    pub fn place(&mut self, text: &str) -> u32 {
        if let Some(&place) = self.places.get(text) {
            return place;
        }
        let place = self.list.len() as u32;
        self.list.push(text.to_owned());
        self.places.insert(text.to_owned(), place);
        place
    }

    /// The values, each at its place.
    pub fn list(&self) -> &[String] {
        &self.list
    }

    /// Takes `other`'s values in (those not in the list yet after the list's own, in
    /// `other`'s order): the new place of each of `other`'s places.
    pub fn absorb(&mut self, other: Dictionary) -> Vec<u32> {
        other.list.iter().map(|text| self.place(text)).collect()
    }

    /// Each value as `spell` writes it; values that become equal become one, at the first's
    /// place: the new place of each old place.
    pub fn respell(&mut self, spell: impl Fn(&str) -> String) -> Vec<u32> {
        let old = std::mem::take(self);
        old.list
            .iter()
            .map(|text| self.place(&spell(text)))
            .collect()
    }
}

/// Coded column `name` of `frame` with each place `p` replaced by `moved[p]` (when any moved).
pub fn renumber(frame: &mut DataFrame, name: &str, moved: &[u32]) -> PolarsResult<()> {
    if moved.iter().enumerate().all(|(p, &q)| p as u32 == q) {
        return Ok(());
    }
    let places: UInt32Chunked = frame
        .column(name)?
        .u32()?
        .iter()
        .map(|p| p.map(|p| moved[p as usize]))
        .collect();
    frame.with_column(places.with_name(name.into()).into_column())?;
    Ok(())
}

/// Each registry school's place in `DataSet::scholen` by its brin: what the dossier frame's
/// `school` holds.
pub struct SchoolPlaces(PlHashMap<String, u32>);

impl SchoolPlaces {
    pub fn of(scholen: &[School]) -> SchoolPlaces {
        let mut places = PlHashMap::with_capacity(scholen.len());
        for (place, school) in scholen.iter().enumerate() {
            places.entry(school.brin.clone()).or_insert(place as u32);
        }
        SchoolPlaces(places)
    }

    /// The place of the registry school with brin `brin` (as the registry writes it).
    pub fn place(&self, brin: &str) -> Option<u32> {
        self.0.get(brin).copied()
    }
}

/// The lists the coded columns of the frames hold places in: `sector` (the configured
/// sectors), `thema` (the configured themes), `stadsdeel` (the configured stadsdelen), `band`
/// (the schoolweging bands, by key), `school` (the registry's brins) and the open text of
/// the dossiers ([`OPEN`], listed as read).
///
/// A place takes four bytes a row where text takes a 16-byte string view: at ten million
/// dossiers that is over half a gigabyte, and a group-by over whole numbers is quicker than
/// one over text. So the computations filter and group by places, and read the text from
/// the few rows of the groups ([`Labels::decode`]).
#[derive(Debug, Clone)]
pub struct Labels {
    lists: Vec<(&'static str, Vec<String>)>,
}

impl Labels {
    /// The lists of `config` and the registry, and those the dossiers' open text was coded by.
    pub fn of(config: &Config, scholen: &[School], open: [Dictionary; 3]) -> Labels {
        let mut lists = vec![
            ("sector", config.sectors.clone()),
            ("thema", config.themes.clone()),
            ("stadsdeel", config.stadsdelen.clone()),
            ("band", config.bands.iter().map(|b| b.key()).collect()),
            ("school", scholen.iter().map(|s| s.brin.clone()).collect()),
        ];
        lists.extend(OPEN.into_iter().zip(open.map(|d| d.list)));
        Labels { lists }
    }

    fn list(&self, column: &str) -> Option<&[String]> {
        self.lists
            .iter()
            .find(|(name, _)| *name == column)
            .map(|(_, list)| list.as_slice())
    }

    /// The place of `label` in the list of coded column `column`.
    pub fn place(&self, column: &str, label: &str) -> Option<u32> {
        self.list(column)?
            .iter()
            .position(|l| l == label)
            .map(|p| p as u32)
    }

    /// The rows whose coded column `column` holds `label` (none for a label not in its list).
    pub fn is(&self, column: &str, label: &str) -> Expr {
        match self.place(column, label) {
            Some(place) => col(column).eq(lit(place)),
            None => lit(false),
        }
    }

    /// `frame` with each coded column (a `u32` column named after a list) as its text.
    pub fn decode(&self, mut frame: DataFrame) -> PolarsResult<DataFrame> {
        for (name, list) in &self.lists {
            let Ok(column) = frame.column(name) else {
                continue;
            };
            let Ok(places) = column.u32() else {
                continue;
            };
            let text = places
                .iter()
                .map(|place| match place {
                    None => Ok(None),
                    Some(p) => list.get(p as usize).map(|l| Some(l.as_str())).ok_or_else(|| {
                        polars_err!(ComputeError: "place {p} of coded column {name} is not in its list")
                    }),
                })
                .collect::<PolarsResult<StringChunked>>()?;
            frame.with_column(text.with_name((*name).into()).into_column())?;
        }
        Ok(frame)
    }
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
        let places = SchoolPlaces::of(&data.scholen);
        let sector = |x: &crate::model::Dossier| config.sectors[x.sector as usize].as_str();
        let kanaal = |x: &crate::model::Dossier| config.kanalen[x.kanaal as usize].as_str();
        let DossierFrames {
            dossiers,
            themas,
            vragen,
            diagnoses,
            open,
        } = DossierFrames::of(d, config, &places).unwrap();
        // The coded columns hold places, read as text they are the dossiers' values.
        for name in ["sector", "school"].into_iter().chain(OPEN) {
            assert_eq!(dossiers.column(name).unwrap().dtype(), &DataType::UInt32);
        }
        for list in &open {
            let mut values = list.list().to_vec();
            values.sort();
            values.dedup();
            assert_eq!(values.len(), list.list().len(), "each value once");
        }
        assert!(open.iter().all(|list| !list.list().is_empty()));
        let labels = Labels::of(config, &data.scholen, open);
        let dossiers = labels.decode(dossiers).unwrap();
        let themas = labels.decode(themas).unwrap();
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
        assert!(dossiers.column("school").unwrap().null_count() < d.len());
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
        let none = DossierFrames::of(&[], config, &places).unwrap();
        assert!(
            [none.dossiers, none.themas, none.vragen, none.diagnoses]
                .iter()
                .all(|f| f.height() == 0 && f.width() > 0)
        );
    }
}

#[cfg(test)]
mod labels_tests {
    use super::*;

    fn labels() -> Labels {
        Labels {
            lists: vec![
                ("sector", vec!["po".into(), "vo".into()]),
                ("thema", vec!["a".into(), "b".into(), "c".into()]),
            ],
        }
    }

    #[test]
    fn decode_reads_places_as_their_text_and_leaves_the_rest() {
        let frame = df!(
            "sector" => [Some(1u32), None, Some(0)],
            // Text already, as the sessions' themes are: left as it is.
            "thema" => ["x", "y", "z"],
            "n" => [5u32, 6, 7],
        )
        .unwrap();
        let expected = df!(
            "sector" => [Some("vo"), None, Some("po")],
            "thema" => ["x", "y", "z"],
            "n" => [5u32, 6, 7],
        )
        .unwrap();
        let decoded = labels().decode(frame).unwrap();
        assert!(decoded.equals_missing(&expected), "{decoded}");
    }

    #[test]
    fn a_dictionary_lists_each_value_once_in_the_order_first_seen() {
        let mut first = Dictionary::default();
        let places: Vec<u32> = ["b", "a", "b", "c"].map(|t| first.place(t)).to_vec();
        assert_eq!(
            (places, first.list()),
            (vec![0, 1, 0, 2], &["b", "a", "c"].map(String::from)[..])
        );
        // A second part's values after the first's: as one pass over both parts would list them.
        let mut second = Dictionary::default();
        ["d", "a", "e"].map(|t| second.place(t));
        assert_eq!(first.absorb(second), vec![3, 1, 4]);
        assert_eq!(first.list(), ["b", "a", "c", "d", "e"].map(String::from));
        // Two values spelled alike become one, at the first's place.
        let moved = first.respell(|t| {
            if t == "d" {
                "A".into()
            } else {
                t.to_uppercase()
            }
        });
        assert_eq!(moved, vec![0, 1, 2, 1, 3]);
        assert_eq!(first.list(), ["B", "A", "C", "E"].map(String::from));
        let mut frame = df!("herkomst" => [Some(3u32), None, Some(4), Some(0)]).unwrap();
        renumber(&mut frame, "herkomst", &moved).unwrap();
        let expected = df!("herkomst" => [Some(1u32), None, Some(3), Some(0)]).unwrap();
        assert!(frame.equals_missing(&expected), "{frame}");
    }

    #[test]
    fn a_place_outside_its_list_is_an_error() {
        let frame = df!("thema" => [0u32, 3]).unwrap();
        let err = labels().decode(frame).unwrap_err().to_string();
        assert!(err.contains("place 3 of coded column thema"), "{err}");
    }

    #[test]
    fn rows_are_chosen_by_the_place_of_a_label() {
        let frame = df!("sector" => [0u32, 1, 1, 0, 1]).unwrap();
        let count = |label: &str| {
            frame
                .clone()
                .lazy()
                .filter(labels().is("sector", label))
                .collect()
                .unwrap()
                .height()
        };
        assert_eq!((count("po"), count("vo"), count("mbo")), (2, 3, 0));
        assert_eq!(labels().place("thema", "c"), Some(2));
        assert_eq!(labels().place("band", "c"), None);
    }
}
