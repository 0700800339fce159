//! English stemming, as tantivy's `Stemmer` filter does it, made cheaper
//! for two uses. One token filter, [`Stemming`], with a rule for each:
//!
//! - indexing: [`Memo`] remembers the stems of the words it has seen. News
//!   text repeats its words, and Snowball was about a tenth of ingest CPU.
//! - highlighting: [`Gated`] stems only the words that can stem to one of
//!   the terms looked for. Snippets re-analyse whole bodies to find the
//!   query's terms, and stemming was most of that work.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words a [`Memo`] remembers before it starts afresh (each analyzer
/// clone has its own memo: one per field and indexing thread).
const MEMO_WORDS: usize = 1 << 16;

/// How a [`Stemming`] filter treats each word.
pub trait StemRule: Clone + Send + Sync + 'static {
    /// Replaces `word` by what the index would hold for it.
    fn apply(&mut self, stemmer: &frostem::Stemmer, word: &mut String);
}

/// Stems exactly like tantivy's English `Stemmer`, looking each word up in
/// a memo of the stems computed so far first.
#[derive(Clone, Default)]
pub struct Memo {
    /// word -> stem.
    stems: FxHashMap<Box<str>, Box<str>>,
}

impl StemRule for Memo {
    fn apply(&mut self, stemmer: &frostem::Stemmer, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem: Box<str> = stemmer.stem(word).into();
        if self.stems.len() >= MEMO_WORDS {
            self.stems.clear();
        }
        let original = std::mem::replace(word, stem.to_string());
        self.stems.insert(original.into(), stem);
    }
}

/// Stems like tantivy's English `Stemmer`, but only the words that may
/// stem to one of a set of terms; the others pass unchanged (and so match
/// none of the terms, which are stems).
///
/// A Snowball English stem without its last letter is a prefix of the word
/// (the last letter may be a replaced one: "economy" -> "economi"), except
/// for "dying", "lying", "tying", "vying" -> "die", "lie", "tie", "vie".
/// Checked on all 45,638 distinct words of the BBC corpus and the two
/// training sets: those four were the only exceptions.
#[derive(Clone)]
pub struct Gated {
    prefixes: Arc<[String]>,
}

impl Gated {
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> Self {
        let prefixes = terms
            .into_iter()
            .map(|t| {
                let cut = t.char_indices().next_back().map_or(0, |(i, _)| i);
                t[..cut].to_owned()
            })
            .collect();
        Gated { prefixes }
    }

    fn may_match(&self, word: &str) -> bool {
        word.ends_with("ying") || self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
    }
}

impl StemRule for Gated {
    fn apply(&mut self, stemmer: &frostem::Stemmer, word: &mut String) {
        if self.may_match(word) {
            if let Cow::Owned(stem) = stemmer.stem(word) {
                *word = stem;
            }
        }
    }
}

/// A token filter stemming English words by a [`StemRule`].
#[derive(Clone)]
pub struct Stemming<R>(pub R);

impl<R: StemRule> TokenFilter for Stemming<R> {
    type Tokenizer<T: Tokenizer> = StemmingFilter<R, T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemmingFilter<R, T> {
        StemmingFilter {
            rule: self.0,
            inner,
        }
    }
}

#[derive(Clone)]
pub struct StemmingFilter<R, T> {
    rule: R,
    inner: T,
}

impl<R: StemRule, T: Tokenizer> Tokenizer for StemmingFilter<R, T> {
    type TokenStream<'a> = StemmingStream<'a, R, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmingStream {
            tail: self.inner.token_stream(text),
            rule: &mut self.rule,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

pub struct StemmingStream<'a, R, T> {
    tail: T,
    rule: &'a mut R,
    stemmer: frostem::Stemmer,
}

impl<R: StemRule, T: TokenStream> TokenStream for StemmingStream<'_, R, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.rule
            .apply(&self.stemmer, &mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
