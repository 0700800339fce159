//! Who a quote is attributed to, from the words around it: speech verbs
//! with their subject in either order ("…,” Lavrov said", "said Lavrov",
//! "Lavrov told reporters: “…”", "according to …").
//!
//! Only the sentence around the quote is read; linking pronouns and short
//! names to people is left to [`super::people`].

use super::tokens::Token;
use crate::extract::names;
use std::collections::HashSet;
use std::sync::LazyLock;

/// A speaker as the text names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// A name or a description, as written ("Mr. Lavrov", "a Pentagon spokesman").
    Named(String),
    /// A personal pronoun, to be resolved to a person mentioned before.
    Pronoun(Gender),
    /// Whoever spoke the quote before, in the same sentence ("…,” Lavrov
    /// said, adding: “…”).
    Previous,
}

/// What a pronoun or a title says about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

/// An attribution and how tightly it is bound to its quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub who: Who,
    /// The speech verb touches the quote ("“…,” he said", "said: “…”"),
    /// rather than governing it from further away in the sentence.
    pub adjacent: bool,
}

/// Finite speech verbs, in the forms news English uses.
static SPEECH_VERBS: WordSet = LazyLock::new(|| {
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "added",
        "adds",
        "asked",
        "asks",
        "explained",
        "explains",
        "wrote",
        "writes",
        "noted",
        "notes",
        "argued",
        "argues",
        "stated",
        "states",
        "declared",
        "declares",
        "insisted",
        "insists",
        "continued",
        "continues",
        "recalled",
        "recalls",
        "replied",
        "replies",
        "responded",
        "responds",
        "answered",
        "warned",
        "warns",
        "urged",
        "urges",
        "claimed",
        "claims",
        "observed",
        "observes",
        "remarked",
        "tweeted",
        "tweets",
        "posted",
        "announced",
        "announces",
        "acknowledged",
        "acknowledges",
        "admitted",
        "admits",
        "suggested",
        "suggests",
        "countered",
        "counters",
        "shouted",
        "yelled",
        "joked",
        "jokes",
        "quipped",
        "quips",
        "complained",
        "complains",
        "conceded",
        "concedes",
        "emphasized",
        "emphasised",
        "stressed",
        "stresses",
        "predicted",
        "predicts",
        "promised",
        "promises",
        "vowed",
        "vows",
        "boasted",
        "boasts",
        "lamented",
        "laments",
        "cautioned",
        "concluded",
        "mused",
        "offered",
        "testified",
        "interjected",
        "agreed",
        "agrees",
        "began",
        "begins",
        "chanted",
        "cried",
        "demanded",
        "demands",
        "pleaded",
        "proclaimed",
        "protested",
        "reported",
        "reports",
        "revealed",
        "shot",
        "snapped",
        "wondered",
        "wonders",
        "whispered",
        "retorted",
        "repeated",
        "reiterated",
        "confirmed",
        "confirms",
        "maintained",
        "maintains",
        "contended",
        "contends",
        "assured",
        "advised",
        "announced",
        "charged",
        "read",
        "recounted",
        "described",
        "stated",
        "opined",
        "scoffed",
        "sighed",
        "smiled",
        "laughed",
        "exhorted",
        "gloated",
        "cracked",
        "screamed",
        "state",
        "thundered",
        "bragged",
        "mocked",
        "fumed",
        "griped",
        "chimed",
        "marveled",
        "marvelled",
        "sings",
        "sang",
        "commented",
        "likened",
        "asserted",
        "asserts",
        "ask",
        "recommended",
        "concludes",
        "retorts",
        "muses",
        "opines",
        "called",
        "calls",
        "labeled",
        "labelled",
        "dubbed",
        "termed",
        "branded",
        "exclaimed",
        "exclaims",
        "barked",
        "beamed",
        "boomed",
        "bellowed",
        "echoed",
        "pressed",
        "questioned",
        "reacted",
        "remembered",
        "remembers",
        "interrupted",
        "needled",
        "retaliated",
        "roared",
        "hissed",
        "blared",
        "write",
        "scolded",
        "chided",
        "lectured",
        "pointed",
        "grumbled",
        "muttered",
        "murmured",
        "gushed",
        "raved",
        "speculated",
        "reflected",
        "confided",
        "confessed",
        "disclosed",
        "inquired",
        "enquired",
        "queried",
        "quizzed",
        "hollered",
        "crowed",
        "taunted",
        "teased",
        "chuckled",
        "sneered",
        "jeered",
        "texted",
        "emailed",
        "rebutted",
        "objected",
        "intoned",
        "deadpanned",
        "recited",
        "pledged",
        "reassured",
        "swore",
        "reminded",
        "reasoned",
        "elaborated",
        "clarified",
        "summarized",
        "summarised",
        "implored",
        "begged",
        "groaned",
        "wailed",
        "sobbed",
        "shrieked",
        "cheered",
        "exulted",
        "greeted",
    ]
    .into_iter()
    .collect()
});

/// Participles that report speech in a clause hung on the sentence's subject
/// ("Trump hit back, saying “…”").
static PARTICIPLES: WordSet = LazyLock::new(|| {
    [
        "saying",
        "adding",
        "telling",
        "writing",
        "noting",
        "explaining",
        "arguing",
        "asking",
        "insisting",
        "declaring",
        "warning",
        "tweeting",
        "stating",
        "calling",
        "describing",
        "claiming",
        "urging",
        "concluding",
        "joking",
        "promising",
        "labeling",
        "labelling",
        "dubbing",
        "branding",
        "asserting",
        "commenting",
        "yelling",
        "shouting",
        "chanting",
        "remarking",
        "announcing",
        "lecturing",
        "responding",
        "replying",
        "recalling",
        "stressing",
        "emphasizing",
        "emphasising",
        "exclaiming",
        "posting",
        "texting",
        "emailing",
        "pleading",
        "proclaiming",
        "acknowledging",
        "admitting",
        "conceding",
        "predicting",
        "quipping",
        "boasting",
        "complaining",
        "reminding",
        "vowing",
        "pledging",
        "suggesting",
        "demanding",
        "wondering",
        "cautioning",
        "reiterating",
        "repeating",
        "testifying",
        "countering",
        "retorting",
        "answering",
        "observing",
        "recounting",
        "confirming",
        "revealing",
        "mocking",
        "lamenting",
        "pointing",
    ]
    .into_iter()
    .collect()
});

