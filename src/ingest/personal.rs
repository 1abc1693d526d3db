//! Personal data recognised by its shape, and characters nobody sees.
//!
//! Columns outside the contract are never read; but a contract column can still hold personal
//! data, when a setting maps it onto the wrong export column (`[kolommen.dossiers] schoolnaam =
//! "email"`) or a hurried hand types a phone number into the school name. Every contract cell
//! passes [`shape`] where it enters (the careful reader's rows; the fast dossier path leaves a
//! file with such a cell to it): a cell that looks like an e-mail address, a phone number, a
//! BSN, an IBAN or a postcode with house number is never used, quoted or written anywhere,
//! and the file is refused naming the column and the count.
//!
//! Bidirectional controls and zero-width characters ([`is_invisible`]) are removed from every
//! contract cell where it enters, before anything is matched: `De\u{200b}Linde` is the school
//! `DeLinde`, and no output carries a right-to-left override that turns the text around it.
//! Messages that quote a cell as it was show them escaped (see [`escape_invisible`]).

use std::borrow::Cow;

/// What personal data a cell looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    Email,
    Phone,
    Bsn,
    Iban,
    Address,
}

impl Shape {
    /// `an e-mail address`, for messages.
    pub fn described(self) -> &'static str {
        match self {
            Shape::Email => "an e-mail address",
            Shape::Phone => "a phone number",
            Shape::Bsn => "a BSN (citizen service number)",
            Shape::Iban => "a bank account number (IBAN)",
            Shape::Address => "a postcode with house number",
        }
    }
}

/// The personal data `text` looks like, if any. Built to be quick on the usual cell (it runs
/// on every contract cell of a national export): one pass counts the digits and looks for
/// `@`, and each shape is looked for only when the cell has the digits it needs.
#[inline]
pub fn shape(text: &str) -> Option<Shape> {
    let bytes = text.as_bytes();
    let (digits, has_at) = digits_and_at(bytes);
    // The usual cell ends here, without a call (this part is inlined where a fast reader
    // checks every cell).
    if !has_at && digits < 5 {
        return None;
    }
    shape_of(bytes, digits, has_at)
}

/// How many ASCII digits `bytes` holds, and whether an `@`: eight bytes at a time (each byte's
/// top bit says whether it is one), the rest one by one.
#[inline]
fn digits_and_at(bytes: &[u8]) -> (usize, bool) {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const TOP: u64 = 0x8080_8080_8080_8080;
    let each = |b: u8| 0x0101_0101_0101_0101u64 * u64::from(b);
    let (mut digits, mut at) = (0, 0u64);
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        // Of each byte its low seven bits, plus a constant: no carry reaches the next byte
        // (at most 0x7f + 0x50), so each byte's top bit answers for that byte alone.
        let low = x & LOW;
        let ascii = !x & TOP;
        let at_least_0 = low + each(0x80 - b'0');
        let above_9 = low + each(0x80 - b'9' - 1);
        digits += (at_least_0 & !above_9 & ascii).count_ones() as usize;
        // A byte equal to `@` is one whose low bits xor `@` are zero: adding 0x7f to them sets
        // the top bit of every other.
        let other = low ^ each(b'@');
        at |= !((other + LOW) | other) & ascii;
    }
    let mut has_at = at != 0;
    for &b in words.remainder() {
        digits += usize::from(b.is_ascii_digit());
        has_at |= b == b'@';
    }
    (digits, has_at)
}

/// [`shape`] of a cell with an `@` or at least five digits.
#[inline(never)]
fn shape_of(bytes: &[u8], digits: usize, has_at: bool) -> Option<Shape> {
    if has_at && email(bytes) {
        return Some(Shape::Email);
    }
    // An IBAN has at least 12 digits, a phone number 10, a BSN 9, a postcode with house
    // number 5.
    if digits >= 12 && bytes.len() >= 15 && iban(bytes) {
        return Some(Shape::Iban);
    }
    if digits >= 9 && bsn(bytes) {
        return Some(Shape::Bsn);
    }
    if digits >= 10 && phone(bytes) {
        return Some(Shape::Phone);
    }
    if digits >= 5 && address(bytes) {
        return Some(Shape::Address);
    }
    None
}

