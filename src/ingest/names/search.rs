//! Searching the registry for the names nearest to one that matched no school: the
//! suggestions of the data-quality appendix and of `oco-report validate`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::model::School;

use super::normalize_name;

/// How many registry names to suggest for a name that matched nothing.
const SUGGESTIONS: usize = 3;

/// For how many unmatched names (the most frequent) the nearest registry names are looked
/// up: each look-up compares with every registry name, and an export of a million different
/// names would take hours; beyond the first thousand the fix is not a school at a time.
pub const MAX_SUGGESTED: usize = 1_000;

/// The registry names (official name, or the alias that came closest) nearest to `typed`.
pub fn nearest_schools(typed: &str, scholen: &[School]) -> Vec<String> {
    RegistryNames::new(scholen).nearest(typed)
}

/// The normalised names and aliases of the registry, made once for every name looked up.
///
/// The nearest names are those with the highest normalised Damerau-Levenshtein similarity
/// (strsim), ties by name. Computing that similarity for every pair of typed name and registry
/// name costs O(names × schools × length²); instead a cheap upper bound of the similarity (from
/// the lengths and the letter counts, see `Key::bound`) is taken for every school, and the
/// exact similarity only for schools whose bound can still reach the three best found so far.
/// A school skipped that way has a similarity strictly below the third best, so the result is
/// exactly that of comparing with every school.
pub struct RegistryNames<'a> {
    /// Official names, by school.
    names: Vec<&'a str>,
    /// The normalised names and aliases of every school, one after the other.
    keys: Vec<Key>,
    /// The school of each key.
    owners: Vec<usize>,
    /// The keys of each school.
    ranges: Vec<std::ops::Range<usize>>,
}

/// A normalised name, its length in characters and its letter counts.
struct Key {
    text: String,
    chars: usize,
    counts: Counts64,
}

/// How often each character occurs, folded into 64 buckets (letters and digits each their own)
/// and saturating at 255. Folding and saturating only lower the difference between two names,
/// so the bound stays a bound.
#[derive(Clone, Copy)]
struct Counts64([u8; 64]);

impl Counts64 {
    fn of(text: &str) -> Counts64 {
        let mut counts = [0u8; 64];
        for c in text.chars() {
            let bucket = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize),
                ' ' => 36,
                _ => 37 + (c as usize % 27),
            };
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        Counts64(counts)
    }

    /// The sum of the differences in count, bucket by bucket (at most 64 × 255).
    ///
    /// Taken for every registry name and every name looked up (25 million times for a national
    /// export), so on x86-64 by `psadbw`, which sums the differences of 16 bytes at once (SSE2,
    /// part of every x86-64 processor).
    fn difference(&self, other: &Counts64) -> u32 {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{
                __m128i, _mm_add_epi64, _mm_cvtsi128_si64, _mm_loadu_si128, _mm_sad_epu8,
                _mm_setzero_si128, _mm_srli_si128,
            };
            // SAFETY: SSE2 is part of x86-64; the loads read bytes 16i..16i + 16 of two 64-byte
            // arrays, and loadu takes any alignment.
            unsafe {
                let mut sums = _mm_setzero_si128();
                for i in 0..4 {
                    let a = _mm_loadu_si128(self.0.as_ptr().add(16 * i).cast::<__m128i>());
                    let b = _mm_loadu_si128(other.0.as_ptr().add(16 * i).cast::<__m128i>());
                    sums = _mm_add_epi64(sums, _mm_sad_epu8(a, b));
                }
                let both = _mm_add_epi64(sums, _mm_srli_si128::<8>(sums));
                _mm_cvtsi128_si64(both) as u32
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let mut sum: u32 = 0;
            for i in 0..64 {
                sum += u32::from(self.0[i].abs_diff(other.0[i]));
            }
            sum
        }
    }
}

impl Key {
    fn new(text: String) -> Key {
        Key {
            chars: text.chars().count(),
            counts: Counts64::of(&text),
            text,
        }
    }