/// Words that may sit between a subject and its verb ("Clinton has also said").
static BETWEEN: WordSet = LazyLock::new(|| {
    [
        "also",
        "later",
        "has",
        "had",
        "have",
        "would",
        "will",
        "then",
        "once",
        "previously",
        "recently",
        "reportedly",
        "repeatedly",
        "simply",
        "flatly",
        "quickly",
        "again",
        "earlier",
        "still",
        "even",
        "just",
        "often",
        "frequently",
        "famously",
        "publicly",
        "privately",
        "separately",
        "angrily",
        "bluntly",
        "candidly",
        "jokingly",
        "openly",
        "subsequently",
        "shortly",
        "ultimately",
        "finally",
        "further",
        "herself",
        "himself",
        "themselves",
        "once",
        "first",
        "initially",
        "last",
        "twice",
        "could",
        "might",
        "may",
        "did",
        "does",
        "do",
        "now",
        "never",
        "always",
        "already",
        "soon",
    ]
    .into_iter()
    .collect()
});

static DETERMINERS: WordSet = LazyLock::new(|| {
    [
        "the", "a", "an", "another", "his", "her", "their", "its", "our", "one", "some", "several",
        "two", "three", "many", "most", "other", "both", "each", "this", "that", "these", "those",
    ]
    .into_iter()
    .collect()
});

/// Words that end a description after "said …" ("said a spokesman on Monday").
static STOPS: WordSet = LazyLock::new(|| {
    [
        "on",
        "in",
        "at",
        "to",
        "during",
        "after",
        "before",
        "who",
        "which",
        "that",
        "while",
        "when",
        "as",
        "from",
        "by",
        "with",
        "for",
        "about",
        "of",
        "and",
        "but",
        "or",
        "in",
        "last",
        "this",
        "yesterday",
        "today",
        "tonight",
        "earlier",
        "later",
        "recently",
        "told",
        "said",
        "says",
        "adding",
        "noting",
        "according",
        "speaking",
        "referring",
        "because",
        "since",
        "if",
        "where",
        "whose",
        "is",
        "was",
        "has",
        "had",
        "had",
        "will",
        "would",
        "referencing",
    ]
    .into_iter()
    // The days of the week ("said a spokesman on Monday").
    .chain(TIME_WORDS.iter().copied().filter(|w| w.ends_with("day")))
    .collect()
});

/// Prepositions of place and circumstance: after "said Jo Roe" they
/// begin where or when she said it ("said Jo Roe outside Downing Street"),
/// not a role before another name.
static WHERE: WordSet = LazyLock::new(|| {
    [
        "outside",
        "inside",
        "near",
        "behind",
        "beside",
        "across",
        "around",
        "into",
        "over",
        "under",
        "between",
        "among",
        "against",
        "toward",
        "towards",
        "via",
        "within",
        "without",
        "beyond",
        "amid",
        "through",
        "upon",
        "ahead",
        "alongside",
        "despite",
        "following",
        "including",
        "until",
    ]
    .into_iter()
    .collect()
});

/// Capitalised words that begin sentences or clauses and are not names,
/// with the days and months of [`TIME_WORDS`].
static NOT_NAMES: WordSet = LazyLock::new(|| {
    [
        "the",
        "a",
        "an",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "in",
        "on",
        "at",
        "as",
        "if",
        "when",
        "while",
        "after",
        "before",
        "then",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "still",
        "also",
        "now",
        "meanwhile",
        "however",
        "instead",
        "later",
        "earlier",
        "asked",
        "speaking",
        "march",
        "june",
        "july",
        "it",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "we",
        "they",
        "i",
        "he",
        "she",
        "you",
        "for",
        "by",
        "with",
        "from",
        "to",
        "of",
        "last",
        "today",
        "yesterday",
        "tonight",
        "according",
        "despite",
        "though",
        "although",
        "because",
        "since",
        "what",
        "who",
        "why",
        "how",
        "where",
        "which",
        "one",
        "no",
        "not",
        "yes",
        "well",
        "oh",
        "said",
        "says",
        "told",
        "added",
        "wrote",
        "both",
        "all",
        "some",
        "many",
        "most",
        "every",
        "each",
        "during",
        "even",
        "just",
        "only",
        "perhaps",
        "indeed",
    ]
    .into_iter()
    // Days and months open sentences too ("Monday's vote"): their full
    // names, not the short forms.
    .chain(TIME_WORDS.iter().copied().filter(|w| w.len() > 4))
    .collect()
});

/// Days and months: a name stops before them ("Lavrov Monday").
static TIME_WORDS: WordSet = LazyLock::new(|| {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "april",
        "august",
        "september",
        "october",
        "november",
        "december",
        "feb",
        "apr",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
    ]
    .into_iter()
    .collect()
});

pub fn is_speech_verb(t: &Token) -> bool {
    in_list(t, &SPEECH_VERBS)
}

/// A speech verb in use, not a noun of the same form after a determiner
/// or a number ("one of the states", "her claims", "45 states"), nor a
/// capitalised word inside a name or title ("Secretary of State Jo Roe said").
fn verb_at(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if !is_speech_verb(t) {
        return false;
    }
    let Some(p) = i.checked_sub(1).map(|p| &tokens[p]) else {
        return true;
    };
    let noun = matches!(
        p.lower().as_str(),
        "the" | "a" | "an" | "his" | "her" | "their" | "its" | "our" | "my" | "your"
    ) || (is_possessive(p) && p.is_capitalised())
        || p.text.chars().all(|c| c.is_ascii_digit());
    let in_name = t.is_capitalised() && p.is_word();
    !noun && !in_name
}

fn is_participle(t: &Token) -> bool {
    in_list(t, &PARTICIPLES)
}

/// A set of lower-case words, built once.
type WordSet = LazyLock<HashSet<&'static str>>;

/// Whether the word, lower-cased and without a final stop, is in `set`.
/// Short ASCII words are folded on the stack: this runs for every word.
fn in_list(t: &Token, set: &WordSet) -> bool {
    let w = t.text.trim_end_matches('.');
    if !t.is_word() {
        return false;
    }
    let mut buf = [0u8; 24];
    if w.len() <= buf.len() && w.is_ascii() {
        let b = &mut buf[..w.len()];
        b.copy_from_slice(w.as_bytes());
        b.make_ascii_lowercase();
        std::str::from_utf8(b).is_ok_and(|l| set.contains(l))
    } else {
        set.contains(w.to_lowercase().as_str())
    }
}

/// A personal pronoun that can stand for a speaker.
fn pronoun(t: &Token) -> Option<Gender> {
    if !t.is_word() {
        return None;
    }
    match t.lower().as_str() {
        "he" => Some(Gender::Male),
        "she" => Some(Gender::Female),
        "i" | "we" | "they" => Some(Gender::Unknown),
        _ => None,
    }
}