/// `name@domain.tld`: something before the `@`, a dot in the part after it, letters after
/// its last dot. Looked at one word (a run without spaces or punctuation around addresses) at
/// a time, once: every `@` of a word shares the word's last dot, so a cell of a million `@`s
/// takes no longer than any other cell of its length.
fn email(bytes: &[u8]) -> bool {
    let word = |b: &u8| !b.is_ascii_whitespace() && !b"<>(),;:\"'".contains(b);
    let mut start = 0;
    while start < bytes.len() {
        let length = bytes[start..].iter().take_while(|b| word(b)).count();
        if length == 0 {
            start += 1;
            continue;
        }
        let run = &bytes[start..start + length];
        start += length;
        let domain_end = run.strip_suffix(b".").unwrap_or(run);
        let Some(dot) = domain_end.iter().rposition(|&b| b == b'.') else {
            continue;
        };
        let tld = &domain_end[dot + 1..];
        if tld.len() < 2 || !tld.iter().all(u8::is_ascii_alphabetic) {
            continue;
        }
        // An `@` with something before it and a dot at least one byte after it.
        if run[..dot]
            .iter()
            .enumerate()
            .any(|(at, &b)| b == b'@' && at > 0 && at + 1 < dot)
        {
            return true;
        }
    }
    false
}

/// A number as people write it: digits with single spaces, dots, dashes, slashes or brackets
/// between them, perhaps after a `+`.
struct NumberRun {
    digits: Vec<u8>,
    plus: bool,
    /// The lengths of its groups of digits: `06-1234 5678` is 2, 4, 4.
    groups: Vec<usize>,
}

impl NumberRun {
    /// `15-03-2021`, `2021-03-15`, `5/3/2021 10:30`: a date (and time), not a phone number.
    fn is_date(&self) -> bool {
        match self.groups[..] {
            [a, b, 4, ..] => a <= 2 && b <= 2,
            [4, b, c, ..] => b <= 2 && c <= 2,
            _ => false,
        }
    }
}

fn number_runs(bytes: &[u8]) -> Vec<NumberRun> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            || (bytes[i] == b'+' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
            || (bytes[i] == b'(' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        let after_word = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
        if !starts || after_word {
            i += 1;
            continue;
        }
        let plus = bytes[i] == b'+';
        let (mut digits, mut groups) = (Vec::new(), vec![0]);
        let mut j = i + usize::from(plus);
        while j < bytes.len() {
            let b = bytes[j];
            // One separator, or two (`) `, ` - `), between digits.
            let separators = bytes[j..]
                .iter()
                .take(3)
                .take_while(|b| b" -./()".contains(b))
                .count();
            let digit_after = bytes.get(j + separators).is_some_and(u8::is_ascii_digit);
            if b.is_ascii_digit() {
                digits.push(b);
                *groups.last_mut().expect("one group") += 1;
                j += 1;
            } else if (1..=2).contains(&separators) && digit_after {
                if groups.last() != Some(&0) {
                    groups.push(0);
                }
                j += separators;
            } else {
                break;
            }
        }
        groups.retain(|&g| g > 0);
        // A number glued to letters (`D2017-00001X`) is a code, not a phone number.
        let glued = bytes.get(j).is_some_and(u8::is_ascii_alphabetic);
        if !glued && !digits.is_empty() {
            runs.push(NumberRun {
                digits,
                plus,
                groups,
            });
        }
        i = j.max(i + 1);
    }
    runs
}

/// A Dutch phone number (ten digits from a 0, or +31/0031 and nine) or an international one
/// (`+` and 10 to 15 digits).
fn phone(bytes: &[u8]) -> bool {
    number_runs(bytes).iter().any(|run| {
        let (digits, n) = (&run.digits, run.digits.len());
        !run.is_date()
            && ((run.plus && (10..=15).contains(&n))
                || (n == 10 && digits[0] == b'0' && digits[1] != b'0')
                || (n == 13 && digits.starts_with(b"0031")))
    })
}

