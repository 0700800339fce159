//! The word lists the attribution rules read, kept as data: one file each
//! under `words/`, one entry a line, `#` for comments, sorted and lower
//! case (the tests check it). To change what the rules know, change a
//! file.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

pub use crate::extract::wordset::Words;

/// A list of lower-case words, built once.
pub type WordSet = LazyLock<Words>;

/// The entries of a list file.
fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn set(text: &'static str) -> Words {
    entries(text).collect()
}

const SPEECH_VERBS_TXT: &str = include_str!("words/speech_verbs.txt");
const BETWEEN_TXT: &str = include_str!("words/between.txt");
const DETERMINERS_TXT: &str = include_str!("words/determiners.txt");
const STOPS_TXT: &str = include_str!("words/stops.txt");
const WHERE_TXT: &str = include_str!("words/where.txt");
const NOT_NAMES_TXT: &str = include_str!("words/not_names.txt");
const TIME_WORDS_TXT: &str = include_str!("words/time_words.txt");
const TIME_NOUNS_TXT: &str = include_str!("words/time_nouns.txt");
const TIME_MODIFIERS_TXT: &str = include_str!("words/time_modifiers.txt");
const NOT_PERSON_TXT: &str = include_str!("words/not_person.txt");
const FEMALE_TXT: &str = include_str!("words/female.txt");
const MALE_TXT: &str = include_str!("words/male.txt");
const GIVEN_FEMALE_TXT: &str = include_str!("words/given_female.txt");
const GIVEN_MALE_TXT: &str = include_str!("words/given_male.txt");
const FEMALE_NOUNS_TXT: &str = include_str!("words/female_nouns.txt");
const MALE_NOUNS_TXT: &str = include_str!("words/male_nouns.txt");
const OPENERS_TXT: &str = include_str!("words/openers.txt");
const PARTICIPLE_OPENERS_TXT: &str = include_str!("words/participle_openers.txt");
const CREDITS_TXT: &str = include_str!("words/credits.txt");
const DOCUMENTS_TXT: &str = include_str!("words/documents.txt");
const ORGANISATIONS_TXT: &str = include_str!("words/organisations.txt");
const ROLE_ABBREVIATIONS_TXT: &str = include_str!("words/role_abbreviations.txt");
const ROLE_QUALIFIERS_TXT: &str = include_str!("words/role_qualifiers.txt");
const ADDRESSED_VERBS_TXT: &str = include_str!("words/addressed_verbs.txt");
const NAME_PARTICLES_TXT: &str = include_str!("words/name_particles.txt");
const AUXILIARIES_TXT: &str = include_str!("words/auxiliaries.txt");
const BE_FORMS_TXT: &str = include_str!("words/be_forms.txt");
const WRITING_VERBS_TXT: &str = include_str!("words/writing_verbs.txt");
const QUOTING_VERBS_TXT: &str = include_str!("words/quoting_verbs.txt");
const IRREGULAR_VERBS_TXT: &str = include_str!("words/irregular_verbs.txt");
const PERFECT_PARTICIPLES_TXT: &str = include_str!("words/perfect_participles.txt");
const QUANTITIES_TXT: &str = include_str!("words/quantities.txt");
const PREPOSITIONS_TXT: &str = include_str!("words/prepositions.txt");

/// The speech verbs' lines: the base form (`*` when it is used as a
/// finite verb itself), then its forms.
fn verb_lines() -> impl Iterator<Item = (bool, Vec<&'static str>)> {
    entries(SPEECH_VERBS_TXT).map(|l| {
        let finite_base = l.starts_with('*');
        let forms = l.trim_start_matches('*').split_whitespace().collect();
        (finite_base, forms)
    })
}

/// Finite speech verbs: "said", "says", "quipped", and "say" itself.
pub static SPEECH_VERBS: WordSet = LazyLock::new(|| {
    verb_lines()
        .flat_map(|(finite_base, forms)| {
            let base = forms[0];
            forms
                .into_iter()
                .skip(1)
                .filter(|f| !f.ends_with("ing"))
                .chain(finite_base.then_some(base))
                .collect::<Vec<_>>()
        })
        .collect()
});

/// Participles that report speech in a clause hung on the sentence's
/// subject ("Trump hit back, saying “…”").
pub static PARTICIPLES: WordSet = LazyLock::new(|| {
    verb_lines()
        .flat_map(|(_, forms)| forms.into_iter().skip(1).filter(|f| f.ends_with("ing")))
        .collect()
});

/// Words between a subject and its verb ("Roe also said").
pub static BETWEEN: WordSet = LazyLock::new(|| set(BETWEEN_TXT));

/// Determiners that open a description ("the mayor", "a spokesman").
pub static DETERMINERS: WordSet = LazyLock::new(|| set(DETERMINERS_TXT));

