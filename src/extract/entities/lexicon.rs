//! Name lists from public registries (places, people, companies, nationalities,
//! word frequencies of recent text), marked on a body's tokens as features.
//!
//! `lexicon/lexicon.tsv` is built from registry packages by `lexicon/build.py`
//! (sources and licences in `lexicon/SOURCES.md`); the trainer hashes it into
//! `model.bin`, so the binary carries 6 bytes a name and no text.

use std::ops::Range;

use super::features::{phrase_key, word_hash, Doc, KeyMap};
use super::tokens::tokenize;

/// Longest name looked up, in tokens ("Democratic Republic of the Congo").
const MAX_WORDS: usize = 6;
/// Categories a lexicon may have: two bits each in a token's marks.
pub const MAX_CATEGORIES: usize = 15;
/// Marks a phrase that begins a longer name, so a lookup goes on.
const PREFIX: u16 = 1 << 15;

/// Names by the hash of their lower-case tokens, with a bit per category:
/// sorted keys with an index on their top 16 bits, so that loading the
/// shipped lexicon is one pass over its bytes.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    categories: Vec<String>,
    keys: Vec<u32>,
    bits: Vec<u16>,
    /// Where the keys of each top-16-bit value begin in `keys` (65,537 entries).
    starts: Vec<u32>,
}

