//! Attributions before a quote: "Lavrov said: “…”", "Lavrov told
//! reporters “…”", "Roe called the deal “…”", "according to Lavrov, “…”",
//! and the participle clause "…, saying “…”".

use super::super::tokens::Token;
use super::super::words::{
    ADDRESSED_VERBS, BETWEEN, BE_FORMS, DETERMINERS, NOT_NAMES, QUOTING_VERBS, WRITING_VERBS,
};
use super::lexicon::*;
use super::name::*;
use super::subject::*;
use super::{Attribution, Gender, Who};

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
    // A gerund after "to" ("looked forward to continuing “…”") hangs no
    // clause on a speaker when a verb before it speaks; alone ("back to
    // boasting about “…”") it still tells who speaks.
    let mut gerund = None;
    let v = (0..n).rev().find(|&i| {
        if is_participle(&tokens[i]) {
            if !after_to(tokens, i) {
                return true;
            }
            gerund.get_or_insert(i);
        }
        verb_at(tokens, i)
            || according(tokens, i)
            || put_it(tokens, i)
            || issued_statement(tokens, i)
    });
    let v = v.or(gerund);
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
    // "When Trump suggested …, Rubio fired back:": the speech verb is in
    // a clause before the one that introduces the quote, which speaks
    // through its own subject. Not after "As Jo Roe reported, …:",
    // which names the source.
    let as_clause = tokens.first().is_some_and(|t| t.lower() == "as");
    if n >= 3 && tokens[n - 1].is(':') && !cut && !as_clause {
        let comma = (v + 1..n - 1).rev().find(|&c| tokens[c].is(','));
        if let Some(who) = comma.and_then(|c| clause_subject(&tokens[c + 1..n - 1], true)) {
            return Some(Attribution {
                who,
                adjacent: true,
            });
        }
    }
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
        } else if let Some(who) = with_participle(tokens, v) {
            who
        } else if let Some(who) = quoted_as_saying(tokens, v) {
            who
        } else if let Some(who) = attribution_before_participle(tokens, v) {
            who
        } else if v > 0 && tokens[v - 1].is(',') {
            // "The band leader thanked the crowd, saying “…”": the
            // clause the participle hangs on opens with its subject.
            described_subject(&tokens[..v - 1]).or_else(|| sentence_subject(&tokens[..v]))?
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
    } else if relative(tokens, v) {
        // "…, who chanted": the relative's antecedent, found above, or no
        // one (not so "anybody who complains", which only describes).
        return None;
    } else if cut {
        // "… “…” and called it “…”" goes on with the earlier quote's
        // speaker, whose sentence it is ("Roe called it “…” for Moscow
        // and said …": not Moscow).
        Who::Previous
    } else {
        // A second verb of the subject: "Roe nodded and said, “…”".
        second_verb(tokens, v)?
    };
    Some(Attribution { who, adjacent })
}

/// The speaker of a long quote that is the object of a verb that does
/// not speak, in a sentence with no attribution ("In an August speech,
/// Trump attacked “…”", "Mr Howard will also attack the Lib Dems for
/// … and “…”"): the subject that opens the clause, a name or "he" or
/// "she". Not in the passive ("Roe was hailed for her “…”", "is
/// described as “…”": someone else's words about the subject) nor in a
/// relative clause ("the award, which is “…”").
pub fn object_of(tokens: &[Token], quote: &str) -> Option<Who> {
    let end = tokens.last()?;
    if !end.is_word() || end.is_capitalised() {
        return None;
    }
    // "has been “reminded of …”": the passive runs into the quote.
    let first = quote.split_whitespace().next().unwrap_or("");
    let passive_into = in_list(end, &BE_FORMS) && first.ends_with("ed");
    let other_reading = passive_into
        || (0..tokens.len())
            .any(|k| passive(tokens, k) || matches!(tokens[k].lower().as_str(), "which" | "whose"));
    if other_reading {
        return None;
    }
    match leading_subject(tokens)? {
        Who::Pronoun(Gender::Unknown) => None,
        who => Some(who),
    }
}

/// Whether the verb at `v` opens a relative clause set off by a comma
/// ("…, who chanted").
fn relative(tokens: &[Token], v: usize) -> bool {
    let u = verb_group(tokens, v);
    u > 1 && tokens[u - 1].lower() == "who" && tokens[u - 2].is(',')
}

/// The subject of a sentence whose speech verb at `v` has none of its
/// own: a second verb ("Roe nodded and said", "Roe smiled, then
/// said"), else the first name of the sentence. Not a name inside a
/// description that opens it ("A spokesman for senior Irish police
/// officers said").
fn second_verb(tokens: &[Token], v: usize) -> Option<Who> {
    let u = verb_group(tokens, v);
    let coordinated = u > 0
        && (tokens[u - 1].is(',')
            || matches!(tokens[u - 1].lower().as_str(), "and" | "but" | "then"));
    // (No comma before the verb: "One judge, Jo Roe, said", "A day
    // later, Roe said" name their subject.)
    let described = tokens.first().is_some_and(|t| in_list(t, &DETERMINERS))
        && tokens
            .get(1)
            .is_some_and(|t| t.is_word() && !t.is_capitalised())
        && !tokens[..v].iter().any(|t| t.is(','));
    if described && !coordinated {
        return None;
    }
    // "It criticised Western alliances and said": not "Western"; what
    // "it" is, is left to the attribution of the quotes around.
    if coordinated && tokens.first().is_some_and(|t| t.text == "It") {
        return None;
    }
    sentence_subject(&tokens[..v])
}