/// Words that end a subject: prepositions, relatives, conjunctions, and
/// the days of the week ("said a spokesman on Monday").
pub static STOPS: WordSet = LazyLock::new(|| {
    entries(STOPS_TXT)
        .chain(entries(TIME_WORDS_TXT).filter(|w| w.ends_with("day")))
        .collect()
});

/// Prepositions of place and circumstance: after "said Jo Roe" they
/// begin where or when she said it ("said Jo Roe outside Downing Street").
pub static WHERE: WordSet = LazyLock::new(|| set(WHERE_TXT));

/// Capitalised words that begin no name, and the full names of days and
/// months, which open sentences too ("Monday's vote").
pub static NOT_NAMES: WordSet = LazyLock::new(|| {
    entries(NOT_NAMES_TXT)
        .chain(entries(TIME_WORDS_TXT).filter(|w| w.len() > 4))
        .collect()
});

/// Days and months: a name stops before them ("Lavrov Monday").
pub static TIME_WORDS: WordSet = LazyLock::new(|| set(TIME_WORDS_TXT));

/// Nouns that end a time phrase ("this week", "two days ago", "today").
pub static TIME_NOUNS: WordSet = LazyLock::new(|| set(TIME_NOUNS_TXT));

/// Words inside a time phrase before its noun ("earlier this", "late last").
pub static TIME_MODIFIERS: WordSet = LazyLock::new(|| set(TIME_MODIFIERS_TXT));

/// Words that make a capitalised sequence a body or a place, not a person.
pub static NOT_PERSON: WordSet = LazyLock::new(|| set(NOT_PERSON_TXT));

/// Given names and words that say a person is a woman.
pub static FEMALE: WordSet = LazyLock::new(|| {
    entries(FEMALE_TXT)
        .chain(entries(GIVEN_FEMALE_TXT))
        .collect()
});

/// Given names and words that say a person is a man.
pub static MALE: WordSet =
    LazyLock::new(|| entries(MALE_TXT).chain(entries(GIVEN_MALE_TXT)).collect());

/// Nouns that say the person named right after them is a woman ("her
/// daughter Jo Roe").
pub static FEMALE_NOUNS: WordSet = LazyLock::new(|| set(FEMALE_NOUNS_TXT));

/// Nouns that say the person named right after them is a man ("her son
/// Jo Roe").
pub static MALE_NOUNS: WordSet = LazyLock::new(|| set(MALE_NOUNS_TXT));

/// Words of a photo credit ("file photo", "Submitted by Jo Roe").
pub static CREDITS: WordSet = LazyLock::new(|| set(CREDITS_TXT));

/// Nouns of documents and records that carry someone's words ("a
/// transcript of her remarks"): the words are that person's.
pub static DOCUMENTS: WordSet = LazyLock::new(|| set(DOCUMENTS_TXT));

/// Nouns of bodies that speak as one: "the company said" is the
/// organisation just named.
pub static ORGANISATIONS: WordSet = LazyLock::new(|| set(ORGANISATIONS_TXT));

/// Words before a role that make it another one ("prime", "former").
pub static ROLE_QUALIFIERS: WordSet = LazyLock::new(|| set(ROLE_QUALIFIERS_TXT));

/// Short titles and the roles they stand for, read once: the lookup runs
/// for every word before a description.
static ROLE_ABBREVIATIONS: LazyLock<FxHashMap<&'static str, &'static str>> = LazyLock::new(|| {
    entries(ROLE_ABBREVIATIONS_TXT)
        .filter_map(|l| l.split_once(' '))
        .collect()
});

/// The role a short title stands for: "sen" is "senator".
pub fn role_of_abbreviation(short: &str) -> Option<&'static str> {
    ROLE_ABBREVIATIONS.get(short).copied()
}

/// Words that open a sentence's opening phrase, which runs to its first
/// comma ("After the vote, …", "For his part, …").
pub static OPENERS: WordSet = LazyLock::new(|| set(OPENERS_TXT));

/// Past participles that open a sentence's opening phrase, whose subject
/// is the sentence's ("Asked about the plan, Roe said …").
pub static PARTICIPLE_OPENERS: WordSet = LazyLock::new(|| set(PARTICIPLE_OPENERS_TXT));

/// Verbs whose object is the one spoken to: "told his supporters" names
/// no speaker.
pub static ADDRESSED_VERBS: WordSet = LazyLock::new(|| set(ADDRESSED_VERBS_TXT));

/// Lower-case particles inside a name ("de Blasio", "von der Leyen").
pub static NAME_PARTICLES: WordSet = LazyLock::new(|| set(NAME_PARTICLES_TXT));

