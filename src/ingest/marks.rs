//! Where the separators, line ends and quotes of CSV text are: the scanner of the fast
//! readers (`dossiers.csv`, `pageviews.csv`).

/// Where the separators, line ends and quotes of a text are, in order: found sixteen bytes at
/// a time (SSE2, part of every x86-64 processor), one bit a byte, so that a row of fifteen
/// short cells costs a few instructions, not a search per cell.
pub struct Marks<'b> {
    bytes: &'b [u8],
    separator: u8,
    /// Where the current block starts, and the marks in it not yet given.
    block: usize,
    pending: u32,
    started: bool,
}

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

    /// One bit for each mark among the (up to) sixteen bytes.
    fn block_marks(&self, bytes: &[u8]) -> u32 {
        #[cfg(target_arch = "x86_64")]
        if bytes.len() >= 16 {
            use std::arch::x86_64::{
                __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
                _mm_set1_epi8,
            };
            // SAFETY: SSE2 is part of x86-64; the load reads bytes[..16], which exist, and
            // loadu takes any alignment.
            unsafe {
                let block = _mm_loadu_si128(bytes.as_ptr().cast::<__m128i>());
                let found = _mm_or_si128(
                    _mm_or_si128(
                        _mm_cmpeq_epi8(block, _mm_set1_epi8(self.separator as i8)),
                        _mm_cmpeq_epi8(block, _mm_set1_epi8(b'\n' as i8)),
                    ),
                    _mm_cmpeq_epi8(block, _mm_set1_epi8(b'"' as i8)),
                );
                return _mm_movemask_epi8(found) as u32;
            }
        }
        bytes
            .iter()
            .take(16)
            .enumerate()
            .filter(|(_, b)| matches!(**b, b'\n' | b'"') || **b == self.separator)
            .fold(0, |mask, (i, _)| mask | (1 << i))
    }
}

impl Iterator for Marks<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            if self.pending != 0 {
                let bit = self.pending.trailing_zeros() as usize;
                self.pending &= self.pending - 1;
                return Some(self.block + bit);
            }
            let next = if self.started { self.block + 16 } else { 0 };
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
        let mut seed: u64 = 5;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let alphabet = b"a;,\t\n\"\r x";
        for round in 0..5_000 {
            let separator = [b',', b';', b'\t'][round % 3];
            let bytes: Vec<u8> = (0..next() % 70)
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