/// "…, with Trump reportedly yelling: “…”": the name between "with"
/// and the participle at `v`.
fn with_participle(tokens: &[Token], v: usize) -> Option<Who> {
    let j = verb_group(tokens, v);
    let mut i = j;
    while i > 0 && name_word(tokens, i - 1) {
        i -= 1;
    }
    if i == 0 || i == j || tokens[i - 1].lower() != "with" {
        return None;
    }
    let i = trim_name(tokens, i, j)?;
    Some(Who::Named(join_name(&tokens[i..j])))
}

/// Where the verb at `v` begins with the words that may stand before it
/// ("has since", "also", "angrily").
fn verb_group(tokens: &[Token], v: usize) -> usize {
    let mut u = v;
    while u > 0 && (in_list(&tokens[u - 1], &BETWEEN) || is_adverb(&tokens[u - 1])) {
        u -= 1;
    }
    u
}

/// Whether `tokens[i]` follows "to": a gerund ("forward to continuing").
fn after_to(tokens: &[Token], i: usize) -> bool {
    i.checked_sub(1).is_some_and(|p| tokens[p].lower() == "to")
}

/// Verbs whose object is the one spoken to: "told his supporters" does not
/// name a speaker.
pub(super) fn addresses(t: &Token) -> bool {
    in_list(t, &ADDRESSED_VERBS)
}

/// "Roe was asked", "after being told": the subject is spoken to.
pub(super) fn passive(tokens: &[Token], v: usize) -> bool {
    let u = verb_group(tokens, v);
    u > 0 && tokens[v].text.ends_with("ed") && in_list(&tokens[u - 1], &BE_FORMS)
}

/// "…, Roe said, adding" or "…, said Roe, adding": the attribution right
/// before the participle at `v`.
pub(super) fn attribution_before_participle(tokens: &[Token], v: usize) -> Option<Who> {
    if v < 2 || !tokens[v - 1].is(',') {
        return None;
    }
    if is_speech_verb(&tokens[v - 2]) {
        // A name, a pronoun or a description with its article: not the
        // word before a noun that is also a verb ("claims of broken
        // promises, saying").
        return subject_before(tokens, 0, v - 2)
            .filter(|&(ref who, at)| match who {
                Who::Named(n) => {
                    is_proper(n) || in_list(&tokens[at], &DETERMINERS) || is_possessive(&tokens[at])
                }
                _ => true,
            })
            .map(|(who, _)| who);
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
pub(super) fn issued_statement(tokens: &[Token], i: usize) -> bool {
    in_list(&tokens[i], &WRITING_VERBS)
        && tokens[i + 1..]
            .iter()
            .take(4)
            .any(|t| t.text.starts_with("statement"))
}

/// "As Jo Roe put it, “…”", "as he puts it, “…”".
pub(super) fn put_it(tokens: &[Token], i: usize) -> bool {
    matches!(tokens[i].text, "put" | "puts") && tokens.get(i + 1).is_some_and(|t| t.text == "it")
}

pub(super) fn according(tokens: &[Token], i: usize) -> bool {
    tokens[i].lower() == "according" && tokens.get(i + 1).is_some_and(|t| t.lower() == "to")
}

/// "The paper quoted Jo Roe as saying", "a report cited an aide as
/// saying": the one quoted speaks, not the one quoting. `v` is the
/// participle.
pub(super) fn quoted_as_saying(tokens: &[Token], v: usize) -> Option<Who> {
    if v < 3 || tokens[v - 1].text != "as" {
        return None;
    }
    let u = (v.saturating_sub(10)..v - 1)
        .rev()
        .find(|&u| in_list(&tokens[u], &QUOTING_VERBS))?;
    subject_after(tokens, u + 1)
}

/// A dash-like token ("-", "—").
fn is_dash(t: &Token) -> bool {
    t.text.chars().all(|c| "-—–―".contains(c))
}

/// "… including Jo Roe -- “…” -- and …": a quote set off by dashes right
/// after a person's full name is theirs. `after` are the words after the
/// quote.
pub fn dashed(tokens: &[Token], after: &[Token]) -> Option<Attribution> {
    let mut j = tokens.len();
    while j > 0 && is_dash(&tokens[j - 1]) && tokens.len() - j < 2 {
        j -= 1;
    }
    if j == tokens.len() || !after.first().is_some_and(is_dash) {
        return None;
    }
    let mut i = j;
    while i > 0 && name_word(tokens, i - 1) {
        i -= 1;
    }
    let i = trim_name(tokens, i, j)?;
    let name = join_name(&tokens[i..j]);
    (j - i >= 2 && is_proper(&name)).then_some(Attribution {
        who: Who::Named(name),
        adjacent: true,
    })
}

/// "To head off Musk's “production hell”": a quote right after a
/// name's possessive is that name's words.
pub fn possessor(tokens: &[Token]) -> Option<Who> {
    let j = tokens.len();
    let last = tokens.last()?;
    // Not "It's", nor an acronym's ("CNN's", an outlet or a party).
    let bare = last.text.trim_end_matches(['s', '\'', '’']);
    if !is_possessive(last)
        || !last.is_capitalised()
        || personal_pronoun(last)
        || bare.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
    {
        return None;
    }
    let mut i = j - 1;
    while i > 0 && name_word(tokens, i - 1) {
        i -= 1;
    }
    let i = trim_name(tokens, i, j)?;
    let name = join_name(&tokens[i..j]);
    is_proper(&name).then_some(Who::Named(name))
}
