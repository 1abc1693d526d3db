//! The domain model: what a data folder holds once its exports are read and validated. The
//! readers (`ingest`) make these types, the appendices, `explain` and `validate` use them; the
//! model itself depends on no reader.

use chrono::NaiveDate;
pub use compact_str::CompactString;

use crate::config::Config;
use crate::period::SchoolYear;

/// Everything one data folder holds, validated.
#[derive(Debug, Clone)]
pub struct DataSet {
    pub config: Config,
    pub dossiers: Vec<Dossier>,
    pub scholen: Vec<School>,
    pub voorlichtingen: Vec<Voorlichting>,
    /// One entry per day, rows of the same day summed, sorted by date.
    pub pageviews: Vec<PageviewDay>,
    pub leerlingen_stadsdeel: Vec<StadsdeelPupils>,
    pub leerlingen_sector: Vec<SectorPupils>,
}

/// A helpdesk dossier (`dossiers.csv`).
///
/// Its texts are [`CompactString`]s: codes, categories and school names up to 24 bytes are kept
/// inline, so a national export of a million dossiers is not ten million small allocations.
#[derive(Debug, Clone, PartialEq)]
pub struct Dossier {
    /// Line in the file where the row starts (header = line 1).
    pub line: usize,
    pub id: CompactString,
    pub datum: NaiveDate,
    /// The sector: its place in `Config::sectors`.
    pub sector: u32,
    /// The themes, as places in the configured list (`Config::themes`).
    pub themas: ThemeSet,
    /// The channel: its place in `Config::kanalen`.
    pub kanaal: u32,
    /// Lower-cased; `None` when empty.
    pub herkomst: Option<CompactString>,
    /// The registry brin of the school the dossier names: by `school_brin` if that code is in
    /// the registry, else by `schoolnaam` matched after normalisation.
    pub school: Option<CompactString>,
    /// What the dossier named when it matched no registry school (the brin or the name as
    /// typed); for the data-quality section.
    pub school_unmatched: Option<CompactString>,
    /// How `school` was found, for `explain`; `None` when it was not.
    pub school_match: Option<SchoolMatch>,
    /// At most 1.000.000.000, as every whole number read.
    pub contactmomenten: Option<u32>,
    pub passend: bool,
    pub schooltype: Option<CompactString>,
    pub vragen: Vec<CompactString>,
    pub diagnoses: Vec<CompactString>,
}

/// How a dossier's school was found in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchoolMatch {
    /// `school_brin` is a registry brin.
    Brin,
    /// `schoolnaam` normalises like the registry school's own name.
    Naam,
    /// `schoolnaam` normalises like one of the school's aliases.
    Alias,
}

impl SchoolMatch {
    pub fn word(self) -> &'static str {
        match self {
            SchoolMatch::Brin => "brin",
            SchoolMatch::Naam => "naam",
            SchoolMatch::Alias => "alias",
        }
    }
}

/// A set of themes: places in the configured list of themes (at most [`ThemeSet::MAX`]), kept
/// inside the dossier: a million dossiers and no list of their own each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThemeSet([u64; 2]);

impl ThemeSet {
    /// The most themes a configuration may list.
    pub const MAX: usize = crate::config::MAX_THEMES;

    /// Adds the theme at `place` in the configured list (below [`ThemeSet::MAX`]).
    pub fn insert(&mut self, place: usize) {
        assert!(place < Self::MAX, "theme {place} of at most {}", Self::MAX);
        self.0[place / 64] |= 1 << (place % 64);
    }

    pub fn len(self) -> usize {
        (self.0[0].count_ones() + self.0[1].count_ones()) as usize
    }

    pub fn is_empty(self) -> bool {
        self.0 == [0, 0]
    }

    /// The places, in the configured order.
    pub fn places(self) -> impl Iterator<Item = usize> {
        let [mut low, mut high] = self.0;
        std::iter::from_fn(move || {
            if low != 0 {
                let place = low.trailing_zeros() as usize;
                low &= low - 1;
                Some(place)
            } else if high != 0 {
                let place = high.trailing_zeros() as usize;
                high &= high - 1;
                Some(64 + place)
            } else {
                None
            }
        })
    }