    /// The similarity to `other`, as [`strsim::normalized_damerau_levenshtein`] computes it
    /// (for ASCII names the same distance without its allocations, see [`ascii_distance_within`]).
    ///
    /// With a `floor`, a similarity below it need not be exact: the result is then some value
    /// still below `floor`, at least the exact one. A similarity at or above `floor` is exact.
    /// Knowing that, the distance is only followed as far as `floor` allows (see
    /// [`ascii_distance_within`]), which in a search for the nearest names is most of the way.
    fn similarity(&self, other: &Key, floor: Option<f64>) -> f64 {
        // The allocation-free distance counts in u32: texts of 4 GB together (which no export
        // holds) go to strsim as well.
        let fits = self.text.len() + other.text.len() < u32::MAX as usize;
        if !(fits && self.text.is_ascii() && other.text.is_ascii()) {
            return strsim::normalized_damerau_levenshtein(&self.text, &other.text);
        }
        if self.text.is_empty() && other.text.is_empty() {
            return 1.0;
        }
        let longer = self.chars.max(other.chars);
        let of = |distance: usize| 1.0 - (distance as f64) / (longer as f64);
        // The largest distance whose similarity reaches the floor, found with the formula
        // itself so that rounding cannot put a distance on the wrong side; the distance never
        // exceeds the longer length, so that is the limit without a floor.
        let limit = floor.map_or(longer, |floor| {
            let mut limit = (((1.0 - floor) * longer as f64).max(0.0) as usize).min(longer);
            while limit < longer && of(limit + 1) >= floor {
                limit += 1;
            }
            while limit > 0 && of(limit) < floor {
                limit -= 1;
            }
            limit
        });
        of(ascii_distance_within(
            self.text.as_bytes(),
            other.text.as_bytes(),
            limit,
        ))
    }

    /// An upper bound of [`Key::similarity`], from a lower bound of the distance. An insertion
    /// or deletion changes the length by one and the letter counts by one, a substitution the
    /// counts by at most two, a transposition neither. With I insertions and deletions and S
    /// substitutions, the length difference is at most I and the count difference at most
    /// I + 2S, so the distance, at least I + S, is at least the length difference and at least
    /// half the sum of both differences. The similarity is `1 - distance / longer length`,
    /// computed the same way.
    fn bound(&self, other: &Key) -> f64 {
        let longer = self.chars.max(other.chars);
        if longer == 0 {
            return 1.0;
        }
        let lengths = self.chars.abs_diff(other.chars);
        let counts = self.counts.difference(&other.counts) as usize;
        let distance = lengths.max((counts + lengths).div_ceil(2));
        1.0 - (distance as f64) / (longer as f64)
    }
}

/// The (unrestricted) Damerau-Levenshtein distance of two ASCII texts: insertions,
/// deletions, substitutions and transpositions of adjacent characters, also with edits between
/// them (Lowrance and Wagner). The distance [`strsim::damerau_levenshtein`] gives; the test
/// `ascii_distance_is_strsims` holds the two together.
#[cfg(test)]
fn ascii_distance(a: &[u8], b: &[u8]) -> usize {
    ascii_distance_within(a, b, a.len().max(b.len()))
}

/// The (unrestricted) Damerau-Levenshtein distance of two ASCII texts, as
/// [`strsim::damerau_levenshtein`] gives it, where it is at most `limit`, else `limit + 1`: the
/// distances beyond the limit are never followed. (The tests call it without a limit
/// `ascii_distance`.)
///
/// A distance above the limit needs no exact value, so every cell of the matrix is kept at
/// most `limit + 1` (capping a minimum of sums of non-negative costs gives the cap of the
/// minimum). A cell (i, j) is at least |i - j| away, so only the band |i - j| <= limit is
/// computed, the rest holds the cap. And no cell of a later row is nearer than the nearest of
/// this row (a transposition that jumps over the row costs at least as much as going down
/// to it), so once a whole row reaches the cap, so does the distance.
fn ascii_distance_within(a: &[u8], b: &[u8], limit: usize) -> usize {
    thread_local! {
        static MATRIX: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    // A common beginning and end cost nothing: registry names come in families ("Het Baken
    // 4550", "Het Baken 4505") where they are most of the name. The test
    // `ascii_distance_is_strsims_on_every_short_pair` holds this to strsim on every pair.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len()).min(limit + 1);
    }
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    MATRIX.with_borrow_mut(|d| ascii_distance_in(a, b, limit, d))
}

