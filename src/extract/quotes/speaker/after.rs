//! Attributions after a quote: "…,” Lavrov said", "…,” said Lavrov",
//! "…,” according to Lavrov", and a credit line below a quote.

use super::super::tokens::Token;
use super::super::words::{BETWEEN, BE_FORMS, DETERMINERS, DOCUMENTS, NOT_NAMES, STOPS};
use super::before::{addresses, quoted_as_saying};
use super::lexicon::*;
use super::name::*;
use super::subject::*;
use super::{Attribution, Who};

/// "according to X" starting at `tokens[i]`.
pub(super) fn according_to(tokens: &[Token], i: usize) -> Option<Who> {
    if !(tokens[i].lower() == "according" && tokens.get(i + 1).is_some_and(|t| t.lower() == "to")) {
        return None;
    }
    let who = subject_after(tokens, i + 2)?;
    // "according to a transcript of her remarks": hers, not the
    // transcript's.
    if let Who::Named(d) = &who {
        let head = d.rsplit(' ').next().unwrap_or("").to_lowercase();
        if DOCUMENTS.contains(head.as_str()) {
            let of = (i + 2..tokens.len().min(i + 8)).find(|&k| tokens[k].text == "of");
            if let Some(g) = of
                .and_then(|k| tokens.get(k + 1))
                .and_then(possessive_pronoun)
            {
                return Some(Who::Pronoun(g));
            }
        }
    }
    Some(who)
}

/// The attribution in the words right after a quote, up to the end of
/// the sentence: "…,” Lavrov said", "…,” said Lavrov", "…,” he told
/// reporters", "…,” according to the Kremlin". `closed_sentence` is true
/// when the quote itself ended with a full stop, so the words after it
/// begin a new sentence and only a bare "Lavrov said." still counts.
/// `into_quote` is true when the words run on into the next quote, whose
/// sentence they begin.
pub fn after(tokens: &[Token], closed_sentence: bool, into_quote: bool) -> Option<Attribution> {
    let lo = tokens.iter().position(|t| t.is_word())?;
    if tokens[..lo].iter().any(|t| t.ends_sentence() || t.is(':')) {
        return None;
    }
    // "“….” Jo Roe, for the Greens, added: “…”" introduces the next quote.
    if closed_sentence && tokens.last().is_some_and(|t| t.is(':')) {
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
        // "points out the mayor", "shot back Jo Roe": the verb's particle.
        let particle = tokens
            .get(v + 1)
            .is_some_and(|t| matches!(t.text, "out" | "up" | "back" | "off"));
        if let Some(who) = subject_after(tokens, v + 1 + usize::from(particle)) {
            return Some(Attribution {
                who,
                adjacent: true,
            });
        }
    }
    // "…,” Reuters quoted one trader as saying.": the one quoted.
    let saying = (lo..tokens.len().min(lo + 16)).find(|&i| tokens[i].lower() == "saying");
    if let Some(who) = saying.and_then(|s| quoted_as_saying(tokens, s)) {
        return Some(Attribution {
            who,
            adjacent: true,
        });
    }
    // Subject first: "Lavrov said", "Michael McFaul, a former ambassador, said".
    let v = (lo..tokens.len().min(lo + 40)).find(|&i| verb_at(tokens, i))?;
    // "“….” He did not say when.": a verb denied speaks no quote.
    if negated(tokens, lo, v) {
        return None;
    }
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
    if (closed_sentence || into_quote) && tokens[lo].is_capitalised() {
        // "“We won.” Smith said the team …" begins a new sentence that
        // reports another statement; "Smith said, adding …" does not.
        let rest = &tokens[v + 1..];
        // "“….” While critics say the city should not pay a “…”": a
        // sentence that goes on to another quote reports what its own
        // subject said of something ("say the city …", "said the bank
        // “…”"), not the quote before; so after a question ("“Why
        // now?” Roe then wrote back, “…”") or a title ("on “Morning
        // Call,” Roe said the plan's “…”").
        let clause = into_quote
            && rest
                .first()
                .is_some_and(|t| t.is_word() && !in_list(t, &STOPS) && !addresses(&tokens[v]));
        let reported = (closed_sentence
            && (rest.first().is_some_and(|t| t.lower() == "that")
                || rest.iter().filter(|t| t.is_word()).count() > 10))
            || clause;
        if reported && !rest.first().is_some_and(|t| t.is(',')) {
            return None;
        }
    }
    Some(Attribution {
        who,
        adjacent: true,
    })
}

/// Whether the verb at `v` is denied: "did not say", "would not
/// comment", "hasn't said", "never said".
fn negated(tokens: &[Token], lo: usize, v: usize) -> bool {
    let not = |t: &Token| {
        matches!(t.lower().as_str(), "not" | "never")
            || t.text.ends_with("n't")
            || t.text.ends_with("n’t")
    };
    tokens[lo..v]
        .iter()
        .rev()
        .take_while(|t| not(t) || in_list(t, &BETWEEN))
        .any(not)
}

/// "“Born to Run” was written by Jo Roe", "a paper titled “…” by Kim
/// Park and Lou Berg", "was called “a disgrace” by Jo Roe": the author
/// or the agent of a passive, named right after the quote.
pub fn by_author(tokens: &[Token]) -> Option<Attribution> {
    let mut i = 0;
    if tokens.get(i).is_some_and(|t| in_list(t, &BE_FORMS)) {
        i += 1;
    }
    if tokens.get(i).is_some_and(|t| {
        t.is_word() && !t.is_capitalised() && t.text != "by" && participle_form(t.text)
    }) {
        i += 1;
    }
    if tokens.get(i).is_none_or(|t| t.text != "by")
        || i + 1 >= tokens.len()
        || !name_word(tokens, i + 1)
        || in_list(&tokens[i + 1], &NOT_NAMES)
    {
        return None;
    }
    let who = subject_after(tokens, i + 1)?;
    Some(Attribution {
        who,
        adjacent: true,
    })
}

/// A past participle's ending: "written", "sung", "composed".
fn participle_form(w: &str) -> bool {
    w.ends_with("ed") || w.ends_with("en") || w.ends_with("ung") || w.ends_with("wn")
}