    /// The configured spellings, in the configured order.
    pub fn names(self, themes: &[String]) -> impl Iterator<Item = &str> {
        self.places().map(move |i| themes[i].as_str())
    }
}

impl FromIterator<usize> for ThemeSet {
    fn from_iter<I: IntoIterator<Item = usize>>(places: I) -> ThemeSet {
        let mut set = ThemeSet::default();
        for place in places {
            set.insert(place);
        }
        set
    }
}

impl Dossier {
    pub fn schooljaar(&self) -> SchoolYear {
        use chrono::Datelike;
        SchoolYear::of(self.datum.year(), self.datum.month())
    }
}

/// A school location of the registry (`scholen.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    pub line: usize,
    pub brin: String,
    pub naam: String,
    /// Configured spelling; `None` outside Amsterdam.
    pub stadsdeel: Option<String>,
    pub schoolweging: Option<f64>,
    /// `po`, `so`, `vo` or `mbo` (lower case); an empty cell means `po`.
    pub sector: String,
    pub aliassen: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Uitgevoerd,
    Gepland,
    Geannuleerd,
}

impl Status {
    /// Held and planned sessions count; cancelled ones never do.
    pub fn counts(self) -> bool {
        self != Status::Geannuleerd
    }
}

/// A session of the voorlichtingen agenda (`voorlichtingen.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Voorlichting {
    pub line: usize,
    pub datum: NaiveDate,
    /// Configured spelling of the stadsdeel column (a stadsdeel, Abcoude, ..., Stadsbreed).
    pub gebied: String,
    /// Configured spelling if listed, else the spelling first seen in the file.
    pub thema: String,
    /// Configured spelling if listed, else the spelling first seen in the file.
    pub organisatie: String,
    /// Lower-cased: fysiek, webinar, facebook-live, ...
    pub vorm: String,
    /// Locations reached at once; 1 when empty.
    pub locaties: i64,
    pub deelnemers: Option<i64>,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageviewDay {
    pub datum: NaiveDate,
    pub weergaven: i64,
}

/// CBS primary pupils of a stadsdeel in a school year (`leerlingen-stadsdeel.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StadsdeelPupils {
    pub line: usize,
    pub stadsdeel: String,
    pub schooljaar: SchoolYear,
    pub leerlingen: i64,
    /// Where the count comes from (the optional column `bron`, which `import-scholen` writes
    /// for DUO's counts by school location); `None` when the file does not say: CBS.
    pub bron: Option<String>,
}

/// Approximate pupils of a sector group (`leerlingen-sector.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorPupils {
    pub line: usize,
    /// Id of a configured sector group.
    pub groep: String,
    pub leerlingen: i64,
    /// The school year the count is of (the optional column `schooljaar`), so that a stale
    /// count can be noticed; `None` when the file does not say.
    pub schooljaar: Option<SchoolYear>,
}

impl DataSet {
    /// No rows at all.
    pub fn empty(config: Config) -> DataSet {
        DataSet {
            config,
            dossiers: Vec::new(),
            scholen: Vec::new(),
            voorlichtingen: Vec::new(),
            pageviews: Vec::new(),
            leerlingen_stadsdeel: Vec::new(),
            leerlingen_sector: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ThemeSet;

    #[test]
    fn a_theme_set_holds_places_in_configured_order() {
        let mut set = ThemeSet::default();
        assert!(set.is_empty());
        for place in [127, 5, 64, 0, 5] {
            set.insert(place);
        }
        assert_eq!(set.places().collect::<Vec<_>>(), vec![0, 5, 64, 127]);
        assert_eq!(set.len(), 4);
        let themes: Vec<String> = (0..128).map(|i| format!("t{i}")).collect();
        assert_eq!(
            set.names(&themes).collect::<Vec<_>>(),
            vec!["t0", "t5", "t64", "t127"]
        );
    }
}