fn ascii_distance_in(a: &[u8], b: &[u8], limit: usize, d: &mut Vec<u32>) -> usize {
    let (n, m) = (a.len(), b.len());
    let width = m + 2;
    // u32 halves the matrix a row is read from; `Key::similarity` sends longer texts elsewhere.
    // Row and column 0 (never read: a transposition needs both bytes seen before) hold the cap
    // like every cell outside the band.
    let cap = (limit + 1).min(n + m) as u32;
    // d[(i + 1) * width + (j + 1)] is the distance of a[..i] and b[..j], at most `cap`; the
    // cells outside the band keep the cap they start with.
    d.clear();
    d.resize((n + 2) * width, cap);
    for i in 0..=n {
        d[(i + 1) * width + 1] = (i as u32).min(cap);
    }
    for j in 0..=m {
        d[width + j + 1] = (j as u32).min(cap);
    }
    // The last row of `a` holding each byte so far.
    let mut last_row = [0usize; 128];
    for i in 1..=n {
        let here = a[i - 1];
        let (before, rest) = d.split_at_mut((i + 1) * width);
        let row = &mut rest[..width];
        let above = &before[i * width..];
        let first = i.saturating_sub(limit).max(1);
        let last = (i + limit).min(m);
        // The last column of this row's band where `b` holds `here`. One before the band is
        // not looked for: a transposition from column l < i - limit costs at least
        // (i - l) + (j - l) - 1 > limit.
        let mut last_col = 0;
        let mut nearest = if first > 1 { cap } else { row[1] };
        for j in first..=last {
            let cell = if here == b[j - 1] {
                // Equal bytes: the distance of the shorter prefixes, which no edit undercuts
                // (neighbouring cells differ by at most one, a transposition costs more).
                last_col = j;
                above[j]
            } else {
                let (k, l) = (last_row[usize::from(b[j - 1] & 0x7f)], last_col);
                let edited = (above[j].min(row[j]).min(above[j + 1]) + 1).min(cap);
                // A transposition needs both bytes seen before (k, l > 0).
                if k > 0 && l > 0 {
                    let gap = (i - k - 1) + 1 + (j - l - 1);
                    edited.min((before[k * width + l] + gap as u32).min(cap))
                } else {
                    edited
                }
            };
            row[j + 1] = cell;
            nearest = nearest.min(cell);
        }
        if nearest >= cap {
            return cap as usize;
        }
        last_row[usize::from(here & 0x7f)] = i;
    }
    d[(n + 1) * width + m + 1] as usize
}

impl<'a> RegistryNames<'a> {
    pub fn new(scholen: &'a [School]) -> RegistryNames<'a> {
        let mut registry = RegistryNames {
            names: Vec::with_capacity(scholen.len()),
            keys: Vec::new(),
            owners: Vec::new(),
            ranges: Vec::with_capacity(scholen.len()),
        };
        for (i, school) in scholen.iter().enumerate() {
            registry.names.push(&school.naam);
            let first = registry.keys.len();
            for name in std::iter::once(&school.naam).chain(&school.aliassen) {
                registry.keys.push(Key::new(normalize_name(name)));
                registry.owners.push(i);
            }
            registry.ranges.push(first..registry.keys.len());
        }
        registry
    }

    /// The `SUGGESTIONS` registry names nearest to `typed`, nearest first (ties by name).
    ///
    /// Every registry name is weighed by its bound first, and the exact similarity computed
    /// in the order of the bounds, highest first, until no bound left can reach the third best
    /// so far: the bar rises as fast as it can, so few names are compared exactly (a name typed
    /// with \"basisschool\" before it is about as near to a whole family of registry names).
    pub fn nearest(&self, typed: &str) -> Vec<String> {
        let key = Key::new(normalize_name(typed));
        // Once three are scored, a school below the third best needs no exact similarity.
        let exact = |i: usize, floor: Option<f64>| {
            self.keys[self.ranges[i].clone()]
                .iter()
                .map(|k| key.similarity(k, floor))
                .fold(0.0, f64::max)
        };
        // A bound is at least 0 (see `Key::bound`), so its bits sort as the number does.
        let mut queue: BinaryHeap<(u64, Reverse<usize>)> = self
            .keys
            .iter()
            .enumerate()
            .map(|(k, other)| (key.bound(other).max(0.0).to_bits(), Reverse(k)))
            .collect();
        let mut done = vec![false; self.names.len()];
        let mut scored: Vec<(f64, &str)> = Vec::with_capacity(SUGGESTIONS + 1);
        let mut bar: Option<(f64, &str)> = None;
        while let Some((bits, Reverse(k))) = queue.pop() {
            let (bound, i) = (f64::from_bits(bits), self.owners[k]);
            if done[i] {
                continue;
            }
            if let Some((score, name)) = bar {
                if bound < score {
                    break;
                }
                // A school can only displace the third best with a higher score, or the same
                // score and a name sorting before it.
                if bound == score && self.names[i] >= name {
                    continue;
                }
            }
            done[i] = true;
            scored.push((exact(i, bar.map(|(score, _)| score)), self.names[i]));
            if scored.len() >= SUGGESTIONS {
                bar = third_best(&mut scored);
            }
        }
        ranked(scored)
    }
}

/// Keeps the [`SUGGESTIONS`] best of `scored` (by score, then name) and returns the last of
/// them, once there are that many.
fn third_best<'a>(scored: &mut Vec<(f64, &'a str)>) -> Option<(f64, &'a str)> {
    scored.sort_by(by_score);
    scored.truncate(SUGGESTIONS);
    (scored.len() == SUGGESTIONS).then(|| scored[SUGGESTIONS - 1])
}