/// Nine digits on their own (or as `1234.56.782`) that pass the 11-test of the BSN.
fn bsn(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let (mut digits, mut count) = ([0u8; 9], 0);
        let mut j = i;
        while j < bytes.len()
            && (bytes[j].is_ascii_digit()
                || (bytes[j] == b'.' && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)))
        {
            if bytes[j].is_ascii_digit() {
                if let Some(slot) = digits.get_mut(count) {
                    *slot = bytes[j] - b'0';
                }
                count += 1;
            }
            j += 1;
        }
        let alone = !bytes.get(j).is_some_and(u8::is_ascii_alphanumeric);
        if alone && count == 9 && eleven_test(&digits) {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

fn eleven_test(digits: &[u8]) -> bool {
    let sum: i64 = digits[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&d, w)| i64::from(d) * w)
        .sum::<i64>()
        - i64::from(digits[8]);
    sum != 0 && sum % 11 == 0
}

/// Two letters, two check digits and 11 to 30 letters and digits (spaces between groups
/// allowed) whose ISO 7064 check (mod 97) holds.
fn iban(bytes: &[u8]) -> bool {
    for start in 0..bytes.len().saturating_sub(3) {
        let head = &bytes[start..start + 4];
        if !(head[0].is_ascii_alphabetic()
            && head[1].is_ascii_alphabetic()
            && head[2].is_ascii_digit()
            && head[3].is_ascii_digit())
            || (start > 0 && bytes[start - 1].is_ascii_alphanumeric())
        {
            continue;
        }
        let mut chars = Vec::new();
        for (k, &b) in bytes[start..].iter().enumerate() {
            if b.is_ascii_alphanumeric() {
                chars.push(b.to_ascii_uppercase());
            } else if b == b' '
                && bytes
                    .get(start + k + 1)
                    .is_some_and(u8::is_ascii_alphanumeric)
            {
                continue;
            } else {
                break;
            }
            if chars.len() >= 34 {
                break;
            }
        }
        for len in 15..=chars.len().min(34) {
            if mod97(&chars[..len]) == 1 {
                return true;
            }
        }
    }
    false
}

