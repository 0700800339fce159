//! Named entities: people, organisations, places and other names, found by
//! a statistical tagger trained on news and grouped under canonical names.
//!
//! Body -> tokens ([`tokens`]) -> names of the [`lexicon`] marked ->
//! hashed features ([`features`]) -> two
//! averaged-perceptron passes decoded by Viterbi ([`model`]) -> mentions ->
//! one [`Entity`] per canonical name ([`canonical`]). The model is trained
//! by `examples/train_entities.rs` and ships in the binary (`model.bin`).

pub mod canonical;
pub mod features;
pub mod lexicon;
pub mod model;
pub mod tokens;

use std::sync::LazyLock;

use crate::{Entity, EntityKind};
use features::{Doc, Gazetteer};
use lexicon::Lexicon;
use std::ops::Range;

use model::{begin_label, is_inside, label_kind, Model, Pair, LABELS};

/// The shipped model and lexicon, retrained by
/// `cargo run --release --example train_entities -- ../shared/eval/entities-train src/extract/entities/model.bin`
/// (which reads `lexicon/lexicon.tsv`).
static MODEL: LazyLock<Tagger> =
    LazyLock::new(|| Tagger::from_bytes(include_bytes!("model.bin")).unwrap_or_default());

/// Two models: the first tags from local and document features; the second
/// sees the first's labels across the article as well.
#[derive(Default)]
pub struct Tagger {
    first: Model,
    second: Model,
    gazetteer: Gazetteer,
    lexicon: Lexicon,
    /// Both models' weights of the local features, looked up once for both passes.
    local: Pair,
    /// Tells this tagger's cached word sums from another's.
    id: usize,
    /// The lexicon's mark of a word the dictionary has in lower case
    /// (0 without a dictionary in the lexicon).
    common: u32,
    /// The lexicon's marks that make a word more than a common one: all
    /// but the dictionary's lower case and the lists of people's names,
    /// which hold many common words ("Most", "Like", "But" are surnames).
    named: u32,
}

/// Both models' summed stored weights for one token.
type Sums = [[i32; LABELS]; 2];

/// Words whose sums a thread keeps before it starts afresh (about 5 MB).
const WORD_CACHE: usize = 1 << 16;
/// Template number of the cache's keys, apart from every feature's.
const WORD_CACHE_KEY: u8 = 255;

thread_local! {
    /// Per thread: the tagger the cache is for, and its word sums by the
    /// hash of the word's text.
    static WORD_SUMS: std::cell::RefCell<(usize, features::KeyMap<u64, Sums>)> =
        std::cell::RefCell::new((0, features::KeyMap::default()));
}

/// A distinct id for each tagger made (0 is no tagger).
static NEXT_TAGGER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

const TAGGER_MAGIC: &[u8; 4] = b"NXT4";

/// The next length-prefixed part of a serialised tagger.
fn part(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = bytes.split_at_checked(4)?;
    let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
    rest.split_at_checked(len)
}

fn put_part(out: &mut Vec<u8>, part: Vec<u8>) {
    out.extend_from_slice(&(part.len() as u32).to_le_bytes());
    out.extend(part);
}

impl Tagger {
    pub fn new(first: Model, second: Model, gazetteer: Gazetteer, lexicon: Lexicon) -> Tagger {
        let mut common = 0;
        let mut named = 0;
        for (c, name) in lexicon.categories().iter().enumerate() {
            let marks = 3 << (2 * c);
            if name == "word.lower" {
                common |= 1 << (2 * c);
            } else if !name.starts_with("person.") {
                named |= marks;
            }
        }
        Tagger {
            common,
            named,
            local: Pair::new(&first, &second),
            id: NEXT_TAGGER.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            first,
            second,
            gazetteer,
            lexicon,
        }
    }

    /// Reads what [`Tagger::to_bytes`] wrote; `None` if it is not a tagger.
    pub fn from_bytes(bytes: &[u8]) -> Option<Tagger> {
        let rest = bytes.strip_prefix(TAGGER_MAGIC)?;
        let (first, rest) = part(rest)?;
        let (second, rest) = part(rest)?;
        let (gazetteer, lexicon) = part(rest)?;
        Some(Tagger::new(
            Model::from_bytes(first)?,
            Model::from_bytes(second)?,
            Gazetteer::from_bytes(gazetteer)?,
            Lexicon::from_bytes(lexicon)?,
        ))
    }

