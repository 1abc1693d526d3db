//! Where the separators, line ends and quotes of CSV text are: the scanner of the fast
//! readers (`dossiers.csv`, `pageviews.csv`).

/// Where the separators, line ends and quotes of a text are, in order: found sixty-four bytes
/// at a time (four SSE2 compares of sixteen, SSE2 being part of every x86-64 processor), one
/// bit a byte, so that a row of fifteen short cells costs a few instructions, not a search per
/// cell; other processors take the portable loop below.
///
/// Not `memchr::memchr3_iter`, which searches for the same three bytes: it starts a search per
/// mark, and a CSV row has a mark every few bytes. Measured on the 100k bench data (issue 18):
/// the pageviews reader 0.028 → 0.040 s, the dossier reader 0.051 → 0.061 s (best of five),
/// 36 % and 25 % more instructions (callgrind).
pub struct Marks<'b> {
    bytes: &'b [u8],
    separator: u8,
    /// Where the current block starts, and the marks in it not yet given.
    block: usize,
    pending: u64,
    started: bool,
}

/// Bytes a block.
const BLOCK: usize = 64;

impl<'b> Marks<'b> {
    pub fn new(bytes: &'b [u8], separator: u8) -> Marks<'b> {
        Marks {
            bytes,
            separator,
            block: 0,
            pending: 0,
            started: false,
        }
    }

    /// One bit for each mark among the (up to) sixty-four bytes.
    #[inline]
    fn block_marks(&self, bytes: &[u8]) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if bytes.len() >= BLOCK {
            use std::arch::x86_64::{
                __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
                _mm_set1_epi8,
            };
            // SAFETY: SSE2 is part of x86-64; the loads read bytes[..64], which exist, and
            // loadu takes any alignment.
            unsafe {
                let (separator, line_end, quote) = (
                    _mm_set1_epi8(self.separator as i8),
                    _mm_set1_epi8(b'\n' as i8),
                    _mm_set1_epi8(b'"' as i8),
                );
                let mut marks = 0u64;
                for k in 0..BLOCK / 16 {
                    let block = _mm_loadu_si128(bytes.as_ptr().add(16 * k).cast::<__m128i>());
                    let found = _mm_or_si128(
                        _mm_or_si128(
                            _mm_cmpeq_epi8(block, separator),
                            _mm_cmpeq_epi8(block, line_end),
                        ),
                        _mm_cmpeq_epi8(block, quote),
                    );
                    marks |= u64::from(_mm_movemask_epi8(found) as u16) << (16 * k);
                }
                return marks;
            }
        }
        bytes
            .iter()
            .take(BLOCK)
            .enumerate()
            .filter(|(_, b)| matches!(**b, b'\n' | b'"') || **b == self.separator)
            .fold(0, |mask, (i, _)| mask | (1 << i))
    }
}

impl Iterator for Marks<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.pending != 0 {
                let bit = self.pending.trailing_zeros() as usize;
                self.pending &= self.pending - 1;
                return Some(self.block + bit);
            }
            let next = if self.started { self.block + BLOCK } else { 0 };
            if next >= self.bytes.len() {
                return None;
            }
            self.started = true;
            self.block = next;
            self.pending = self.block_marks(&self.bytes[next..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_every_separator_line_end_and_quote() {
        let mut random = crate::ingest::csv::testing::random(5);
        // Below 2^31: the whole of each number.
        let mut next = move || random(usize::MAX);
        let alphabet = b"a;,\t\n\"\r x";
        for round in 0..5_000 {
            let separator = [b',', b';', b'\t'][round % 3];
            let bytes: Vec<u8> = (0..next() % 300)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            let expected: Vec<usize> = (0..bytes.len())
                .filter(|&i| matches!(bytes[i], b'\n' | b'"') || bytes[i] == separator)
                .collect();
            assert_eq!(
                Marks::new(&bytes, separator).collect::<Vec<_>>(),
                expected,
                "{bytes:?}"
            );
        }
    }
}