/// Auxiliary and modal verbs ("has", "would").
pub static AUXILIARIES: WordSet = LazyLock::new(|| set(AUXILIARIES_TXT));

/// Forms of "be", which make a participle after them passive.
pub static BE_FORMS: WordSet = LazyLock::new(|| set(BE_FORMS_TXT));

/// Verbs of writing and issuing a document ("wrote", "issued").
pub static WRITING_VERBS: WordSet = LazyLock::new(|| set(WRITING_VERBS_TXT));

/// Verbs of quoting someone ("quoted", "cited").
pub static QUOTING_VERBS: WordSet = LazyLock::new(|| set(QUOTING_VERBS_TXT));

/// Irregular verb forms that read as a verb after a subject ("went").
pub static IRREGULAR_VERBS: WordSet = LazyLock::new(|| set(IRREGULAR_VERBS_TXT));
/// Participles that report speech only after "has", "had" or "have"
/// ("As Jo Roe had written, “…”").
pub static PERFECT_PARTICIPLES: WordSet = LazyLock::new(|| set(PERFECT_PARTICIPLES_TXT));

/// Words that count a group before "of" ("hundreds of parents").
pub static QUANTITIES: WordSet = LazyLock::new(|| set(QUANTITIES_TXT));

/// Prepositions that open a phrase inside a subject ("a source close to
/// Jo Roe", "the punching bag in golf").
pub static PREPOSITIONS: WordSet = LazyLock::new(|| set(PREPOSITIONS_TXT));

#[cfg(test)]
mod tests {
    use super::*;

    const LISTS: [(&str, &str); 33] = [
        ("speech_verbs", SPEECH_VERBS_TXT),
        ("between", BETWEEN_TXT),
        ("determiners", DETERMINERS_TXT),
        ("stops", STOPS_TXT),
        ("where", WHERE_TXT),
        ("not_names", NOT_NAMES_TXT),
        ("time_words", TIME_WORDS_TXT),
        ("time_nouns", TIME_NOUNS_TXT),
        ("time_modifiers", TIME_MODIFIERS_TXT),
        ("not_person", NOT_PERSON_TXT),
        ("female", FEMALE_TXT),
        ("male", MALE_TXT),
        ("given_female", GIVEN_FEMALE_TXT),
        ("given_male", GIVEN_MALE_TXT),
        ("female_nouns", FEMALE_NOUNS_TXT),
        ("male_nouns", MALE_NOUNS_TXT),
        ("openers", OPENERS_TXT),
        ("participle_openers", PARTICIPLE_OPENERS_TXT),
        ("credits", CREDITS_TXT),
        ("documents", DOCUMENTS_TXT),
        ("organisations", ORGANISATIONS_TXT),
        ("role_abbreviations", ROLE_ABBREVIATIONS_TXT),
        ("role_qualifiers", ROLE_QUALIFIERS_TXT),
        ("addressed_verbs", ADDRESSED_VERBS_TXT),
        ("name_particles", NAME_PARTICLES_TXT),
        ("auxiliaries", AUXILIARIES_TXT),
        ("be_forms", BE_FORMS_TXT),
        ("writing_verbs", WRITING_VERBS_TXT),
        ("quoting_verbs", QUOTING_VERBS_TXT),
        ("irregular_verbs", IRREGULAR_VERBS_TXT),
        ("perfect_participles", PERFECT_PARTICIPLES_TXT),
        ("quantities", QUANTITIES_TXT),
        ("prepositions", PREPOSITIONS_TXT),
    ];

    #[test]
    fn lists_are_sorted_lower_case_without_repeats() {
        for (name, text) in LISTS {
            let keys: Vec<&str> = entries(text)
                .map(|l| l.trim_start_matches('*').split_whitespace().next().unwrap())
                .collect();
            assert!(!keys.is_empty(), "{name}");
            for w in keys.windows(2) {
                assert!(w[0] < w[1], "{name}: {:?} before {:?}", w[0], w[1]);
            }
            for l in entries(text) {
                assert_eq!(l, l.to_lowercase(), "{name}");
            }
        }
    }

    #[test]
    fn every_verb_has_its_forms() {
        for (_, forms) in verb_lines() {
            assert!(forms.len() >= 4, "{forms:?}");
            assert!(forms[3].ends_with("ing"), "{forms:?}");
        }
        for w in [
            "said", "says", "say", "told", "quipped", "remarks", "echoes", "labelled",
        ] {
            assert!(SPEECH_VERBS.contains(w), "{w}");
        }
        assert!(!SPEECH_VERBS.contains("note"), "a noun as often as a verb");
        for w in ["saying", "adding", "labelling"] {
            assert!(PARTICIPLES.contains(w), "{w}");
        }
        assert!(STOPS.contains("monday") && NOT_NAMES.contains("september"));
    }
}
