//! Features of each token for the entity tagger, hashed to 64-bit keys.
//!
//! Local (word, affixes, shape, neighbours) and document-level (how the same word is used elsewhere in the article).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::lexicon::Lexicon;
use super::tokens::{sentences, tokenize, Token};

/// Mixes bytes into a running hash; the same on every platform, so keys
/// computed at training time match those computed when tagging.
#[inline]
fn mix(mut h: u64, bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(23) ^ x).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    // The length keeps "ab"+"c" apart from "a"+"bc".
    (h.rotate_left(23) ^ bytes.len() as u64).wrapping_mul(K)
}

/// Final avalanche so the top bits (kept in the model) depend on every input bit.
#[inline]
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The key of a feature: a template number and one or more strings.
#[inline]
pub fn key(template: u8, parts: &[&str]) -> u64 {
    let mut h = 0x243F_6A88_85A3_08D3 ^ u64::from(template);
    for p in parts {
        h = mix(h, p.as_bytes());
    }
    finish(h)
}

/// The hash of a word (its lower-case form), computed once per token in
/// [`Doc::new`]: the features that pair a template with neighbouring
/// words mix these numbers instead of hashing the words' text again.
#[inline]
pub fn word_hash(word: &str) -> u64 {
    mix(0x1319_8A2E_0370_7344, word.as_bytes())
}

/// The key of a feature: a template number and one or more word hashes
/// (or small numbers).
#[inline]
fn hkey(template: u8, parts: &[u64]) -> u64 {
    let mut h = 0x243F_6A88_85A3_08D3 ^ u64::from(template);
    for &p in parts {
        h = (h.rotate_left(23) ^ p).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    finish(h)
}

/// A key built one word at a time, for names of several words: the key of
/// each prefix is available as it grows.
#[derive(Clone, Copy)]
pub struct PhraseKey(u64);

/// An empty [`PhraseKey`].
pub fn phrase_key() -> PhraseKey {
    PhraseKey(0x243F_6A88_85A3_08D3 ^ u64::from(t::LEX_PHRASE))
}

impl PhraseKey {
    /// Adds one word, by its [`word_hash`].
    #[inline]
    pub fn push(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    /// The key's top 32 bits, as the lexicon stores it.
    #[inline]
    pub fn short(&self) -> u32 {
        (finish(self.0) >> 32) as u32
    }
}

/// The key of a feature: a template number and a number.
#[inline]
pub fn number_key(template: u8, n: u64) -> u64 {
    finish(
        (0x243F_6A88_85A3_08D3 ^ u64::from(template))
            .wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
    )
}

/// Hashes of keys that are already hashes: one multiply, no SipHash.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by feature hashes.
pub type KeyMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// What the features need to know about one token, computed once.
#[derive(Debug, Clone)]
pub struct TokenInfo<'a> {
    /// Borrowed from the body when the token has no capital, as most do.
    pub lower: Cow<'a, str>,
    /// Character classes: "Xxxxx", "XX", "dd-dd" (capped in length).
    pub shape: Shape,
    /// The shape with runs collapsed: "Xx", "X", "d-d".
    pub short: Shape,
    /// [`word_hash`] of `lower`.
    pub hash: u64,
    /// [`word_hash`] of `short`.
    pub short_hash: u64,
    pub upper_initial: bool,
    pub sentence_start: bool,
    /// Whether the tagger looks at the token at all: it has a capital, or
    /// it is a short word, number or particle next to one ("de" in "Loyola
    /// de Palacio", "of" in "Bank of England"). The rest of the text is O,
    /// and skipping it is most of the tagger's speed.
    pub candidate: bool,
}

/// A short ASCII string held inline, so a token's shapes cost no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    buf: [u8; SHAPE_LEN],
    len: u8,
}

const SHAPE_LEN: usize = 12;