/// A lower-case "-ly" word between a subject and its verb ("then loudly asked").
fn is_adverb(t: &Token) -> bool {
    t.is_word() && !t.is_capitalised() && t.text.len() > 4 && t.text.ends_with("ly")
}

fn is_possessive(t: &Token) -> bool {
    let s = t.text;
    t.is_word()
        && (s.ends_with("'s") || s.ends_with("’s") || s.ends_with("s'") || s.ends_with("s’"))
}

/// A word that can be part of a name: capitalised, an initial, a title
/// ("Sen."), or a particle ("de", "van") followed by a capitalised word.
pub fn name_word(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if !t.is_word() {
        return false;
    }
    if t.is_capitalised() {
        return !in_list(t, &TIME_WORDS) && !is_speech_verb(t);
    }
    // "al-Assad", "el-Sisi"
    let prefixed = ["al-", "el-"].iter().any(|p| {
        t.text
            .strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(char::is_uppercase))
    });
    if prefixed {
        return true;
    }
    // "de Blasio", "von der Leyen": particles before a capitalised word.
    let mut k = i;
    while tokens.get(k).is_some_and(is_particle) && k - i < 3 {
        k += 1;
    }
    k > i
        && tokens
            .get(k)
            .is_some_and(|n| n.is_word() && n.is_capitalised())
}

fn is_particle(t: &Token) -> bool {
    t.is_word()
        && matches!(
            t.lower().as_str(),
            "de" | "van"
                | "von"
                | "der"
                | "den"
                | "ter"
                | "bin"
                | "ibn"
                | "al"
                | "da"
                | "du"
                | "le"
                | "la"
                | "del"
                | "della"
                | "di"
                | "dos"
                | "das"
        )
}

/// A name as written, without a possessive ending ("Trump's" -> "Trump").
pub fn join_name(tokens: &[Token]) -> String {
    let s = join(tokens);
    for end in ["'s", "’s"] {
        if let Some(stem) = s.strip_suffix(end) {
            return stem.to_owned();
        }
    }
    s
}

fn join(tokens: &[Token]) -> String {
    let mut s = String::new();
    for t in tokens {
        if !s.is_empty() && t.is_word() {
            s.push(' ');
        }
        s.push_str(t.text);
    }
    s
}

/// A capitalised name sequence `tokens[i..j]` trimmed of leading words
/// that only begin a sentence; `None` when nothing is left.
pub fn trim_name(tokens: &[Token], mut i: usize, j: usize) -> Option<usize> {
    while i < j && (in_list(&tokens[i], &NOT_NAMES) || !tokens[i].is_word()) {
        i += 1;
    }
    (i < j).then_some(i)
}

/// The subject ending right before `tokens[v]`, no further back than `lo`:
/// a name (through an apposition between commas), a description with its
/// determiner, or a pronoun. Returns it with the index it starts at.
pub fn subject_before(tokens: &[Token], lo: usize, v: usize) -> Option<(Who, usize)> {
    let (who, i) = nearest_subject(tokens, lo, v)?;
    // "Protesters marching through the streets chanted", "a source close
    // to Jo Roe said": the noun after the preposition only modifies.
    let modifier = i >= lo + 3
        && matches!(&who, Who::Named(_))
        && matches!(
            tokens[i - 1].lower().as_str(),
            "to" | "with"
                | "through"
                | "from"
                | "at"
                | "near"
                | "on"
                | "in"
                | "outside"
                | "inside"
                | "into"
                | "for"
                | "about"
                | "by"
                | "across"
                | "along"
                | "around"
        )
        && {
            let m = &tokens[i - 2];
            m.is_word()
                && !m.is_capitalised()
                && (m.text.ends_with("ing")
                    || m.text.ends_with("ed")
                    || matches!(m.text, "close" | "familiar" | "near"))
        };
    if modifier {
        if let Some(found) = nearest_subject(tokens, lo, i - 2) {
            return Some(found);
        }
    }
    Some((who, i))
}

/// [`subject_before`] without looking past a modifying phrase.
fn nearest_subject(tokens: &[Token], lo: usize, v: usize) -> Option<(Who, usize)> {
    let mut j = v;
    while j > lo && (in_list(&tokens[j - 1], &BETWEEN) || is_adverb(&tokens[j - 1])) {
        j -= 1;
    }
    if j > lo + 1 && tokens[j - 1].lower() == "who" {
        // "Jo Roe, who has called the plan …": the relative's antecedent.
        j -= 1;
        if tokens[j - 1].is(',') {
            j -= 1;
        }
    }
    if j > lo && tokens[j - 1].is(')') {
        // "Rep. Jane Roe (D-Ore.) said"
        let k = (lo..j - 1).rev().take(12).find(|&k| tokens[k].is('('))?;
        j = k;
    }
    if j > lo && tokens[j - 1].is(',') {
        // "Michael McFaul, a former U.S. ambassador to Russia, said"
        let k = (lo..j - 1).rev().take(30).find(|&k| tokens[k].is(','))?;
        if k == lo {
            return None;
        }
        // Between the commas is an apposition ("a former envoy", "70"),
        // unless it is the name itself after an opening phrase
        // ("After the vote, Gov. Jo Roe (R-Ohio), said") or after a
        // description ("The mayor's aide, Jo Roe, said").
        let inner = &tokens[k + 1];
        let after_description = tokens[k - 1].is_word()
            && !tokens[k - 1].is_capitalised()
            && j - 1 - (k + 1) <= 5
            && (k + 1..j - 1).all(|x| name_word(tokens, x));
        let is_name = name_word(tokens, k + 1)
            && !in_list(inner, &NOT_NAMES)
            && j >= 2
            && (tokens[j - 2].is(')') || after_description);
        j = if is_name { j - 1 } else { k };
        while j > lo && tokens[j - 1].is(')') {
            let Some(open) = (lo..j - 1).rev().take(12).find(|&k| tokens[k].is('(')) else {
                break;
            };
            j = open;
        }
    }
    if j == lo {
        return None;
    }
    let last = &tokens[j - 1];
    if let Some(g) = pronoun(last) {
        return Some((Who::Pronoun(g), j - 1));
    }
    if !last.is_word() {
        return None;
    }
    if last.is_capitalised() && !in_list(last, &NOT_NAMES) {
        let mut i = j - 1;
        while i > lo && name_word(tokens, i - 1) {
            i -= 1;
        }
        let i = trim_name(tokens, i, j)?;
        // "the Kremlin", "the White House": keep the article with the name.
        let i = if i > lo && tokens[i - 1].text == "the" {
            i - 1
        } else {
            i
        };
        return Some((Who::Named(join_name(&tokens[i..j])), i));
    }
    // A description: "a Pentagon spokesman", "the group's leader", "officials".
    let mut i = j - 1;
    let mut bounded = false;
    while i > lo && j - i < 6 {
        let p = &tokens[i - 1];
        if in_list(p, &DETERMINERS) || is_possessive(p) {
            i -= 1;
            bounded = true;
            break;
        }
        if !p.is_word() || in_list(p, &STOPS) || is_speech_verb(p) || pronoun(p).is_some() {
            break;
        }
        i -= 1;
    }
    // "the two said" is a subject; "the said" or "of said" is not.
    let counted = i + 2 == j && tokens[i].text == "the";
    if (in_list(&tokens[j - 1], &DETERMINERS) && !counted) || in_list(&tokens[j - 1], &STOPS) {
        return None;
    }
    (bounded || j - i <= 2).then(|| (Who::Named(join(&tokens[i..j])), i))
}

