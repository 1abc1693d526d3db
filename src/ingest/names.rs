//! Matching school names as parents and helpdesk staff type them against the registry, and
//! searching it for the nearest names when they match nothing ([`RegistryNames`]).

use std::collections::{BTreeMap, HashMap};

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::model::{CompactString, School, SchoolMatch};

mod search;

pub use search::{MAX_SUGGESTED, RegistryNames, nearest_schools};

/// The key a school name is matched by: accents, case, punctuation and spacing ignored, so
/// `Sint-Jozefschool Rivièra` and ` sint jozefschool  RIVIERA!` give the same key.
///
/// Compatibility decomposition (NFKD, a superset of NFD) also splits the Dutch `ĳ` ligature
/// and full-width letters, which CRM copy-paste sometimes brings in.
pub fn normalize_name(s: &str) -> String {
    let folded: String = s
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form a brin is compared in: trimmed, ASCII upper case.
pub fn normalize_brin(brin: &str) -> String {
    brin.trim().to_ascii_uppercase()
}

/// The name keys of a school: its name and its aliases, normalised, each once, empty keys left
/// out (a name of only punctuation matches nothing).
pub fn name_keys(school: &School) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for name in std::iter::once(&school.naam).chain(&school.aliassen) {
        let key = normalize_name(name);
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Lookup of registry schools by brin and by normalised name or alias. When two schools share
/// a key the first one is kept; the registry reader reports such clashes as errors.
#[derive(Debug, Clone)]
pub struct SchoolIndex<'a> {
    schools: &'a [School],
    by_brin: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl<'a> SchoolIndex<'a> {
    pub fn new(schools: &'a [School]) -> SchoolIndex<'a> {
        let mut by_brin = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, school) in schools.iter().enumerate() {
            by_brin.entry(normalize_brin(&school.brin)).or_insert(i);
            for key in name_keys(school) {
                by_name.entry(key).or_insert(i);
            }
        }
        SchoolIndex {
            schools,
            by_brin,
            by_name,
        }
    }

    pub fn by_brin(&self, brin: &str) -> Option<&'a School> {
        self.by_brin
            .get(&normalize_brin(brin))
            .map(|&i| &self.schools[i])
    }

    /// The brin of the school `name` names ([`SchoolIndex::by_name`]), and how it matched.
    pub fn brin_by_name(&self, name: &str) -> Option<(CompactString, SchoolMatch)> {
        self.by_name(name)
            .map(|school| (school.brin.as_str().into(), how_named(school, name)))
    }

    /// The school whose name or one of whose aliases normalises like `name`.
    pub fn by_name(&self, name: &str) -> Option<&'a School> {
        self.by_name
            .get(&normalize_name(name))
            .map(|&i| &self.schools[i])
    }
}

/// Looking a school up in the registry, by brin or by name. [`SchoolIndex`] is one; the fast
/// dossier path has its own, with quicker tables and answers remembered per name, which must
/// answer as [`SchoolIndex`] does.
pub trait SchoolLookup {
    /// The registry brin of the school with this brin.
    fn brin_of(&mut self, brin: &str) -> Option<CompactString>;
    /// The registry brin of the school this name (or alias) names, and how it matched.
    fn named(&mut self, naam: &str) -> Option<(CompactString, SchoolMatch)>;
}

/// How a name a registry school matched was matched: by its own name or by an alias.
pub fn how_named(school: &School, typed: &str) -> SchoolMatch {
    if normalize_name(&school.naam) == normalize_name(typed) {
        SchoolMatch::Naam
    } else {
        SchoolMatch::Alias
    }
}

/// The school a dossier names: the registry brin, what was given when nothing matched, how
/// it matched (the fields `school`, `school_unmatched` and `school_match` of a dossier).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NamedSchool {
    pub school: Option<CompactString>,
    pub unmatched: Option<CompactString>,
    pub how: Option<SchoolMatch>,
}

/// The rule that finds the school of a dossier, for both dossier readers. The brin wins when
/// it is in the registry; a brin the registry lacks may still come with a name that matches.
/// `brin` and `naam` are the cells as read (trimmed, empty when absent).
pub fn named_school(brin: &str, naam: &str, registry: &mut impl SchoolLookup) -> NamedSchool {
    let found = Some(brin)
        .filter(|b| !b.is_empty())
        .and_then(|b| registry.brin_of(b))
        .map(|school| (school, SchoolMatch::Brin))
        .or_else(|| {
            Some(naam)
                .filter(|n| !n.is_empty())
                .and_then(|n| registry.named(n))
        });
    match found {
        Some((school, how)) => NamedSchool {
            school: Some(school),
            unmatched: None,
            how: Some(how),
        },
        None => NamedSchool {
            unmatched: [naam, brin]
                .into_iter()
                .find(|v| !v.is_empty())
                .map(CompactString::from),
            ..NamedSchool::default()
        },
    }
}

impl SchoolLookup for SchoolIndex<'_> {
    fn brin_of(&mut self, brin: &str) -> Option<CompactString> {
        self.by_brin(brin).map(|school| school.brin.as_str().into())
    }

    fn named(&mut self, naam: &str) -> Option<(CompactString, SchoolMatch)> {
        self.brin_by_name(naam)
    }
}