fn mod97(chars: &[u8]) -> u32 {
    let moved = chars[4..].iter().chain(&chars[..4]);
    let mut rest = 0u32;
    for &c in moved {
        let value = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    rest
}

/// A Dutch postcode (`1234 AB`) next to a house number: `1234 AB 12`, `1234AB, 12a`,
/// `12, 1234 AB`.
fn address(bytes: &[u8]) -> bool {
    let n = bytes.len();
    for start in 0..n {
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let Some(four) = bytes.get(start..start + 4) else {
            break;
        };
        if four[0] == b'0' || !four.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let mut j = start + 4;
        if bytes.get(j) == Some(&b' ') {
            j += 1;
        }
        let Some(letters) = bytes.get(j..j + 2) else {
            continue;
        };
        if !letters.iter().all(u8::is_ascii_alphabetic) {
            continue;
        }
        j += 2;
        if bytes.get(j).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        // A house number after it.
        let mut k = j;
        while k < n && b" ,".contains(&bytes[k]) {
            k += 1;
        }
        if k > j && bytes.get(k).is_some_and(u8::is_ascii_digit) && bytes[k] != b'0' {
            return true;
        }
        // Or before it: `12, 1234 AB`.
        let before = bytes[..start].trim_ascii_end();
        let before = before.strip_suffix(b",").unwrap_or(before).trim_ascii_end();
        if before.len() < start
            && before
                .iter()
                .rev()
                .find(|b| !b.is_ascii_alphabetic())
                .is_some_and(u8::is_ascii_digit)
        {
            return true;
        }
    }
    false
}

/// Bidirectional controls (embeddings, overrides, isolates, marks) and zero-width characters:
/// they change how text around them shows, or split a word without showing.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// `text` without [`is_invisible`] characters; borrowed when it has none (nearly always).
pub fn remove_invisible(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
}

/// `text` with [`is_invisible`] characters written as `\u{202e}`, for messages and outputs
/// that show a value as it was.
pub fn escape_invisible(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits and the `@` counted a word at a time are those counted byte by byte, for
    /// every byte value in every place of a word and in the tail.
    #[test]
    fn digits_and_at_counts_as_byte_by_byte() {
        let by_byte = |bytes: &[u8]| {
            (
                bytes.iter().filter(|b| b.is_ascii_digit()).count(),
                bytes.contains(&b'@'),
            )
        };
        for b in 0..=255u8 {
            for len in 1..=19 {
                for place in 0..len {
                    let mut bytes = vec![b'x'; len];
                    bytes[place] = b;
                    assert_eq!(
                        digits_and_at(&bytes),
                        by_byte(&bytes),
                        "{b:#x} at {place} of {len}"
                    );
                }
            }
        }
        let mut random = crate::ingest::csv::testing::random(0xa7);
        let edges = [
            b'/', b'0', b'9', b':', b'?', b'@', b'A', 0x7f, 0x80, 0xb0, 0xc0, 0xff, 0,
        ];
        for _ in 0..20_000 {
            let len = random(40);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match random(3) {
                    0 => edges[random(edges.len())],
                    _ => random(256) as u8,
                })
                .collect();
            assert_eq!(digits_and_at(&bytes), by_byte(&bytes), "{bytes:?}");
        }
    }

    #[test]
    fn personal_data_is_recognised_by_its_shape() {
        let cases = [
            ("ouder000001@example.org", Some(Shape::Email)),
            ("mail: j.de.vries@gmail.com.", Some(Shape::Email)),
            ("06-12345678", Some(Shape::Phone)),
            ("06 1234 5678", Some(Shape::Phone)),
            ("020-6241234", Some(Shape::Phone)),
            ("+31 6 12345678", Some(Shape::Phone)),
            ("(020) 624 12 34", Some(Shape::Phone)),
            ("111222333", Some(Shape::Bsn)),
            ("bsn 1112.22.333", Some(Shape::Bsn)),
            ("NL91ABNA0417164300", Some(Shape::Iban)),
            ("NL91 ABNA 0417 1643 00", Some(Shape::Iban)),
            ("1012 AB 12", Some(Shape::Address)),
            ("1012AB, 3a", Some(Shape::Address)),
            ("Kerkstraat 12, 1012 AB Amsterdam", Some(Shape::Address)),
        ];
        for (text, expected) in cases {
            assert_eq!(shape(text), expected, "{text:?}");
        }
    }

    #[test]
    fn the_contract_values_of_the_exports_are_not_personal_data() {
        for text in [
            "D2017-00001",
            "D2021-123456",
            "2021-03-15",
            "15-03-2021 10:30",
            "05-03-2021 10:30",
            "5/3/2021",
            "2021-03-05 09:15:00",
            "1000000000",
            "123456789", // nine digits failing the 11-test
            "95KD00",
            "Dalton Lijsterbosje",
            "Het Lijsterpad,",
            "overstap po-vo",
            "2019/2020",
            "schoolkeuze|toelating",
            "@gemeente",
            "info@",
            "1012 AB",
            "Basisschool De 7 Provinciën",
            "",
        ] {
            assert_eq!(shape(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_cell_of_many_at_signs_is_looked_at_once() {
        // Each `@` used to look at the whole word around it: this cell took minutes.
        let cell = "a@".repeat(200_000);
        assert_eq!(shape(&cell), None);
        assert_eq!(shape(&format!("{cell}b.nl")), Some(Shape::Email));
        for (text, expected) in [
            ("a@b.nl", true),
            ("@b.nl", false),
            ("a@.nl", false),
            ("a@b.nl.", true),
            ("a@b.n1", false),
            ("a@b@c.nl", true),
            ("x a@b (c.nl)", false),
            ("a.b@c", false),
        ] {
            assert_eq!(email(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn invisible_characters_are_removed_or_escaped() {
        assert_eq!(remove_invisible("De\u{200b} Linde\u{202e}"), "De Linde");
        assert!(matches!(remove_invisible("gewoon"), Cow::Borrowed(_)));
        assert_eq!(escape_invisible("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(escape_invisible("Één"), "Één");
        for c in ['\u{202a}', '\u{2066}', '\u{200e}', '\u{feff}', '\u{2060}'] {
            assert!(is_invisible(c), "{c:?}");
        }
        assert!(!is_invisible('é') && !is_invisible(' '));
    }
}
