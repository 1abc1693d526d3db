//! Matching school names as parents and helpdesk staff type them against the registry.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::School;

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

    /// The school whose name or one of whose aliases normalises like `name`.
    pub fn by_name(&self, name: &str) -> Option<&'a School> {
        self.by_name
            .get(&normalize_name(name))
            .map(|&i| &self.schools[i])
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
}