/// The subject starting at `tokens[i]` (after "said" or "according to").
pub fn subject_after(tokens: &[Token], i: usize) -> Option<Who> {
    let t = tokens.get(i)?;
    if let Some(g) = pronoun(t) {
        return Some(Who::Pronoun(g));
    }
    if !t.is_word() {
        return None;
    }
    // The last capitalised run of a short description: "said Clinton
    // spokesman Brian Fallon", "said Oversight ranking Democrat Jo Roe",
    // "said General Motors chief executive Mary Barra"; one run across
    // "of" or "and" when a title follows, to be cut there later ("said
    // Bank of England Governor Andrew Bailey").
    let name_from = |i: usize| -> Option<Who> {
        let mut j = i;
        let mut run = (i, i);
        while j < tokens.len() && j - i < 10 && tokens[j].is_word() {
            if name_word(tokens, j) {
                if run.1 != j {
                    run = (j, j);
                }
                run.1 = j + 1;
            } else if run.1 == j && joins_titled_name(tokens, run.0, j) {
                run.1 = j + 1;
            } else if in_list(&tokens[j], &STOPS)
                || (!tokens[j].is_capitalised() && !role_words_then_name(tokens, j))
            {
                break;
            }
            j += 1;
        }
        let (i, j) = run;
        let i = trim_name(tokens, i, j)?;
        Some(Who::Named(join_name(&tokens[i..j])))
    };
    if in_list(t, &DETERMINERS) || is_possessive(t) {
        let mut j = i + 1;
        while j < tokens.len() && j - i < 7 && tokens[j].is_word() && !in_list(&tokens[j], &STOPS) {
            j += 1;
        }
        if j - i < 2 {
            return None;
        }
        // "said the company's chief executive, Tim Cook."
        if let Some(name) = apposed_after(tokens, j) {
            return Some(name);
        }
        // "the Kremlin", "a Pentagon spokesman"
        return Some(Who::Named(join(&tokens[i..j])));
    }
    if t.is_capitalised() {
        return name_from(i);
    }
    // "said former president Bill Clinton", "said campaign spokesman Brian Fallon"
    let mut j = i;
    while j < tokens.len() && j - i < 4 && tokens[j].is_word() && !tokens[j].is_capitalised() {
        if in_list(&tokens[j], &STOPS) {
            break;
        }
        j += 1;
    }
    if j < tokens.len() && j > i && name_word(tokens, j) && !in_list(&tokens[j], &NOT_NAMES) {
        return name_from(j);
    }
    // "said officials", "said police"
    if j == i + 1
        && tokens.get(j).is_none_or(|n| !n.is_word())
        && !matches!(
            t.text,
            "it" | "this" | "that" | "me" | "us" | "him" | "her" | "them" | "you"
        )
    {
        return Some(Who::Named(t.text.to_owned()));
    }
    None
}

/// The name in apposition after a description ending at `tokens[j]`:
/// ", Tim Cook." — a short capitalised run between a comma and the end
/// of the words or another comma.
fn apposed_after(tokens: &[Token], j: usize) -> Option<Who> {
    if !tokens.get(j)?.is(',') {
        return None;
    }
    let start = j + 1;
    let mut end = start;
    while end < tokens.len() && end - start < 5 && name_word(tokens, end) {
        end += 1;
    }
    let closed = tokens
        .get(end)
        .is_none_or(|t| t.is(',') || t.ends_sentence());
    if end == start || !closed || in_list(&tokens[start], &NOT_NAMES) {
        return None;
    }
    Some(Who::Named(join_name(&tokens[start..end])))
}

/// Whether `tokens[j]` ("of", "and") joins the name before it to a name
/// with a title after it: "Bank of England Governor Andrew Bailey",
/// "Economic and Fiscal Policy Minister Heizo Takenaka" — not "Jo Roe of
/// Acme Corp", which is a name and where the person works.
fn joins_titled_name(tokens: &[Token], from: usize, j: usize) -> bool {
    if !matches!(tokens[j].text, "of" | "and" | "&") {
        return false;
    }
    // "Secretary of State Jo Roe": the "of" is inside a title that no name
    // has followed yet ("Rep. Peter King of New York" is a name, then a place).
    let title_of = tokens[j].text == "of"
        && from < j
        && tokens[from..j].iter().all(|t| names::is_title(t.text));
    let titled_word = |t: &Token| t.is_capitalised() && names::is_title(t.text);
    let rest =
        (j + 1..tokens.len()).take_while(|&k| name_word(tokens, k) || titled_word(&tokens[k]));
    let mut titled = false;
    let mut len = 0;
    for k in rest {
        titled |= names::is_head_title(tokens[k].text);
        len += 1;
    }
    (titled || title_of) && len >= 2
}

/// Whether the lower-case words from `tokens[j]` are a role between a
/// name and the next one: at most three words, none of them a [`STOPS`]
/// or [`WHERE`] word, then a name ("chief executive", "chief financial
/// officer"); "said Jo Roe outside Downing Street" has none.
fn role_words_then_name(tokens: &[Token], j: usize) -> bool {
    (j..tokens.len().min(j + 4))
        .find(|&k| {
            let t = &tokens[k];
            !t.is_word() || t.is_capitalised() || in_list(t, &STOPS) || in_list(t, &WHERE)
        })
        .is_some_and(|k| k > j && name_word(tokens, k))
}

/// "according to X" starting at `tokens[i]`.
fn according_to(tokens: &[Token], i: usize) -> Option<Who> {
    (tokens[i].lower() == "according" && tokens.get(i + 1).is_some_and(|t| t.lower() == "to"))
        .then(|| subject_after(tokens, i + 2))
        .flatten()
}