impl Shape {
    fn push(&mut self, c: u8) {
        if (self.len as usize) < SHAPE_LEN {
            self.buf[self.len as usize] = c;
            self.len += 1;
        }
    }

    fn last(&self) -> Option<u8> {
        self.len.checked_sub(1).map(|i| self.buf[i as usize])
    }
}

impl std::ops::Deref for Shape {
    type Target = str;
    fn deref(&self) -> &str {
        // Only ASCII bytes are pushed.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
}

/// The shape and short shape of a token, and whether it has a capital;
/// characters other than letters, digits and ASCII punctuation show as '*'.
fn shapes(text: &str) -> (Shape, Shape, bool) {
    let mut shape = Shape::default();
    let mut short = Shape::default();
    let mut capital = false;
    if text.is_ascii() {
        for b in text.bytes() {
            let s = match b {
                b'A'..=b'Z' => b'X',
                b'a'..=b'z' => b'x',
                b'0'..=b'9' => b'd',
                _ => b,
            };
            capital |= s == b'X';
            shape.push(s);
            if short.last() != Some(s) {
                short.push(s);
            }
        }
        return (shape, short, capital);
    }
    for c in text.chars() {
        let s = if c.is_uppercase() {
            capital = true;
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'*'
        };
        shape.push(s);
        if short.last() != Some(s) {
            short.push(s);
        }
    }
    (shape, short, capital)
}

/// A body ready for feature extraction: tokens, sentences and the
/// document-level index of words by their lower-case form.
pub struct Doc<'a> {
    pub tokens: Vec<Token<'a>>,
    pub info: Vec<TokenInfo<'a>>,
    pub sentences: Vec<Range<usize>>,
    /// Positions of each word, keyed by the hash of its lower-case form.
    by_lower: KeyMap<u64, Vec<u32>>,
    /// Per token, the lexicon's marks (see [`Lexicon::marks`]); empty
    /// without a lexicon.
    lex: Vec<u32>,
}

/// Lower-case words that open or join names: "Loyola de Palacio",
/// "Nikolaus van der Pas", "al-Assad", "bin Laden".
const PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du", "la", "le", "van",
    "von", "al", "el", "bin", "ibn", "y", "e", "ter", "ten", "zu", "st", "mac",
];

/// How many other mentions of a word lend it document-level features.
const DOC_MENTIONS: usize = 5;

/// Feature templates; the numbers only need to be distinct and stable.
mod t {
    pub const BIAS: u8 = 0;
    pub const WORD: u8 = 1;
    pub const LOWER: u8 = 2;
    pub const PREFIX: u8 = 3;
    pub const SUFFIX: u8 = 4;
    pub const SHAPE: u8 = 5;
    pub const SHORT: u8 = 6;
    pub const FLAGS: u8 = 7;
    pub const PREV: u8 = 8;
    pub const NEXT: u8 = 9;
    pub const PREV2: u8 = 10;
    pub const NEXT2: u8 = 11;
    pub const PREV_SHORT: u8 = 12;
    pub const NEXT_SHORT: u8 = 13;
    pub const SHORT3: u8 = 14;
    pub const PREV_WORD: u8 = 15;
    pub const WORD_NEXT: u8 = 16;
    pub const CAPS_WORD: u8 = 17;
    pub const LINE_POS: u8 = 18;
    pub const DOC_CLASS: u8 = 19;
    pub const DOC_PREV: u8 = 20;
    pub const DOC_NEXT: u8 = 21;
    pub const PREV_SHORT_WORD: u8 = 22;
    pub const PREV2_SHORT: u8 = 23;
    pub const NEXT2_SHORT: u8 = 24;
    pub const FIRST_SELF: u8 = 25;
    pub const FIRST_AROUND: u8 = 26;
    pub const FIRST_DOC: u8 = 27;
    pub const FIRST_DOC_WORD: u8 = 28;
    pub const GAZ: u8 = 29;
    pub const GAZ_MASK: u8 = 30;
    pub const LEX_PHRASE: u8 = 31;
    pub const LEX: u8 = 32;
    pub const LEX_MASK: u8 = 33;
    pub const LEX_FLAGS: u8 = 34;
    pub const LEX_PREV: u8 = 35;
    pub const LEX_NEXT: u8 = 36;
}