    /// Both models, with weights below `min_weight` dropped, the
    /// gazetteer and the lexicon.
    pub fn to_bytes(&self, min_weight: f32) -> Vec<u8> {
        let mut out = TAGGER_MAGIC.to_vec();
        put_part(&mut out, self.first.to_bytes(min_weight));
        put_part(&mut out, self.second.to_bytes(min_weight));
        put_part(&mut out, self.gazetteer.to_bytes());
        out.extend(self.lexicon.to_bytes());
        out
    }

    /// The name lists the tagger marks on a body before tagging it.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Number of features with weights, in both models.
    pub fn len(&self) -> usize {
        self.first.len() + self.second.len()
    }

    /// Whether the tagger has no weights at all.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty() || self.second.is_empty()
    }

    /// The labels of each token of `doc`, after both passes.
    pub fn tag(&self, doc: &Doc) -> Vec<u8> {
        let looked = self.looked_at(doc);
        let sums = self.local_sums(doc, &looked);
        let first = decode(&self.first, doc, &looked, |_, i| {
            self.first.scores(sums[i][0])
        });
        let mut keys = Vec::with_capacity(32);
        let mut labels = decode(&self.second, doc, &looked, |s, i| {
            keys.clear();
            doc.stacked_features(s, &first, i, &mut keys);
            let mut sum = sums[i][1];
            for (x, y) in sum.iter_mut().zip(self.second.sum(&keys)) {
                *x += y;
            }
            self.second.scores(sum)
        });
        self.unglue_openers(doc, &mut labels);
        labels
    }

    /// Whether token `i` is a common word that only opening the sentence
    /// wrote with a capital: the dictionary has it in lower case only, it
    /// names no place, organisation or the like, the training articles
    /// never had it in a name and this article never writes it with a
    /// capital inside a sentence ("However", "Rival", "Jeweller"). A word
    /// of the lists of people's names (which hold "Most" and "But", but
    /// also "Jade" and "Downing") must also be written in lower case in the
    /// training articles or in this one.
    fn common_opener(&self, doc: &Doc, i: usize) -> bool {
        let marks = doc.lexicon_marks(i);
        let word = doc.info[i].hash;
        self.common != 0
            && doc.info[i].sentence_start
            && marks & self.common != 0
            && marks & self.named == 0
            && !self.gazetteer.in_names(word)
            && !doc.capitalised_inside(i)
            && (marks == self.common
                || self.gazetteer.seen_lower_case(word)
                || doc.lower_case_elsewhere(i))
    }

    /// Takes a common word that opens a sentence out of the name the
    /// tagger began with it ("However Nintendo" -> "Nintendo", "Rival
    /// Sony" -> "Sony"), and drops it where it was a name on its own: the
    /// training articles rarely open a sentence with such a word before a
    /// name, so the tagger glues the two.
    fn unglue_openers(&self, doc: &Doc, labels: &mut [u8]) {
        for s in &doc.sentences {
            let Some(i) = s.clone().find(|&i| doc.info[i].upper_initial) else {
                continue;
            };
            if label_kind(labels[i]).is_none() || !self.common_opener(doc, i) {
                continue;
            }
            labels[i] = 0;
            if let Some(next) = labels.get_mut(i + 1).filter(|l| is_inside(**l)) {
                *next -= 4;
            }
        }
    }

    /// Both models' summed weights of every looked-at token's local
    /// features. The features of a word's text alone (word, affixes, shape,
    /// gazetteer) are summed once per thread and word, across articles:
    /// capitalised words recur, and those are half of a token's lookups.
    fn local_sums(&self, doc: &Doc, looked: &[bool]) -> Vec<Sums> {
        let mut sums = vec![[[0; LABELS]; 2]; doc.tokens.len()];
        let mut keys = Vec::with_capacity(64);
        WORD_SUMS.with_borrow_mut(|(tagger, cache)| {
            if *tagger != self.id || cache.len() > WORD_CACHE {
                *tagger = self.id;
                cache.clear();
            }
            for s in &doc.sentences {
                for i in s.clone().filter(|&i| looked[i]) {
                    let text = doc.tokens[i].text;
                    let word = *cache
                        .entry(features::key(WORD_CACHE_KEY, &[text]))
                        .or_insert_with(|| {
                            keys.clear();
                            doc.word_features(i, &mut keys);
                            doc.gazetteer_features(&self.gazetteer, i, &mut keys);
                            self.local.sums(&keys)
                        });
                    keys.clear();
                    doc.context_features(s, i, &mut keys);
                    let mut sum = self.local.sums(&keys);
                    for (x, w) in sum.iter_mut().zip(&word) {
                        for (a, b) in x.iter_mut().zip(w) {
                            *a += b;
                        }
                    }
                    sums[i] = sum;
                }
            }
        });
        sums
    }

    /// The tokens worth tagging: the candidates, but for a sentence's first
    /// word when no capitalised word follows and it is a common word: the
    /// training articles only ever wrote it in lower case ("The", "But",
    /// "Analysts" opening a sentence), or the dictionary has it in lower
    /// case only, the training articles never had it in a name and this
    /// article never writes it with a capital inside a sentence
    /// ("Additionally", "Likewise"). The model tags those O all but always
    /// (entities-dev comes out the same without them), and they are many.
    fn looked_at(&self, doc: &Doc) -> Vec<bool> {
        let mut looked: Vec<bool> = doc.info.iter().map(|i| i.candidate).collect();
        for s in &doc.sentences {
            let Some(i) = s.clone().find(|&i| doc.info[i].upper_initial) else {
                continue;
            };
            if !doc.info[i].sentence_start {
                continue;
            }
            let next_capital = s.contains(&(i + 1)) && doc.info[i + 1].upper_initial;
            if next_capital {
                continue;
            }
            if self.gazetteer.only_lower_case(doc.info[i].hash) || self.common_opener(doc, i) {
                looked[i] = false;
            }
        }
        looked
    }
}