/// The attribution in the words right after a quote, up to the end of
/// the sentence: "…,” Lavrov said", "…,” said Lavrov", "…,” he told
/// reporters", "…,” according to the Kremlin". `closed_sentence` is true
/// when the quote itself ended with a full stop, so the words after it
/// begin a new sentence and only a bare "Lavrov said." still counts.
pub fn after(tokens: &[Token], closed_sentence: bool) -> Option<Attribution> {
    let lo = tokens.iter().position(|t| t.is_word())?;
    if tokens[..lo].iter().any(|t| t.ends_sentence() || t.is(':')) {
        return None;
    }
    // A credit line: "“…” ― Jane Roe."
    if lo == 1 && tokens[0].text.chars().all(|c| "―—–-".contains(c)) && tokens[lo].is_capitalised()
    {
        let mut j = lo;
        while j < tokens.len() && name_word(tokens, j) {
            j += 1;
        }
        if j - lo <= 5 && tokens.get(j).is_none_or(|t| !t.is_word()) {
            return Some(Attribution {
                who: Who::Named(join_name(&tokens[lo..j])),
                adjacent: true,
            });
        }
    }
    if let Some(who) = according_to(tokens, lo) {
        return Some(Attribution {
            who,
            adjacent: true,
        });
    }
    // Verb first: "said Lavrov", "says the report", "added Mr. Lavrov".
    let mut v = lo;
    while v < tokens.len() && in_list(&tokens[v], &BETWEEN) {
        v += 1;
    }
    if v < tokens.len() && is_speech_verb(&tokens[v]) {
        if let Some(who) = subject_after(tokens, v + 1) {
            return Some(Attribution {
                who,
                adjacent: true,
            });
        }
    }
    // Subject first: "Lavrov said", "Michael McFaul, a former ambassador, said".
    let v = (lo..tokens.len().min(lo + 40)).find(|&i| verb_at(tokens, i))?;
    let (who, start) = match subject_before(tokens, lo, v) {
        Some((who, start)) if start == lo => (who, start),
        found => apposed_name(tokens, lo, v).map(|who| (who, lo)).or(found)?,
    };
    // A few words may qualify the name ("Snyder spokesman Dave Murray said"),
    // or the partial quote's sentence goes on to a closing attribution
    // ("“…” of the plan, Mr. Roe said."), or the name is in apposition to
    // a description ("“…” the mayor's aide, Jo Roe, said").
    let qualified = start - lo <= 6
        && tokens[lo..start]
            .iter()
            .all(|t| t.is_word() || t.is('$') || t.is('.'));
    let closing = start > lo
        && tokens[start - 1].is(',')
        && !closed_sentence
        && tokens[v + 1..].iter().filter(|t| t.is_word()).count() <= 4;
    let described = start > lo
        && tokens[start - 1].is(',')
        && start - lo <= 10
        && (in_list(&tokens[lo], &DETERMINERS)
            || is_possessive(&tokens[lo])
            || !tokens[lo].is_capitalised())
        && tokens[lo..start - 1].iter().all(Token::is_word)
        && matches!(&who, Who::Named(n) if is_proper(n))
        && tokens[start..v].iter().any(|t| t.is(','));
    if !qualified && !closing && !described {
        return None;
    }
    if closed_sentence && tokens[lo].is_capitalised() {
        // "“We won.” Smith said the team …" begins a new sentence that
        // reports another statement; "Smith said, adding …" does not.
        let rest = &tokens[v + 1..];
        let reported = rest.first().is_some_and(|t| t.lower() == "that")
            || rest.iter().filter(|t| t.is_word()).count() > 10;
        if reported && !rest.first().is_some_and(|t| t.is(',')) {
            return None;
        }
    }
    Some(Attribution {
        who,
        adjacent: true,
    })
}

/// "“…” Jo Roe, 81 and retired in Ohio, said": the name right after the
/// quote, then appositions up to a comma before the verb at `v`.
fn apposed_name(tokens: &[Token], lo: usize, v: usize) -> Option<Who> {
    let mut e = lo;
    while e < v && name_word(tokens, e) {
        e += 1;
    }
    let i = trim_name(tokens, lo, e)?;
    if i != lo || e - i > 6 {
        return None;
    }
    let mut w = v;
    while w > e && (in_list(&tokens[w - 1], &BETWEEN) || is_adverb(&tokens[w - 1])) {
        w -= 1;
    }
    let apposition =
        tokens.get(e).is_some_and(|t| t.is(',') || t.is('(')) && w > e + 1 && tokens[w - 1].is(',');
    apposition.then(|| Who::Named(join_name(&tokens[i..e])))
}