/// Words seen inside names in the training articles, with the labels they
/// had there (one bit per label but O): "Fischler" was B-PER and I-PER;
/// and whether they were seen in lower case, as "Analysts" opening a
/// sentence is "analysts" elsewhere.
/// The gazetteer's bit for a word seen in lower case.
const LOWER_CASE: u16 = 1 << 8;

#[derive(Debug, Default, Clone)]
pub struct Gazetteer {
    map: KeyMap<u32, u16>,
}

impl Gazetteer {
    /// Where a word goes, by its [`word_hash`].
    fn slot(word: u64) -> u32 {
        (hkey(t::GAZ, &[word]) >> 32) as u32
    }

    /// Adds the words of `doc`: capitalised ones under their gold
    /// `labels`, lower-case ones as such.
    pub fn add(&mut self, doc: &Doc, labels: &[u8]) {
        for (i, &l) in labels.iter().enumerate() {
            let info = &doc.info[i];
            let bit = if l != 0 && info.upper_initial {
                1 << (l - 1)
            } else if info.short.starts_with('x') && doc.tokens[i].text == &*info.lower {
                LOWER_CASE
            } else {
                continue;
            };
            *self.map.entry(Self::slot(info.hash)).or_default() |= bit;
        }
    }

    /// Whether the training articles wrote the word (by its
    /// [`word_hash`]) in lower case and never as part of a name.
    pub fn only_lower_case(&self, word: u64) -> bool {
        self.map.get(&Self::slot(word)) == Some(&LOWER_CASE)
    }

    /// Whether the training articles wrote the word (by its
    /// [`word_hash`]) in lower case somewhere.
    pub fn seen_lower_case(&self, word: u64) -> bool {
        self.map
            .get(&Self::slot(word))
            .is_some_and(|m| m & LOWER_CASE != 0)
    }

    /// Whether the training articles had the word (by its [`word_hash`])
    /// in a name.
    pub fn in_names(&self, word: u64) -> bool {
        self.map
            .get(&Self::slot(word))
            .is_some_and(|m| m & !LOWER_CASE != 0)
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no word is known.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// `u32` count, then (key `u32`, mask `u16`) pairs sorted by key.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut rows: Vec<(u32, u16)> = self.map.iter().map(|(&k, &m)| (k, m)).collect();
        rows.sort_unstable();
        let mut out = (rows.len() as u32).to_le_bytes().to_vec();
        for (k, m) in rows {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&m.to_le_bytes());
        }
        out
    }

    /// Reads what [`Gazetteer::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Option<Gazetteer> {
        let (n, rest) = bytes.split_at_checked(4)?;
        let n = u32::from_le_bytes(n.try_into().ok()?) as usize;
        if rest.len() != n * 6 {
            return None;
        }
        let map = rest
            .chunks_exact(6)
            .map(|c| {
                (
                    u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                    u16::from_le_bytes([c[4], c[5]]),
                )
            })
            .collect();
        Some(Gazetteer { map })
    }
}

/// Drops repeats among `out[from..]`: a feature counts once however many
/// other mentions lend it, and each repeat would cost a lookup.
fn dedup_tail(out: &mut Vec<u64>, from: usize) {
    out[from..].sort_unstable();
    let mut w = from;
    for r in from..out.len() {
        if w == from || out[r] != out[w - 1] {
            out[w] = out[r];
            w += 1;
        }
    }
    out.truncate(w);
}

/// Stand-ins for the words and shapes before a sentence, after it, and
/// outside it.
const BEFORE: u64 = 0x5BEF_0AE1_0000_0001;
const AFTER: u64 = 0x5BEF_0AE1_0000_0002;
const OUTSIDE: u64 = 0x5BEF_0AE1_0000_0003;