/// One tagged mention: byte offsets into the body and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
}

/// The named entities of a body, one per canonical name, with their spans.
pub fn extract(body: &str) -> Vec<Entity> {
    // Loading the model (once, the first files waiting for it together)
    // is not their parsing time.
    let model: &Tagger = crate::guard::off_the_clock(|| &*MODEL);
    let mut found = Vec::new();
    for (offset, chunk) in crate::extract::chunks(body) {
        crate::guard::checkpoint();
        found.extend(mentions(model, chunk).into_iter().map(|m| Mention {
            start: m.start + offset,
            end: m.end + offset,
            ..m
        }));
    }
    canonical::group(body, &found)
}

/// The local and document features of every token the tagger looks at,
/// computed once for both passes.
pub struct LocalKeys {
    keys: Vec<u64>,
    /// Where each token's keys are in `keys` (empty for skipped tokens).
    at: Vec<(u32, u32)>,
}

impl LocalKeys {
    pub fn new(doc: &Doc, gazetteer: &Gazetteer, looked: &[bool]) -> Self {
        let mut keys = Vec::with_capacity(doc.tokens.len() * 16);
        let mut at = vec![(0, 0); doc.tokens.len()];
        for s in &doc.sentences {
            for i in s.clone().filter(|&i| looked[i]) {
                let from = keys.len() as u32;
                doc.features(s, i, &mut keys);
                doc.gazetteer_features(gazetteer, i, &mut keys);
                at[i] = (from, keys.len() as u32);
            }
        }
        LocalKeys { keys, at }
    }

    fn of(&self, i: usize) -> &[u64] {
        let (a, b) = self.at[i];
        &self.keys[a as usize..b as usize]
    }
}

/// The labels `model` gives each token of `doc`, sentence by sentence;
/// with the labels of a `first` pass, `model` is a second-pass model.
pub fn tag(model: &Model, gazetteer: &Gazetteer, doc: &Doc, first: Option<&[u8]>) -> Vec<u8> {
    let looked: Vec<bool> = doc.info.iter().map(|i| i.candidate).collect();
    let local = LocalKeys::new(doc, gazetteer, &looked);
    let mut keys = Vec::with_capacity(64);
    decode(model, doc, &looked, |s, i| {
        keys.clear();
        keys.extend_from_slice(local.of(i));
        if let Some(first) = first {
            doc.stacked_features(s, first, i, &mut keys);
        }
        model.emission(&keys)
    })
}