/// The attribution in the sentence before a quote: "Lavrov said: “…”",
/// "Lavrov said that “…”", "according to Lavrov, “…”", "Lavrov described
/// the talks as “…”", "Trump hit back, saying “…”".
///
/// `cut` says the words start right after an earlier quote of the same
/// sentence, so a participle there hangs on that quote's speaker.
pub fn before(tokens: &[Token], cut: bool) -> Option<Attribution> {
    let n = tokens.len();
    // "Clinton: “…”" as in a transcript or a list of reactions, also after
    // a headline and a dash ("VOTERS ARE TIRED - Jo Roe: “…”").
    let dash = tokens
        .iter()
        .rposition(|t| t.text.chars().all(|c| "-—–―".contains(c)));
    let from = dash.map_or(0, |d| d + 1);
    if n >= from + 2 && tokens[n - 1].is(':') && n - from <= 5 {
        let name = &tokens[from..n - 1];
        if name.iter().all(|t| t.is_word() && t.is_capitalised()) && !in_list(&name[0], &NOT_NAMES)
        {
            return Some(Attribution {
                who: Who::Named(join_name(name)),
                adjacent: true,
            });
        }
    }
    // "Mr. Roe gloated: “…”": a name and a verb we do not know, then a colon.
    if n >= 3 && tokens[n - 1].is(':') && !tokens.iter().any(is_speech_verb) {
        let k = tokens
            .iter()
            .take_while(|t| t.is_word() && t.is_capitalised())
            .count();
        let rest = &tokens[k..n - 1];
        let verb_like = (1..=2).contains(&rest.len())
            && rest.iter().all(|t| t.is_word() && !t.is_capitalised())
            && rest
                .last()
                .is_some_and(|t| t.text.ends_with("ed") || t.text.ends_with('s'));
        if let Some(i) = trim_name(tokens, 0, k).filter(|_| verb_like) {
            return Some(Attribution {
                who: Who::Named(join_name(&tokens[i..k])),
                adjacent: true,
            });
        }
    }
    let v = (0..n).rev().find(|&i| {
        verb_at(tokens, i)
            || is_participle(&tokens[i])
            || according(tokens, i)
            || put_it(tokens, i)
            || issued_statement(tokens, i)
    });
    let Some(v) = v else {
        // "Roe went further: “…”": a sentence that introduces the quote
        // with a colon speaks through its subject.
        if n < 3 || !tokens[n - 1].is(':') || cut {
            return None;
        }
        let who = clause_subject(&tokens[..n - 1], true)?;
        return Some(Attribution {
            who,
            adjacent: true,
        });
    };
    // Adjacent: nothing but a few words (the addressee, "in a statement")
    // and a colon or comma between the verb and the quote.
    let tail = &tokens[v + 1..];
    let adjacent = tail.iter().filter(|t| t.is_word()).count() <= 6
        && tail
            .last()
            .is_none_or(|t| t.is(':') || t.is(',') || t.is_word());
    if according(tokens, v) {
        let who = subject_after(tokens, v + 2)?;
        return Some(Attribution {
            who,
            adjacent: true,
        });
    }
    if passive(tokens, v) {
        // "Roe was asked: “…”" quotes whoever asked, not Roe; "Roe was
        // asked by Jo Doe" names the one who did.
        let by = tokens.get(v + 1).is_some_and(|t| t.text == "by");
        let who = by.then(|| subject_after(tokens, v + 2)).flatten()?;
        return Some(Attribution { who, adjacent });
    }
    // "Said Lavrov: “…”" inverts only at the start of a clause.
    let clause_start = (0..v)
        .rev()
        .find(|&u| !in_list(&tokens[u], &BETWEEN))
        .is_none_or(|u| !tokens[u].is_word());
    let who = if is_participle(&tokens[v]) {
        // The subject of the sentence the participle hangs on, or of the
        // attribution just before it ("…, Roe said, adding: “…”").
        if cut {
            Who::Previous
        } else if let Some(who) = attribution_before_participle(tokens, v) {
            who
        } else {
            sentence_subject(&tokens[..v])?
        }
    } else if let Some((who, _)) = subject_before(tokens, 0, v) {
        who
    } else if let Some(who) = subject_after(tokens, v + 1)
        .filter(|who| (clause_start || matches!(who, Who::Pronoun(_))) && !addresses(&tokens[v]))
    {
        // "Said Lavrov: “…”", "… said she wanted “…”"; after "told" comes
        // whom the speaker told.
        who
    } else if let Some(who) = sentence_subject(&tokens[..v]) {
        // A second verb of the subject: "Roe nodded and said, “…”".
        who
    } else if cut {
        // "… “…” and called it “…”" goes on with the earlier quote's speaker.
        Who::Previous
    } else {
        return None;
    };
    Some(Attribution { who, adjacent })
}

/// Verbs whose object is the one spoken to: "told his supporters" does not
/// name a speaker.
fn addresses(t: &Token) -> bool {
    matches!(
        t.lower().as_str(),
        "told"
            | "tells"
            | "asked"
            | "asks"
            | "urged"
            | "urges"
            | "warned"
            | "warns"
            | "reminded"
            | "assured"
            | "reassured"
            | "pressed"
            | "questioned"
            | "scolded"
            | "chided"
            | "lectured"
            | "greeted"
            | "needled"
            | "interrupted"
            | "quizzed"
            | "begged"
            | "implored"
            | "advised"
            | "called"
            | "calls"
            | "labeled"
            | "labelled"
            | "dubbed"
            | "termed"
            | "branded"
            | "described"
            | "likened"
    )
}

/// "Roe was asked", "after being told": the subject is spoken to.
fn passive(tokens: &[Token], v: usize) -> bool {
    let mut u = v;
    while u > 0 && (in_list(&tokens[u - 1], &BETWEEN) || is_adverb(&tokens[u - 1])) {
        u -= 1;
    }
    u > 0
        && tokens[v].text.ends_with("ed")
        && matches!(
            tokens[u - 1].lower().as_str(),
            "was" | "were" | "is" | "are" | "be" | "been" | "being"
        )
}

/// "…, Roe said, adding" or "…, said Roe, adding": the attribution right
/// before the participle at `v`.
fn attribution_before_participle(tokens: &[Token], v: usize) -> Option<Who> {
    if v < 2 || !tokens[v - 1].is(',') {
        return None;
    }
    if is_speech_verb(&tokens[v - 2]) {
        return subject_before(tokens, 0, v - 2).map(|(who, _)| who);
    }
    let u = (v.saturating_sub(8)..v - 1)
        .rev()
        .find(|&u| is_speech_verb(&tokens[u]))?;
    (u + 2..v - 1)
        .all(|x| name_word(tokens, x))
        .then(|| subject_after(tokens, u + 1))
        .flatten()
}

/// "Jo Roe issued a statement: “…”".
fn issued_statement(tokens: &[Token], i: usize) -> bool {
    matches!(tokens[i].text, "issued" | "released" | "sent" | "posted")
        && tokens[i + 1..]
            .iter()
            .take(4)
            .any(|t| t.text.starts_with("statement"))
}

/// "As Jo Roe put it, “…”".
fn put_it(tokens: &[Token], i: usize) -> bool {
    tokens[i].text == "put" && tokens.get(i + 1).is_some_and(|t| t.text == "it")
}

fn according(tokens: &[Token], i: usize) -> bool {
    tokens[i].lower() == "according" && tokens.get(i + 1).is_some_and(|t| t.lower() == "to")
}

/// The first name or pronoun of a clause, skipping an opening phrase.
fn sentence_subject(tokens: &[Token]) -> Option<Who> {
    clause_subject(tokens, false)
}