impl<'a> Doc<'a> {
    pub fn new(body: &'a str) -> Self {
        let tokens = tokenize(body);
        let sentences = sentences(&tokens);
        let mut info: Vec<TokenInfo<'a>> = tokens
            .iter()
            .map(|t| {
                let (shape, short, upper) = shapes(t.text);
                let lower = match upper {
                    true if t.text.is_ascii() => Cow::Owned(t.text.to_ascii_lowercase()),
                    true => Cow::Owned(t.text.to_lowercase()),
                    false => Cow::Borrowed(t.text),
                };
                TokenInfo {
                    hash: word_hash(&lower),
                    short_hash: word_hash(&short),
                    lower,
                    shape,
                    short,
                    upper_initial: short.starts_with('X'),
                    sentence_start: false,
                    candidate: upper,
                }
            })
            .collect();
        for s in &sentences {
            // The sentence's first word, after any opening marks.
            if let Some(i) = s
                .clone()
                .find(|&i| tokens[i].text.starts_with(char::is_alphanumeric))
            {
                info[i].sentence_start = true;
            }
        }
        let upper: Vec<bool> = info.iter().map(|i| i.candidate).collect();
        for s in &sentences {
            for i in s.clone() {
                let before = i > s.start && upper[i - 1];
                let after = i + 1 < s.end && upper[i + 1];
                if upper[i] || !(before || after) {
                    info[i].candidate = upper[i];
                    continue;
                }
                let lower: &str = &info[i].lower;
                // Names hold few lower-case words, and those are short
                // ("of", "de", "'s") or numbers; "said" after "Putin" is not one.
                let joiner = lower.len() <= 3
                    || !lower.starts_with(char::is_alphabetic)
                    || PARTICLES.contains(&lower);
                info[i].candidate = (before && after) || joiner;
            }
        }
        // Only capitalised words ask where else they occur, so only their
        // lower-case forms are indexed, not every word of the body.
        let mut by_lower: KeyMap<u64, Vec<u32>> = KeyMap::default();
        for i in (0..tokens.len()).filter(|&i| info[i].upper_initial) {
            by_lower.entry(info[i].hash).or_default();
        }
        for (i, t) in tokens.iter().enumerate() {
            if t.text.starts_with(char::is_alphabetic) {
                if let Some(at) = by_lower.get_mut(&info[i].hash) {
                    at.push(i as u32);
                }
            }
        }
        Doc {
            tokens,
            info,
            sentences,
            by_lower,
            lex: Vec::new(),
        }
    }

    /// A body with `lexicon`'s names marked on its tokens.
    pub fn with_lexicon(body: &'a str, lexicon: &Lexicon) -> Self {
        let mut doc = Doc::new(body);
        doc.lex = lexicon.marks(&doc);
        doc
    }

    /// Whether the article writes token `i`'s word with a capital where
    /// the case tells something: inside a sentence, not on a line of capitals.
    pub fn capitalised_inside(&self, i: usize) -> bool {
        self.by_lower.get(&self.info[i].hash).is_some_and(|at| {
            at.iter().any(|&j| {
                let j = j as usize;
                j != i && self.class(j) == CLASS_INSIDE
            })
        })
    }

    /// Whether the article writes token `i`'s word in lower case
    /// somewhere ("but", "rival").
    pub fn lower_case_elsewhere(&self, i: usize) -> bool {
        self.by_lower.get(&self.info[i].hash).is_some_and(|at| {
            at.iter()
                .any(|&j| j as usize != i && self.class(j as usize) == CLASS_LOW)
        })
    }

    /// The lexicon's marks on token `i` (0 without a lexicon).
    pub fn lexicon_marks(&self, i: usize) -> u32 {
        self.lex.get(i).copied().unwrap_or(0)
    }