/// The best labels `model` gives `doc` with each looked-at token's label scores
/// (`emission(sentence, token)`). Skipped tokens are O, so each run of
/// looked-at tokens is decoded on its own.
fn decode(
    model: &Model,
    doc: &Doc,
    looked: &[bool],
    mut emission: impl FnMut(&Range<usize>, usize) -> [f32; LABELS],
) -> Vec<u8> {
    let mut labels = vec![0u8; doc.tokens.len()];
    let mut em: Vec<[f32; LABELS]> = Vec::new();
    let mut back = Vec::new();
    for s in &doc.sentences {
        let mut i = s.start;
        while i < s.end {
            if !looked[i] {
                i += 1;
                continue;
            }
            let run = i..(i..s.end).find(|&j| !looked[j]).unwrap_or(s.end);
            em.clear();
            em.extend(run.clone().map(|j| emission(s, j)));
            model.viterbi_into(
                &em,
                run.start == s.start,
                &mut back,
                &mut labels[run.clone()],
            );
            i = run.end;
        }
    }
    labels
}

/// The mentions `model` finds in a body, in order.
pub fn mentions(tagger: &Tagger, body: &str) -> Vec<Mention> {
    if tagger.is_empty() {
        return Vec::new();
    }
    let doc = Doc::with_lexicon(body, &tagger.lexicon);
    let mut found = spans(&doc, &tagger.tag(&doc));
    join_organisations(body, &mut found);
    found
}

/// Words that join the halves of a long organisation name.
const ORG_JOINERS: &[&str] = &[" for ", " of ", " of the ", " for the "];

/// Joins an organisation and the name right after it across "for" or "of":
/// "Carnegie Endowment" + "for" + "International Peace". The tagger, trained
/// on short names, often splits such names in two.
fn join_organisations(body: &str, found: &mut Vec<Mention>) {
    let title_case = |s: &str| {
        let last = s.rsplit(' ').next().unwrap_or("");
        let mut chars = last.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
    };
    let mut out: Vec<Mention> = Vec::with_capacity(found.len());
    for m in found.drain(..) {
        if let Some(prev) = out.last_mut() {
            let gap = &body[prev.end.min(m.start)..m.start];
            if prev.kind == EntityKind::Org
                && ORG_JOINERS.contains(&gap)
                && title_case(&body[prev.start..prev.end])
                && title_case(&body[m.start..m.end])
            {
                prev.end = m.end;
                continue;
            }
        }
        out.push(m);
    }
    *found = out;
}

/// Mentions from token labels: B- opens one, I- of the same kind extends it.
pub fn spans(doc: &Doc, labels: &[u8]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut open = false;
    for (i, &l) in labels.iter().enumerate() {
        let Some(kind) = label_kind(l) else {
            open = false;
            continue;
        };
        let tok = &doc.tokens[i];
        // A mark ("”", "&", "-") neither begins nor ends a name: "“…,”
        // Harwick said" is "Harwick", "Procter & Gamble" keeps its "&".
        let word = tok.text.chars().any(char::is_alphanumeric);
        match out.last_mut() {
            Some(m) if open && is_inside(l) && m.kind == kind => {
                if word {
                    m.end = tok.end;
                }
            }
            _ if !word => {}
            _ => {
                out.push(Mention {
                    start: tok.start,
                    end: tok.end,
                    kind,
                });
                open = true;
            }
        }
    }
    out
}

