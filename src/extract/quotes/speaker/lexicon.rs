//! What the words around a quote are, for the rules: speech verbs (a
//! capitalised one inside a name is none), participles, pronouns with the
//! gender they tell, adverbs and possessives.

use super::super::tokens::Token;
use super::super::words::{
    WordSet, PARTICIPLES, PERFECT_PARTICIPLES, QUANTITIES, SPEECH_VERBS, TIME_MODIFIERS,
    TIME_NOUNS, TIME_WORDS,
};
use super::Gender;

pub fn is_speech_verb(t: &Token) -> bool {
    in_list(t, &SPEECH_VERBS)
}

/// A speech verb in use, not a noun of the same form after a determiner
/// or a number ("one of the states", "her claims", "45 states"), nor a
/// capitalised word inside a name or title ("Secretary of State Jo Roe said").
pub fn verb_at(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if !is_speech_verb(t) {
        // "As Jo Roe had written, “…”": a participle after "have".
        return in_list(t, &PERFECT_PARTICIPLES)
            && i.checked_sub(1)
                .is_some_and(|p| matches!(tokens[p].lower().as_str(), "has" | "had" | "have"));
    }
    let Some(p) = i.checked_sub(1).map(|p| &tokens[p]) else {
        return true;
    };
    let article = |p: &Token| {
        matches!(
            p.lower().as_str(),
            "the" | "a" | "an" | "his" | "her" | "their" | "its" | "our" | "my" | "your"
        )
    };
    // "her recovered emails", "the repeated claims": a participle between
    // the article and the noun.
    let modified = p.is_word()
        && !p.is_capitalised()
        && p.text.ends_with("ed")
        && i >= 2
        && article(&tokens[i - 2]);
    // "the two states", "both claims", "many reports": a counted plural
    // is a noun ("the two said" is a subject and its verb).
    let plural = t.text.ends_with('s') && !t.text.ends_with("ss");
    let counted = plural && !p.is_capitalised() && in_list(p, &QUANTITIES);
    let noun = article(p)
        || modified
        || counted
        || (is_possessive(p) && p.is_capitalised())
        || p.text.chars().all(|c| c.is_ascii_digit());
    let in_name = t.is_capitalised() && p.is_word();
    !noun && !in_name
}

pub fn is_participle(t: &Token) -> bool {
    in_list(t, &PARTICIPLES)
}

/// Whether the word, lower-cased and without a final stop, is in `set`.
pub(super) fn in_list(t: &Token, set: &WordSet) -> bool {
    t.is_word() && set.contains_folded(t.text.trim_end_matches('.'))
}

/// A personal pronoun that can stand for a speaker.
pub fn pronoun(t: &Token) -> Option<Gender> {
    if !t.is_word() {
        return None;
    }
    // "he's", "I’ve": the pronoun before a contraction.
    let lower = t.lower();
    match lower.split(['\'', '’']).next().unwrap_or("") {
        "he" => Some(Gender::Male),
        "she" => Some(Gender::Female),
        "i" | "we" | "they" => Some(Gender::Unknown),
        _ => None,
    }
}

/// Any personal pronoun, subject or object, "it" among them ("he",
/// "him", "It", "them"; not "I", which is also a numeral in names): a
/// word that is never part of a name or a description.
pub fn personal_pronoun(t: &Token) -> bool {
    if !t.is_word() {
        return false;
    }
    // Lower case or with a capital first letter only: "US" and "IT" are
    // names.
    let w = t.text.split(['\'', '’']).next().unwrap_or("");
    let rest_lower = w.chars().skip(1).all(|c| c.is_ascii_lowercase());
    rest_lower
        && w.len() <= 4
        && [
            "he", "she", "it", "they", "we", "him", "them", "us", "me", "you",
        ]
        .iter()
        .any(|p| w.eq_ignore_ascii_case(p))
}

/// Where a time phrase ending right before `tokens[j]` starts, no
/// further back than `lo`: "earlier this week", "on Monday night", "two
/// weeks ago", "today". A time is never a speaker: the subject is before
/// it ("Roe earlier this week called …").
pub(super) fn time_phrase_start(tokens: &[Token], lo: usize, j: usize) -> Option<usize> {
    // A time noun in lower case: "Because the Night" is a title.
    let noun = |t: &Token| in_list(t, &TIME_NOUNS) && !t.is_capitalised();
    let last = tokens.get(j.checked_sub(1)?)?;
    if j <= lo || !(noun(last) || in_list(last, &TIME_WORDS)) {
        return None;
    }
    let mut i = j - 1;
    while i > lo && j - i < 6 {
        let p = &tokens[i - 1];
        let number = p.is_word() && p.text.chars().all(|c| c.is_ascii_digit());
        if !(in_list(p, &TIME_MODIFIERS)
            || in_list(p, &TIME_WORDS)
            || noun(p)
            || in_list(p, &QUANTITIES)
            || number)
        {
            break;
        }
        i -= 1;
    }
    Some(i)
}

/// A lower-case "-ly" word between a subject and its verb ("then loudly asked").
pub(super) fn is_adverb(t: &Token) -> bool {
    t.is_word() && !t.is_capitalised() && t.text.len() > 4 && t.text.ends_with("ly")
}

pub(super) fn is_possessive(t: &Token) -> bool {
    let s = t.text;
    t.is_word()
        && (s.ends_with("'s") || s.ends_with("’s") || s.ends_with("s'") || s.ends_with("s’"))
}

/// A possessive pronoun that tells a person's gender ("his remarks").
pub(super) fn possessive_pronoun(t: &Token) -> Option<Gender> {
    match t.lower().as_str() {
        "his" => Some(Gender::Male),
        "her" => Some(Gender::Female),
        _ => None,
    }
}