    /// The class of a mention for document-level features: its case and
    /// whether its position says anything about that case.
    fn class(&self, j: usize) -> u64 {
        let inf = &self.info[j];
        let tok = &self.tokens[j];
        if !inf.upper_initial {
            CLASS_LOW
        } else if tok.caps_line {
            1
        } else if inf.sentence_start || tok.line_start {
            2
        } else if &*inf.short == "X" {
            3
        } else {
            CLASS_INSIDE
        }
    }

    /// Appends the feature keys of token `i` of sentence `s` to `out`.
    pub fn features(&self, s: &Range<usize>, i: usize, out: &mut Vec<u64>) {
        self.word_features(i, out);
        self.context_features(s, i, out);
    }

    /// The features that depend on the token's text alone (its word,
    /// affixes and shape), the same wherever the word appears.
    pub fn word_features(&self, i: usize, out: &mut Vec<u64>) {
        let inf = &self.info[i];
        let tok = &self.tokens[i];
        out.push(key(t::BIAS, &[]));
        out.push(key(t::WORD, &[tok.text]));
        out.push(hkey(t::LOWER, &[inf.hash]));
        let lower: &str = &inf.lower;
        let ends = lower
            .char_indices()
            .map(|c| c.0)
            .skip(1)
            .chain([lower.len()]);
        for end in ends.take(4) {
            out.push(key(t::PREFIX, &[&lower[..end]]));
        }
        for (start, _) in lower.char_indices().rev().take(4) {
            out.push(key(t::SUFFIX, &[&lower[start..]]));
        }
        out.push(key(t::SHAPE, &[&inf.shape]));
        out.push(hkey(t::SHORT, &[inf.short_hash]));
    }

    /// The [`word_hash`] of the word `k` tokens from `i` in sentence `s`,
    /// or a stand-in past its ends.
    #[inline]
    fn word_at(&self, s: &Range<usize>, i: usize, k: isize) -> u64 {
        let j = i as isize + k;
        if j < s.start as isize {
            BEFORE
        } else if j >= s.end as isize {
            AFTER
        } else {
            self.info[j as usize].hash
        }
    }

    /// The hash of the short shape `k` tokens from `i` in sentence `s`.
    #[inline]
    fn short_at(&self, s: &Range<usize>, i: usize, k: isize) -> u64 {
        let j = i as isize + k;
        if j < s.start as isize || j >= s.end as isize {
            OUTSIDE
        } else {
            self.info[j as usize].short_hash
        }
    }

    /// The keys among token `i`'s features that name the word itself
    /// (its text, its whole lower-case form as an affix, the word with a
    /// neighbour): what a word never seen in training lacks. The trainer
    /// drops them for some capitalised words, so that the model learns to
    /// tag names from their shape, context and the lexicon as well.
    pub fn identity_features(&self, s: &Range<usize>, i: usize, out: &mut Vec<u64>) {
        let inf = &self.info[i];
        let lower: &str = &inf.lower;
        out.push(key(t::WORD, &[self.tokens[i].text]));
        out.push(hkey(t::LOWER, &[inf.hash]));
        if lower.chars().count() <= 4 {
            out.push(key(t::PREFIX, &[lower]));
            out.push(key(t::SUFFIX, &[lower]));
        }
        out.push(hkey(t::PREV_WORD, &[self.word_at(s, i, -1), inf.hash]));
        out.push(hkey(t::WORD_NEXT, &[inf.hash, self.word_at(s, i, 1)]));
        out.push(hkey(t::CAPS_WORD, &[inf.hash]));
    }