/// Gold labels for the tokens of `doc` from gold mentions, and how many
/// mentions do not fall on token boundaries (those are labelled as far as
/// the tokens allow).
pub fn gold_labels(doc: &Doc, gold: &[Mention]) -> (Vec<u8>, usize) {
    let mut labels = vec![0u8; doc.tokens.len()];
    let mut misaligned = 0;
    for m in gold {
        let inside: Vec<usize> = (0..doc.tokens.len())
            .filter(|&i| doc.tokens[i].start < m.end && doc.tokens[i].end > m.start)
            .collect();
        let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
            misaligned += 1;
            continue;
        };
        if doc.tokens[first].start != m.start || doc.tokens[last].end != m.end {
            misaligned += 1;
        }
        let b = begin_label(m.kind);
        labels[first] = b;
        for l in &mut labels[first + 1..=last] {
            *l = b + 4;
        }
    }
    (labels, misaligned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<(String, EntityKind)> {
        mentions(&MODEL, body)
            .iter()
            .map(|m| (body[m.start..m.end].to_owned(), m.kind))
            .collect()
    }

    fn has(body: &str, text: &str, kind: EntityKind) -> bool {
        found(body).contains(&(text.to_owned(), kind))
    }

    #[test]
    fn a_quotation_mark_is_no_part_of_a_name() {
        let body = "Harwick beat Lowell United 3-1 at home.\n\n\
            \u{201c}We played well,\u{201d} Harwick said after the match.";
        let names = found(body);
        assert!(names.iter().any(|(n, _)| n == "Harwick"), "{names:?}");
        for (name, _) in &names {
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            assert!(
                word(name.chars().next()) && word(name.chars().last()),
                "{names:?}"
            );
        }
    }

    #[test]
    fn the_shipped_model_loads() {
        assert!(MODEL.len() > 1000);
    }

    #[test]
    fn possessives_stay_outside_the_name() {
        let body = "BEIJING 2024-03-01\nChina's trade surplus grew in February, officials said.";
        assert!(has(body, "China", EntityKind::Place), "{:?}", found(body));
        assert!(has(body, "BEIJING", EntityKind::Place), "{:?}", found(body));
    }

    #[test]
    fn titles_stay_outside_the_name() {
        let body = "President Xi Jinping met the visiting delegation in Beijing on Tuesday.";
        assert!(
            has(body, "Xi Jinping", EntityKind::Person),
            "{:?}",
            found(body)
        );
        assert!(has(body, "Beijing", EntityKind::Place), "{:?}", found(body));
    }

    #[test]
    fn multi_word_organisations_are_one_mention() {
        let body = "Andrew Weiss, a vice president at the Carnegie Endowment for International Peace, said the talks had stalled.";
        assert!(
            has(
                body,
                "Carnegie Endowment for International Peace",
                EntityKind::Org
            ),
            "{:?}",
            found(body)
        );
        assert!(
            has(body, "Andrew Weiss", EntityKind::Person),
            "{:?}",
            found(body)
        );
    }

    #[test]
    fn headlines_in_capitals_are_tagged() {
        // "Arsenal" is also a common word in the dictionary: opening the
        // only sentence that names it, the tagger leaves it out; written
        // inside a sentence too, the article tells it is a name.
        let body = "SOCCER - ARSENAL BEAT CHELSEA IN LONDON DERBY\nLONDON 1996-08-30\nArsenal beat Chelsea 2-1 at Highbury on Saturday. Chelsea had beaten Arsenal in May.";
        let f = found(body);
        assert!(has(body, "Arsenal", EntityKind::Org), "{f:?}");
        assert!(has(body, "LONDON", EntityKind::Place), "{f:?}");
    }

    #[test]
    fn sentence_initial_words_are_not_names() {
        let body = "Shares fell sharply on Monday. Analysts blamed the weak dollar.";
        assert!(found(body).is_empty(), "{:?}", found(body));
    }

    #[test]
    fn sentence_openers_known_in_lower_case_are_not_tagged() {
        let doc = Doc::new("However, talks ended. However Hague said so. Moscow agreed.");
        let looked = MODEL.looked_at(&doc);
        let at = |text: &str, nth: usize| {
            let i = (0..doc.tokens.len())
                .filter(|&i| doc.tokens[i].text == text)
                .nth(nth)
                .unwrap();
            looked[i]
        };
        assert!(!at("However", 0));
        assert!(at("However", 1), "a capital follows");
        assert!(at("Hague", 0));
        assert!(at("Moscow", 0), "names are not known in lower case");
    }

    #[test]
    fn cached_word_sums_change_nothing() {
        let a = "Angela Merkel met Emmanuel Macron in Berlin. Merkel said Berlin and Paris agree.";
        let b = "MOSCOW 2022-09-15\nVladimir Putin met Xi Jinping. Putin thanked Xi in Moscow.";
        let fresh = |body: &'static str| std::thread::spawn(move || found(body)).join().unwrap();
        let after_other = std::thread::spawn(move || {
            found(a);
            found(b)
        })
        .join()
        .unwrap();
        assert_eq!(fresh(b), after_other);
        assert!(!after_other.is_empty());
    }

    #[test]
    fn mentions_are_grouped_under_the_fullest_name() {
        let body = "MOSCOW 2022-09-15\nVladimir Putin met Xi Jinping in Samarkand. Putin said the talks went well, and Mr Putin thanked Xi.";
        let ents = extract(body);
        let putin = ents
            .iter()
            .find(|e| e.name == "Vladimir Putin")
            .expect("Putin");
        assert_eq!(putin.kind, EntityKind::Person);
        assert_eq!(putin.spans.len(), 3, "{ents:?}");
    }
}