/// The first name or pronoun of a clause; with `with_verb`, only one that
/// a verb follows ("Roe went further"), not a lone heading word.
fn clause_subject(tokens: &[Token], with_verb: bool) -> Option<Who> {
    // An opening phrase ("Appearing before supporters, …", "After the
    // vote, …") ends at the first comma.
    let opening = tokens.first().is_some_and(|t| {
        let preposition = matches!(
            t.lower().as_str(),
            "after"
                | "before"
                | "in"
                | "on"
                | "at"
                | "during"
                | "when"
                | "while"
                | "as"
                | "despite"
                | "although"
                | "though"
                | "since"
                | "because"
                | "if"
                | "with"
        );
        preposition || (t.is_capitalised() && t.text.ends_with("ing"))
    });
    let from = if opening {
        tokens.iter().position(|t| t.is(',')).map_or(0, |c| c + 1)
    } else {
        0
    };
    // The subject is the first name or pronoun followed by a verb-like
    // lower-case word ("Here in Columbia, Sanders stepped up …"); failing
    // that, the first name at all.
    let mut first = None;
    let mut i = from;
    while i < tokens.len() {
        let t = &tokens[i];
        if let Some(g) = pronoun(t) {
            return Some(Who::Pronoun(g));
        }
        if t.is_word() && t.is_capitalised() && !in_list(t, &NOT_NAMES) {
            let mut j = i;
            while j < tokens.len() && name_word(tokens, j) {
                j += 1;
            }
            let who = Who::Named(join_name(&tokens[i..j]));
            let verb_next = tokens.get(j).is_some_and(|n| {
                n.is_word()
                    && !n.is_capitalised()
                    && !in_list(n, &DETERMINERS)
                    && (!in_list(n, &STOPS)
                        || (with_verb
                            && matches!(n.text, "is" | "was" | "has" | "had" | "will" | "would")))
            });
            // "Roe, who has long opposed it, called …"
            let relative = tokens.get(j).is_some_and(|n| n.is(','))
                && tokens.get(j + 1).is_some_and(|n| n.lower() == "who");
            if relative {
                return Some(who);
            }
            if verb_next {
                return Some(who);
            }
            first.get_or_insert(who);
            // A capitalised word that cannot be in a name ("Monday") still moves on.
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    first.filter(|_| !with_verb)
}

/// Whether a name is a person's rather than a description or a body:
/// it is capitalised throughout after its titles.
pub fn is_proper(name: &str) -> bool {
    let bare = names::strip_titles(name);
    bare.split_whitespace().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn named(s: &str) -> Option<Who> {
        Some(Who::Named(s.to_owned()))
    }

    fn after_of(s: &str) -> Option<Who> {
        after(&tokenize(s, 0), false).map(|a| a.who)
    }

    fn before_of(s: &str) -> Option<Who> {
        before(&tokenize(s, 0), false).map(|a| a.who)
    }

    #[test]
    fn name_then_verb_after_the_quote() {
        assert_eq!(
            after_of(" Sergei Lavrov said on Monday."),
            named("Sergei Lavrov")
        );
        assert_eq!(
            after_of(" Foreign Minister Sergei Lavrov told reporters."),
            named("Foreign Minister Sergei Lavrov")
        );
        assert_eq!(after_of(" Mr. Lee has also said."), named("Mr. Lee"));
        assert_eq!(after_of(" he added."), Some(Who::Pronoun(Gender::Male)));
        assert_eq!(
            after_of(" Jane Roe, a former envoy to Chile, said in an interview."),
            named("Jane Roe")
        );
        assert_eq!(
            after_of(" a Navy spokesman said."),
            named("a Navy spokesman")
        );
        assert_eq!(
            after_of(" the Kremlin said in a statement."),
            named("the Kremlin")
        );
        assert_eq!(after_of(" officials said."), named("officials"));
    }

    #[test]
    fn verb_then_name_after_the_quote() {
        assert_eq!(
            after_of(" said Jane Roe, a former envoy."),
            named("Jane Roe")
        );
        assert_eq!(after_of(" said former governor Tim Doe."), named("Tim Doe"));
        assert_eq!(
            after_of(" said a spokeswoman for the mayor."),
            named("a spokeswoman")
        );
        assert_eq!(
            after_of(" according to the ministry."),
            named("the ministry")
        );
        assert_eq!(after_of(" wrote Ann Poe on Twitter."), named("Ann Poe"));
    }

    #[test]
    fn new_sentence_after_a_closed_quote_is_not_an_attribution() {
        let t = tokenize(
            " Smith said the plan would fail within a year or two at the very latest.",
            0,
        );
        assert_eq!(after(&t, true), None);
        let t = tokenize(" Smith said.", 0);
        assert!(after(&t, true).is_some());
        assert_eq!(after_of(" The vote is on Tuesday."), None);
    }

    #[test]
    fn attribution_before_the_quote() {
        assert_eq!(before_of("Tim Doe said:"), named("Tim Doe"));
        assert_eq!(
            before_of("In a statement, the ministry said that"),
            named("the ministry")
        );
        assert_eq!(before_of("According to Ann Poe,"), named("Ann Poe"));
        assert_eq!(
            before_of("She told the crowd on Friday:"),
            Some(Who::Pronoun(Gender::Female))
        );
        assert_eq!(
            before_of("Ann Poe described the talks as"),
            named("Ann Poe")
        );
        assert_eq!(
            before_of("Tim Doe hit back on Twitter, writing,"),
            named("Tim Doe")
        );
        assert_eq!(before_of("The weather was"), None);
    }

    #[test]
    fn parenthetical_and_adverb_before_the_verb() {
        assert_eq!(
            after_of(" Rep. Jane Roe (D-Ore.) said."),
            named("Rep. Jane Roe")
        );
        assert_eq!(after_of(" Jane Roe then angrily asked."), named("Jane Roe"));
        let t = tokenize(", adding,", 0);
        assert_eq!(before(&t, true).map(|a| a.who), Some(Who::Previous));
    }

    #[test]
    fn credit_line_after_the_quote() {
        assert_eq!(after_of(" ― Jane Roe."), named("Jane Roe"));
        assert_eq!(after_of(" — and then it rained."), None);
    }

    #[test]
    fn more_attributions() {
        assert_eq!(before_of("And Mr. Roe beamed:"), named("Mr. Roe"));
        assert_eq!(before_of("The crowd swayed:"), None);
        assert_eq!(before_of("Ann Poe smiled and said,"), named("Ann Poe"));
        assert_eq!(
            after_of(" said Clinton spokesman Brian Fallon."),
            named("Brian Fallon")
        );
        assert_eq!(
            after_of(" said Sen. Jo Roe on Monday."),
            named("Sen. Jo Roe")
        );
    }

    #[test]
    fn a_verb_inside_a_title_is_not_the_verb() {
        assert_eq!(
            after_of(" Secretary of State Jo Roe said."),
            named("Jo Roe")
        );
        // "States" of "the United States" is no verb, nor "states" after a number.
        assert_eq!(
            after_of(" the United States would act, Jo Roe said."),
            named("Jo Roe")
        );
        assert_eq!(after_of(" Ohio is one of 45 states with such a law."), None);
    }

    #[test]
    fn roles_and_organisations_before_the_name() {
        assert_eq!(
            after_of(" said General Motors chief executive Mary Barra."),
            named("Mary Barra")
        );
        assert_eq!(
            after_of(" said Acme Corp chief financial officer Jo Roe."),
            named("Jo Roe")
        );
        // One run, cut at the title when the speaker is named.
        assert_eq!(
            after_of(" said Bank of England Governor Andrew Bailey."),
            named("Bank of England Governor Andrew Bailey")
        );
        assert_eq!(
            after_of(" said Economic and Fiscal Policy Minister Heizo Takenaka."),
            named("Economic and Fiscal Policy Minister Heizo Takenaka")
        );
        // "State" can be a verb, not a name word; it does not end the run.
        assert_eq!(
            after_of(" said State Senator Jo Roe."),
            named("Senator Jo Roe")
        );
        assert_eq!(
            after_of(" said the company's chief executive, Tim Cook."),
            named("Tim Cook")
        );
        assert_eq!(
            after_of(" said Secretary of State Jo Roe."),
            named("Jo Roe")
        );
        // A name, then where the speaker works or was: the name.
        assert_eq!(after_of(" said Jo Roe of Acme Corp."), named("Jo Roe"));
        assert_eq!(after_of(" said Jo Roe of Prime Capital."), named("Jo Roe"));
        assert_eq!(
            after_of(" said Representative Peter T. King of New York."),
            named("Representative Peter T. King")
        );
        assert_eq!(
            after_of(" said Jo Roe outside Downing Street."),
            named("Jo Roe")
        );
        assert_eq!(after_of(" said Jo Roe near Paris."), named("Jo Roe"));
        assert_eq!(
            after_of(" said the spokesman, adding that talks go on."),
            named("the spokesman")
        );
    }

    #[test]
    fn opening_phrases_and_stray_commas() {
        assert_eq!(
            before_of("After winning the primary, Gov. Jo Roe (R-Ohio), said,"),
            named("Gov. Jo Roe")
        );
        assert_eq!(
            before_of("Speaking to supporters, Jo Roe thanked them and said,"),
            named("Jo Roe")
        );
    }

    #[test]
    fn put_it_and_closing_attributions() {
        assert_eq!(before_of("As Jo Roe recently put it,"), named("Jo Roe"));
        assert_eq!(
            after_of(" of the new plan, Mr. Roe said."),
            named("Mr. Roe")
        );
        assert_eq!(
            after_of(" of the plan, and the plan said nothing at all about it."),
            None
        );
    }

    #[test]
    fn statements_and_headline_credits() {
        assert_eq!(before_of("Jo Roe issued a statement,"), named("Jo Roe"));
        assert_eq!(before_of("POLLS ARE TIGHT - Jo Roe:"), named("Jo Roe"));
    }

    #[test]
    fn sentence_subject_skips_places_and_time() {
        assert_eq!(
            before_of("Here in Ohio, Jo Roe spoke on Monday, saying"),
            named("Jo Roe")
        );
        assert_eq!(before_of("Monday Said Roe, saying"), named("Roe"));
    }

    #[test]
    fn wider_speech_lexicon() {
        assert_eq!(after_of(" a passer-by exclaimed."), named("a passer-by"));
        assert_eq!(after_of(" Ann Poe pointed out."), named("Ann Poe"));
        assert_eq!(
            before_of("Tim Doe took the stage, shouting"),
            named("Tim Doe")
        );
    }

    #[test]
    fn appositions_around_the_name() {
        assert_eq!(
            after_of(" Jo Roe, 81 and retired in Leeds, Kent, said by phone."),
            named("Jo Roe")
        );
        assert_eq!(
            after_of(" the mayor's press aide, Tim Doe, told the paper."),
            named("Tim Doe")
        );
        assert_eq!(
            before_of("Her older brother, Tim Doe, said:"),
            named("Tim Doe")
        );
        assert_eq!(after_of(" Jo Roe, R-Ky., said Tuesday."), named("Jo Roe"));
    }

    #[test]
    fn attribution_after_a_question() {
        let t = tokenize(" Ann Poe asked, turning to the crowd of supporters who had waited all night in the rain.", 0);
        assert_eq!(after(&t, true).map(|a| a.who), named("Ann Poe"));
    }

    #[test]
    fn objects_and_passives_are_not_speakers() {
        assert_eq!(
            before_of("Ann Poe skipped the debate but told her volunteers,"),
            named("Ann Poe")
        );
        assert_eq!(before_of("Tim Doe was asked,"), None);
        assert_eq!(
            before_of("Tim Doe was asked by the moderator,"),
            named("the moderator")
        );
        assert_eq!(before_of("Ann Poe then told me,"), named("Ann Poe"));
        assert_eq!(
            before_of("Tim Doe, who backed the levy, now said"),
            named("Tim Doe")
        );
        assert_eq!(
            before_of("Jo Roe once backed Ann Poe, but now said Tim Doe had"),
            named("Jo Roe")
        );
    }

    #[test]
    fn participle_after_an_attribution() {
        assert_eq!(
            before_of("The mill closed in May, Ann Poe said, adding,"),
            named("Ann Poe")
        );
        assert_eq!(
            before_of("The mill closed in May, said Tim Doe, explaining"),
            named("Tim Doe")
        );
        assert_eq!(
            before_of("OSLO, Dec. 3 (AP) Ann Poe left the room, saying:"),
            named("Ann Poe")
        );
        let t = tokenize("and called it", 0);
        assert_eq!(before(&t, true).map(|a| a.who), Some(Who::Previous));
    }

    #[test]
    fn nouns_that_look_like_speech_verbs() {
        assert_eq!(
            after_of(" Jo Roe, an ally of the states, said."),
            named("Jo Roe")
        );
        assert_eq!(
            before_of("Despite his claims, Tim Doe said:"),
            named("Tim Doe")
        );
    }

    #[test]
    fn name_particles_stay_in_names() {
        assert_eq!(
            after_of(" said Commission President Anneke van der Berg."),
            named("Commission President Anneke van der Berg")
        );
        assert_eq!(after_of(" Karim al-Hassan said."), named("Karim al-Hassan"));
        assert_eq!(
            after_of(" Jan de la Cruz told reporters."),
            named("Jan de la Cruz")
        );
    }

    #[test]
    fn modifiers_after_the_subject() {
        assert_eq!(
            after_of(" a reporter standing near Tim Doe asked."),
            named("a reporter")
        );
        assert_eq!(
            after_of(" fans waiting outside the stadium chanted."),
            named("fans")
        );
        assert_eq!(
            after_of(" an aide close to Ann Poe said."),
            named("an aide")
        );
    }

    #[test]
    fn colon_after_a_clause_with_a_subject() {
        assert_eq!(before_of("Ann Poe went further:"), named("Ann Poe"));
        assert_eq!(
            before_of("In a later interview, Tim Doe was blunter:"),
            named("Tim Doe")
        );
        assert_eq!(before_of("Wait, it gets better:"), None);
        assert_eq!(
            before_of("FARM PRICES FALL AGAIN - Ann Poe and Tim Doe:"),
            None
        );
    }

    #[test]
    fn proper_names() {
        assert!(is_proper("Mr. Tim Doe"));
        assert!(!is_proper("a Navy spokesman"));
    }
}