    /// The features of token `i` that depend on where it is: its
    /// neighbours, its line, and the word's other mentions in the article.
    pub fn context_features(&self, s: &Range<usize>, i: usize, out: &mut Vec<u64>) {
        let inf = &self.info[i];
        let tok = &self.tokens[i];
        let word = |k: isize| self.word_at(s, i, k);
        let short = |k: isize| self.short_at(s, i, k);
        let flags = u64::from(inf.sentence_start)
            | u64::from(tok.line_start) << 1
            | u64::from(tok.caps_line) << 2;
        out.push(hkey(t::FLAGS, &[flags, inf.short_hash]));
        out.push(hkey(t::PREV, &[word(-1)]));
        out.push(hkey(t::NEXT, &[word(1)]));
        out.push(hkey(t::PREV2, &[word(-2)]));
        out.push(hkey(t::NEXT2, &[word(2)]));
        out.push(hkey(t::PREV_SHORT, &[short(-1)]));
        out.push(hkey(t::NEXT_SHORT, &[short(1)]));
        out.push(hkey(t::PREV2_SHORT, &[short(-2), short(-1)]));
        out.push(hkey(t::NEXT2_SHORT, &[short(1), short(2)]));
        out.push(hkey(t::SHORT3, &[short(-1), inf.short_hash, short(1)]));
        out.push(hkey(t::PREV_WORD, &[word(-1), inf.hash]));
        out.push(hkey(t::WORD_NEXT, &[inf.hash, word(1)]));
        out.push(hkey(t::PREV_SHORT_WORD, &[word(-1), inf.short_hash]));
        if tok.caps_line {
            out.push(hkey(t::CAPS_WORD, &[inf.hash]));
            let pos = i - s.start;
            if pos < 3 {
                out.push(hkey(t::LINE_POS, &[pos as u64, short(1)]));
            }
        }
        if inf.upper_initial {
            self.doc_features(i, out);
        }
        if let Some(&m) = self.lex.get(i).filter(|&&m| m != 0) {
            let mut bits = m;
            while bits != 0 {
                out.push(number_key(t::LEX, u64::from(bits.trailing_zeros())));
                bits &= bits - 1;
            }
            out.push(number_key(t::LEX_MASK, u64::from(m)));
            let at = u64::from(inf.sentence_start) | u64::from(tok.caps_line) << 1;
            out.push(number_key(t::LEX_FLAGS, u64::from(m) << 2 | at));
        }
        // A first name before an unknown word, a city after "in".
        for (template, j) in [(t::LEX_PREV, i.wrapping_sub(1)), (t::LEX_NEXT, i + 1)] {
            if let Some(&m) = self.lex.get(j).filter(|&&m| m != 0 && s.contains(&j)) {
                let mut bits = m;
                while bits != 0 {
                    out.push(number_key(template, u64::from(bits.trailing_zeros())));
                    bits &= bits - 1;
                }
            }
        }
    }

    /// The labels the training articles gave the word, if it is capitalised
    /// (a function of the token's text, like [`Doc::word_features`]).
    pub fn gazetteer_features(&self, gaz: &Gazetteer, i: usize, out: &mut Vec<u64>) {
        if !self.info[i].upper_initial {
            return;
        }
        let Some(&mask) = gaz.map.get(&Gazetteer::slot(self.info[i].hash)) else {
            return;
        };
        let mut bits = mask;
        while bits != 0 {
            out.push(number_key(t::GAZ, u64::from(bits.trailing_zeros())));
            bits &= bits - 1;
        }
        out.push(number_key(t::GAZ_MASK, u64::from(mask)));
    }