/// School names that matched nothing, grouped: names typed differently but equal after
/// normalisation ("De Regenbog", "de regenbog ") are one name, because the fix in the CRM or the
/// alias list is the same. Each group is shown by its most frequent spelling (of equally
/// frequent ones the first in sort order) and carries a `T` of its own for the caller's
/// further counts. The one rule of the data-quality appendix and of `validate`.
pub struct UnmatchedNames<T> {
    groups: BTreeMap<String, UnmatchedGroup<T>>,
}

struct UnmatchedGroup<T> {
    spellings: BTreeMap<String, i64>,
    total: i64,
    extra: T,
}

/// One group of [`UnmatchedNames`]: its shown spelling, its count, the caller's `T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedName<T> {
    pub name: String,
    pub count: i64,
    pub extra: T,
}

impl<T: Default> Default for UnmatchedNames<T> {
    fn default() -> Self {
        UnmatchedNames {
            groups: BTreeMap::new(),
        }
    }
}

impl<T: Default> UnmatchedNames<T> {
    /// Counts `n` more of the name as `typed`; the group's `T`, to count more by.
    pub fn add(&mut self, typed: &str, n: i64) -> &mut T {
        let group = self
            .groups
            .entry(normalize_name(typed))
            .or_insert_with(|| UnmatchedGroup {
                spellings: BTreeMap::new(),
                total: 0,
                extra: T::default(),
            });
        match group.spellings.get_mut(typed) {
            Some(count) => *count += n,
            None => {
                group.spellings.insert(typed.to_string(), n);
            }
        }
        group.total += n;
        &mut group.extra
    }

    /// The groups, largest count first, then by shown spelling.
    pub fn into_sorted(self) -> Vec<UnmatchedName<T>> {
        let mut names: Vec<UnmatchedName<T>> = self
            .groups
            .into_values()
            .map(|group| UnmatchedName {
                name: group
                    .spellings
                    .into_iter()
                    .reduce(|best, next| if next.1 > best.1 { next } else { best })
                    .map(|(name, _)| name)
                    .unwrap_or_default(),
                count: group.total,
                extra: group.extra,
            })
            .collect();
        names.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(brin: &str, naam: &str, aliassen: &[&str]) -> School {
        School {
            line: 2,
            brin: brin.to_string(),
            naam: naam.to_string(),
            stadsdeel: None,
            schoolweging: None,
            sector: "po".to_string(),
            aliassen: aliassen.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn accents_case_punctuation_and_spacing_are_ignored() {
        assert_eq!(
            normalize_name("Sint-Jozefschool Rivièra"),
            "sint jozefschool riviera"
        );
        assert_eq!(
            normalize_name(" sint jozefschool  RIVIERA!"),
            "sint jozefschool riviera"
        );
        assert_eq!(normalize_name("École Émile Zola"), "ecole emile zola");
        assert_eq!(normalize_name("OBS\tDe  Kraal."), "obs de kraal");
    }

    #[test]
    fn apostrophes_and_ligatures() {
        assert_eq!(normalize_name("'t Kraaiennest"), "t kraaiennest");
        assert_eq!(normalize_name("’t kraaiennest"), "t kraaiennest");
        assert_eq!(normalize_name("\u{133}sselschool"), "ijsselschool");
    }

    #[test]
    fn nothing_but_punctuation_gives_an_empty_key() {
        assert_eq!(normalize_name(" -- ! "), "");
    }

    #[test]
    fn index_finds_by_brin_name_and_alias() {
        let schools = vec![
            school("12AB00", "Sint-Jozefschool Rivièra", &["De Rivièra"]),
            school("34CD01", "'t Kraaiennest", &[]),
        ];
        let index = SchoolIndex::new(&schools);
        assert_eq!(
            index.by_brin(" 12ab00 ").map(|s| s.naam.as_str()),
            Some("Sint-Jozefschool Rivièra")
        );
        assert_eq!(
            index
                .by_name("sint jozefschool riviera")
                .map(|s| s.brin.as_str()),
            Some("12AB00")
        );
        assert_eq!(
            index.by_name("de riviera").map(|s| s.brin.as_str()),
            Some("12AB00")
        );
        assert_eq!(
            index.by_name("T KRAAIENNEST").map(|s| s.brin.as_str()),
            Some("34CD01")
        );
        assert!(index.by_name("Kraaiennest").is_none());
        assert!(index.by_brin("99ZZ00").is_none());
    }

    #[test]
    fn unmatched_names_group_by_normalised_name_and_show_the_most_frequent_spelling() {
        let mut names: UnmatchedNames<usize> = UnmatchedNames::default();
        for (typed, n) in [
            ("de regenbog ", 2),
            ("De Regenbog", 2),
            ("Zonnebloem", 1),
            ("De  Regenbog!", 1),
            ("Zonnebloem", 4),
            ("Alpha", 5),
        ] {
            *names.add(typed, n) += 1;
        }
        let sorted = names.into_sorted();
        let shown: Vec<(&str, i64, usize)> = sorted
            .iter()
            .map(|g| (g.name.as_str(), g.count, g.extra))
            .collect();
        // Regenbog: 5 in three spellings, two of them 2 each: the first in sort order shows.
        // Ties in count (Alpha, Regenbog, Zonnebloem all 5) sort by the shown name.
        assert_eq!(
            shown,
            vec![("Alpha", 5, 1), ("De Regenbog", 5, 3), ("Zonnebloem", 5, 2)]
        );
    }
}