fn by_score(a: &(f64, &str), b: &(f64, &str)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

fn ranked(mut scored: Vec<(f64, &str)>) -> Vec<String> {
    scored.sort_by(by_score);
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, name)| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every school compared, as before the bound: the reference for [`RegistryNames`].
    fn nearest_by_comparing_all(typed: &str, scholen: &[School]) -> Vec<String> {
        let key = normalize_name(typed);
        let mut scored: Vec<(f64, &str)> = scholen
            .iter()
            .map(|school| {
                let best = std::iter::once(&school.naam)
                    .chain(&school.aliassen)
                    .map(|n| strsim::normalized_damerau_levenshtein(&key, &normalize_name(n)))
                    .fold(0.0, f64::max);
                (best, school.naam.as_str())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(_, name)| name.to_string())
            .collect()
    }

    /// [`ascii_distance_within`] at every limit: the distance, or one more than the limit.
    fn assert_within_is_strsims(a: &str, b: &str) {
        let exact = strsim::damerau_levenshtein(a, b);
        assert_eq!(
            ascii_distance(a.as_bytes(), b.as_bytes()),
            exact,
            "{a:?} {b:?}"
        );
        for limit in 0..=a.len().max(b.len()) + 1 {
            assert_eq!(
                ascii_distance_within(a.as_bytes(), b.as_bytes(), limit),
                exact.min(limit + 1),
                "{a:?} {b:?} within {limit}"
            );
        }
    }

    #[test]
    fn ascii_distance_is_strsims() {
        let mut random = crate::ingest::csv::testing::random(0xd15);
        let mut next = move |n: u64| random(n as usize) as u64;
        let alphabet = b"abcab 12";
        for _ in 0..20_000 {
            let (la, lb) = (next(15), next(15));
            let mut word = |len: u64| -> String {
                (0..len)
                    .map(|_| alphabet[next(alphabet.len() as u64) as usize] as char)
                    .collect()
            };
            let (a, b) = (word(la), word(lb));
            assert_within_is_strsims(&a, &b);
        }
    }

    /// Every pair of words of up to six letters from a three-letter alphabet: where dropping
    /// a common beginning and end, or stopping at a limit, could go wrong, it would on short
    /// words of few letters.
    #[test]
    fn ascii_distance_is_strsims_on_every_short_pair() {
        let mut words = vec![String::new()];
        for len in 1..=6 {
            let longer: Vec<String> = words
                .iter()
                .filter(|w| w.len() == len - 1)
                .flat_map(|w| ["a", "b", "c"].map(|c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        assert_eq!(words.len(), 1093);
        for a in &words {
            for b in &words {
                assert_within_is_strsims(a, b);
            }
        }
    }

    #[test]
    fn bounded_search_finds_what_comparing_every_school_finds() {
        let mut random = crate::ingest::csv::testing::random(0x5eed);
        let mut next = move |n: u64| random(n as usize) as u64;
        let alphabet: Vec<char> = "abcdeé -'ÉxyzZ0123".chars().collect();
        let mut word = |len: u64| -> String {
            (0..len)
                .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                .collect()
        };
        let mut typed_len = (0..u64::MAX).map(|i| i.wrapping_mul(7919) % 97);
        for round in 0..40 {
            let scholen: Vec<School> = (0..(1 + round * 3))
                .map(|i| School {
                    line: i + 2,
                    brin: format!("{i:02}AA00"),
                    naam: format!("{} {}", word(1 + i as u64 % 9), i % 7),
                    stadsdeel: None,
                    schoolweging: None,
                    sector: "po".to_string(),
                    aliassen: (0..(i % 3)).map(|_| word(4)).collect(),
                })
                .collect();
            let registry = RegistryNames::new(&scholen);
            for _ in 0..30 {
                let len = (typed_len.next().unwrap_or(0)) % 14;
                let typed = word(len);
                assert_eq!(
                    registry.nearest(&typed),
                    nearest_by_comparing_all(&typed, &scholen),
                    "{typed:?}"
                );
            }
        }
    }
}
