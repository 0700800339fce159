//! Who a quote is attributed to, from the words around it: speech verbs
//! with their subject in either order ("…,” Lavrov said", "said Lavrov",
//! "Lavrov told reporters: “…”", "according to …").
//!
//! Only the sentence around the quote is read; linking pronouns and short
//! names to people is left to [`super::people`]. The words the rules know
//! are data, in [`super::words`]; the rules are in [`after`] (a quote's
//! attribution after it), [`before`] (before it), [`subject`] (the subject
//! of a speech verb), [`name`] and [`lexicon`].

mod after;
mod before;
mod lexicon;
mod name;
mod subject;
#[cfg(test)]
mod tests;

pub use after::{after, by_author};
pub use before::{before, dashed, object_of, possessor};
pub use lexicon::{is_participle, is_speech_verb, personal_pronoun, pronoun, verb_at};
pub use name::{is_proper, join_name, name_word, trim_name};
pub use subject::{clause_subject, subject_after, subject_before};

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

impl Who {
    /// How the attribution names the speaker: the name or description,
    /// or the pronoun; `None` for "whoever spoke before".
    pub fn as_written(&self) -> Option<String> {
        match self {
            Who::Named(name) => Some(name.clone()),
            Who::Pronoun(Gender::Male) => Some("he".to_owned()),
            Who::Pronoun(Gender::Female) => Some("she".to_owned()),
            Who::Pronoun(Gender::Unknown) | Who::Previous => None,
        }
    }
}
