//! Names as the rules take them from the words: which words may be in a
//! name ("van", "de" inside one), how its words are joined, and whether a
//! speaker is a proper name or a description.

use super::super::tokens::Token;
use super::super::words::{FEMALE, MALE, NAME_PARTICLES, NOT_NAMES, TIME_WORDS};
use super::lexicon::*;
use crate::extract::names;

/// A word that can be part of a name: capitalised, an initial, a title
/// ("Sen."), or a particle ("de", "van") followed by a capitalised word.
pub fn name_word(tokens: &[Token], i: usize) -> bool {
    let Some(t) = tokens.get(i).filter(|t| t.is_word()) else {
        return false;
    };
    if t.is_capitalised() {
        // "… in Washington D.C. He recalled": a pronoun opens a sentence
        // ("It", "Us" may begin a title or a name, "I" end one, and
        // "I'Anson" is one).
        return !in_list(t, &TIME_WORDS) && !is_speech_verb(t) && !subject_pronoun_word(t.text);
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
    // Most lower-case words have none within three words after them,
    // which is cheaper to see than whether they are particles.
    let capital_follows = tokens[i + 1..]
        .iter()
        .take(3)
        .any(|n| n.is_capitalised() && n.is_word());
    if !capital_follows {
        return false;
    }
    let mut k = i;
    while tokens.get(k).is_some_and(is_particle) && k - i < 3 {
        k += 1;
    }
    k > i
        && tokens
            .get(k)
            .is_some_and(|n| n.is_word() && n.is_capitalised())
}

/// "He", "She's", "They": a subject pronoun other than "I", checked
/// without allocating (this runs for every capitalised word).
fn subject_pronoun_word(text: &str) -> bool {
    let w = text.split(['\'', '’']).next().unwrap_or("");
    w.len() <= 4
        && ["he", "she", "we", "they"]
            .iter()
            .any(|p| w.eq_ignore_ascii_case(p))
}

pub(super) fn is_particle(t: &Token) -> bool {
    in_list(t, &NAME_PARTICLES)
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

pub(super) fn join(tokens: &[Token]) -> String {
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
    // "Labour's Elizabeth Blackman", "the LCF's Andrea Williams": whose
    // the person is comes before the name (a given name says where it
    // starts; "Trump's Fault Ted Cruz" is a headline).
    while i < j
        && (in_list(&tokens[i], &NOT_NAMES)
            || !tokens[i].is_word()
            || (i + 1 < j && is_gerund(&tokens[i]))
            || (i + 2 < j && is_possessive(&tokens[i]) && is_given_name(&tokens[i + 1])))
    {
        i += 1;
    }
    (i < j).then_some(i)
}

/// A given name of either gender ("Elizabeth", "Josh").
fn is_given_name(t: &Token) -> bool {
    let w = t.lower();
    FEMALE.contains(w.as_str()) || MALE.contains(w.as_str())
}

/// "Knowing", "Speaking": a capitalised "-ing" word before a name opens
/// a participle phrase ("Knowing Bardos was a fan, …") rather than the
/// name; short ones ("King", "Ling") and given names are left.
pub fn is_gerund(t: &Token) -> bool {
    let w = t.lower();
    w.len() >= 6 && w.ends_with("ing") && !FEMALE.contains(w.as_str()) && !MALE.contains(w.as_str())
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