/// Why a lexicon file could not be read.
#[derive(Debug)]
pub struct LexiconError(pub String);

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Lexicon {
    /// Reads `category<TAB>name` lines (see `lexicon/build.py`).
    pub fn from_tsv(text: &str) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        let mut map: KeyMap<u32, u16> = KeyMap::default();
        for (n, line) in text.lines().enumerate() {
            let Some((category, name)) = line.split_once('\t') else {
                return Err(LexiconError(format!("line {}: no tab", n + 1)));
            };
            let bit = match lex.categories.iter().position(|c| c == category) {
                Some(b) => b,
                None if lex.categories.len() < MAX_CATEGORIES => {
                    lex.categories.push(category.to_owned());
                    lex.categories.len() - 1
                }
                None => {
                    return Err(LexiconError(format!(
                        "line {}: more than {MAX_CATEGORIES} categories",
                        n + 1
                    )))
                }
            };
            let words: Vec<u64> = tokenize(name)
                .iter()
                .map(|t| word_hash(&t.text.to_lowercase()))
                .collect();
            if words.is_empty() || words.len() > MAX_WORDS {
                continue;
            }
            let mut key = phrase_key();
            for (k, &w) in words.iter().enumerate() {
                key.push(w);
                let bits = if k + 1 == words.len() {
                    1 << bit
                } else {
                    PREFIX
                };
                *map.entry(key.short()).or_default() |= bits;
            }
        }
        let mut rows: Vec<(u32, u16)> = map.into_iter().collect();
        rows.sort_unstable();
        Ok(Lexicon::from_rows(lex.categories, rows))
    }

    /// A lexicon of (key, bits) rows sorted by key.
    fn from_rows(categories: Vec<String>, rows: Vec<(u32, u16)>) -> Lexicon {
        let mut starts = vec![0u32; (1 << 16) + 1];
        for &(k, _) in &rows {
            starts[(k >> 16) as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        Lexicon {
            categories,
            keys: rows.iter().map(|r| r.0).collect(),
            bits: rows.iter().map(|r| r.1).collect(),
            starts,
        }
    }

    /// The bits of a key, if the lexicon has it.
    #[inline]
    fn get(&self, key: u32) -> Option<u16> {
        let top = (key >> 16) as usize;
        let (from, to) = (*self.starts.get(top)?, *self.starts.get(top + 1)?);
        let keys = self.keys.get(from as usize..to as usize)?;
        let at = keys.binary_search(&key).ok()?;
        self.bits.get(from as usize + at).copied()
    }

    /// Number of names and prefixes of names.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the lexicon knows no name.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The categories, in the order of their bits.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// For each token of `doc`, two bits per category: bit `2c` if a name
    /// of category `c` begins there, bit `2c + 1` if one goes on through it.
    /// Only names that begin with a capitalised word are looked for, and of
    /// each category the longest from each start.
    pub fn marks(&self, doc: &Doc) -> Vec<u32> {
        let mut marks = vec![0u32; doc.tokens.len()];
        if self.keys.is_empty() {
            return marks;
        }
        for s in &doc.sentences {
            for i in s.clone().filter(|&i| doc.info[i].upper_initial) {
                self.mark_from(doc, s, i, &mut marks);
            }
        }
        marks
    }

    fn mark_from(&self, doc: &Doc, s: &Range<usize>, i: usize, marks: &mut [u32]) {
        let mut longest = [0usize; MAX_CATEGORIES];
        let mut found = 0u16;
        let mut key = phrase_key();
        for j in i..s.end.min(i + MAX_WORDS) {
            key.push(doc.info[j].hash);
            let Some(bits) = self.get(key.short()) else {
                break;
            };
            let mut names = bits & !PREFIX;
            found |= names;
            while names != 0 {
                longest[names.trailing_zeros() as usize] = j + 1;
                names &= names - 1;
            }
            if bits & PREFIX == 0 {
                break;
            }
        }
        while found != 0 {
            let c = found.trailing_zeros() as usize;
            found &= found - 1;
            marks[i] |= 1 << (2 * c);
            for m in &mut marks[i + 1..longest[c]] {
                *m |= 1 << (2 * c + 1);
            }
        }
    }

    /// Category names, then the (key, bits) pairs sorted by key.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.categories.len() as u8];
        for c in &self.categories {
            out.push(c.len().min(255) as u8);
            out.extend_from_slice(&c.as_bytes()[..c.len().min(255)]);
        }
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        for (k, m) in self.keys.iter().zip(&self.bits) {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&m.to_le_bytes());
        }
        out
    }

    /// Reads what [`Lexicon::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Option<Lexicon> {
        let (&n, mut rest) = bytes.split_first()?;
        if n as usize > MAX_CATEGORIES {
            return None;
        }
        let mut categories = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let (&len, r) = rest.split_first()?;
            let (name, r) = r.split_at_checked(len as usize)?;
            categories.push(std::str::from_utf8(name).ok()?.to_owned());
            rest = r;
        }
        let (count, rest) = rest.split_at_checked(4)?;
        let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
        if rest.len() != count * 6 {
            return None;
        }
        let mut rows: Vec<(u32, u16)> = rest
            .chunks_exact(6)
            .map(|c| {
                (
                    u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                    u16::from_le_bytes([c[4], c[5]]),
                )
            })
            .collect();
        // Written sorted; a lexicon from elsewhere is sorted here.
        if !rows.is_sorted() {
            rows.sort_unstable();
        }
        Some(Lexicon::from_rows(categories, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "place.city\tNew York\nplace.city\tYork\nplace.country\tDemocratic Republic of the Congo\nperson.first\tAda\n";

    fn marked(lex: &Lexicon, body: &str) -> Vec<(String, u32)> {
        let doc = Doc::new(body);
        let marks = lex.marks(&doc);
        doc.tokens
            .iter()
            .zip(marks)
            .filter(|(_, m)| *m != 0)
            .map(|(t, m)| (t.text.to_owned(), m))
            .collect()
    }

    #[test]
    fn names_are_marked_where_they_begin_and_go_on() {
        let lex = Lexicon::from_tsv(TSV).unwrap();
        assert_eq!(
            lex.categories(),
            ["place.city", "place.country", "person.first"]
        );
        let m = marked(
            &lex,
            "Ada flew from New York to the Democratic Republic of the Congo.",
        );
        assert_eq!(
            m,
            [
                ("Ada".to_owned(), 1 << 4),
                ("New".to_owned(), 1),
                // Inside "New York", and "York" alone.
                ("York".to_owned(), 2 | 1),
                ("Democratic".to_owned(), 1 << 2),
                ("Republic".to_owned(), 1 << 3),
                ("of".to_owned(), 1 << 3),
                ("the".to_owned(), 1 << 3),
                ("Congo".to_owned(), 1 << 3),
            ]
        );
        // Lower-case words begin no name, and a prefix alone is none.
        assert!(marked(&lex, "ada went to new york. New ideas.").is_empty());
    }

    #[test]
    fn a_lexicon_round_trips() {
        let lex = Lexicon::from_tsv(TSV).unwrap();
        let back = Lexicon::from_bytes(&lex.to_bytes()).unwrap();
        assert_eq!(back.categories(), lex.categories());
        assert_eq!(back.len(), lex.len());
        let body = "Ada in New York";
        assert_eq!(marked(&back, body), marked(&lex, body));
        assert!(Lexicon::from_bytes(&[1, 200]).is_none());
        assert!(Lexicon::from_tsv("no tab here").is_err());
    }
}