    /// Features from a first tagging pass, for the second: the first label
    /// of this token and its neighbours, and how the same word was tagged
    /// elsewhere in the article, so that one name keeps one kind.
    pub fn stacked_features(&self, s: &Range<usize>, first: &[u8], i: usize, out: &mut Vec<u64>) {
        let at = |k: isize| -> u64 {
            let j = i as isize + k;
            if j < s.start as isize || j >= s.end as isize {
                LABELS_OUTSIDE
            } else {
                u64::from(first[j as usize])
            }
        };
        out.push(number_key(t::FIRST_SELF, at(0)));
        out.push(hkey(t::FIRST_AROUND, &[at(-1), at(0), at(1)]));
        if !self.info[i].upper_initial {
            return;
        }
        let Some(others) = self.by_lower.get(&self.info[i].hash) else {
            return;
        };
        let from = out.len();
        let mut votes = [0u32; 5];
        for &j in others
            .iter()
            .filter(|&&j| j as usize != i)
            .take(4 * DOC_MENTIONS)
        {
            let j = j as usize;
            if !self.info[j].upper_initial {
                continue;
            }
            let kind = kind_of(first[j]);
            votes[kind as usize] += 1;
            out.push(number_key(t::FIRST_DOC, kind));
        }
        dedup_tail(out, from);
        if let Some((best, _)) = votes
            .iter()
            .enumerate()
            .filter(|v| *v.1 > 0)
            .max_by_key(|v| *v.1)
        {
            out.push(hkey(
                t::FIRST_DOC_WORD,
                &[best as u64, self.info[i].short_hash],
            ));
        }
    }

    /// How the same word is written and surrounded elsewhere in the article:
    /// "Fischler" after "Franz" or before "said" there is a person here.
    fn doc_features(&self, i: usize, out: &mut Vec<u64>) {
        let Some(others) = self.by_lower.get(&self.info[i].hash) else {
            return;
        };
        let from = out.len();
        let mut seen = 0;
        for &j in others {
            let j = j as usize;
            if j == i {
                continue;
            }
            seen += 1;
            if seen > DOC_MENTIONS {
                break;
            }
            let class = self.class(j);
            out.push(number_key(t::DOC_CLASS, class));
            if class != CLASS_LOW {
                let prev = if j == 0 || self.tokens[j].line_start {
                    BEFORE
                } else {
                    self.info[j - 1].hash
                };
                let next = self.info.get(j + 1).map_or(AFTER, |x| x.hash);
                out.push(hkey(t::DOC_PREV, &[prev]));
                out.push(hkey(t::DOC_NEXT, &[next]));
            }
        }
        dedup_tail(out, from);
    }
}

/// [`Doc::class`] of a word written in lower case.
const CLASS_LOW: u64 = 0;
/// [`Doc::class`] of a word written with a capital inside a sentence.
const CLASS_INSIDE: u64 = 4;
/// A first-pass label outside the sentence.
const LABELS_OUTSIDE: u64 = 9;

/// A label's kind alone: 0 for O, else 1 to 4.
fn kind_of(l: u8) -> u64 {
    match l {
        1..=8 => 1 + (u64::from(l) - 1) % 4,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(&*shapes("Xi").0, "Xx");
        assert_eq!(&*shapes("1996-08-30").1, "d-d-d");
        assert_eq!(&*shapes("NATO").1, "X");
        assert_eq!(&*shapes("Zürich–Bern").0, "Xxxxxx*Xxxx");
    }

    #[test]
    fn keys_are_stable_and_distinct() {
        assert_eq!(key(1, &["ab", "c"]), key(1, &["ab", "c"]));
        assert_ne!(key(1, &["ab", "c"]), key(1, &["a", "bc"]));
        assert_ne!(key(1, &["x"]), key(2, &["x"]));
    }

    #[test]
    fn other_mentions_lend_features() {
        let doc = Doc::new("Franz Fischler spoke.\nFISCHLER SAYS NO\nLater Fischler said no.");
        let i = doc
            .tokens
            .iter()
            .position(|t| t.text == "FISCHLER")
            .unwrap();
        let s = doc
            .sentences
            .iter()
            .find(|s| s.contains(&i))
            .unwrap()
            .clone();
        let mut f = Vec::new();
        doc.features(&s, i, &mut f);
        assert!(f.contains(&hkey(t::DOC_PREV, &[word_hash("franz")])));
        assert!(f.contains(&number_key(t::DOC_CLASS, 4)));
    }
}
