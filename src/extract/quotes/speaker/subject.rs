//! The subject of a speech verb: before it ("Lavrov said", "a source close
//! to Jo Roe said"), after it ("said Lavrov", "said the company's chief
//! executive, Tim Cook"), or the sentence's own ("Roe went further").

use super::super::tokens::Token;
use super::super::words::{
    AUXILIARIES, BETWEEN, BE_FORMS, DETERMINERS, DOCUMENTS, IRREGULAR_VERBS, NOT_NAMES, NOT_PERSON,
    OPENERS, ORGANISATIONS, PREPOSITIONS, QUANTITIES, STOPS, WHERE,
};
use super::lexicon::*;
use super::name::*;
use super::Who;
use crate::extract::names;

/// The subject ending right before `tokens[v]`, no further back than `lo`:
/// a name (through an apposition between commas), a description with its
/// determiner, or a pronoun. Returns it with the index it starts at.
pub fn subject_before(tokens: &[Token], lo: usize, v: usize) -> Option<(Who, usize)> {
    let (who, i) = subject_of_verb(tokens, lo, v)?;
    open_apposition(tokens, lo, i, v, &who).or(Some((who, i)))
}

/// [`subject_before`] but for a name before a description whose second
/// comma is left out.
fn subject_of_verb(tokens: &[Token], lo: usize, v: usize) -> Option<(Who, usize)> {
    let (who, i) = nearest_subject(tokens, lo, v)?;
    // "Police in Leeds said", "Delegates at the talks in Dubai agreed":
    // a place after "in" and a noun is where the subject is, not the
    // subject.
    let placed = matches!(&who, Who::Named(n) if is_proper(n))
        && i >= lo + 2
        && tokens[i - 1].text == "in"
        && tokens[i - 2].is_word()
        && !tokens[i - 2].is_capitalised()
        && !in_list(&tokens[i - 2], &STOPS)
        && !verb_form(&tokens[i - 2]);
    if placed {
        // What comes before: "a woman in Worcester" is the woman, "Policy
        // makers in Europe" the policy makers; not a lone capitalised
        // word ("Countries at the talks in Dubai").
        return subject_of_verb(tokens, lo, i - 1)
            .filter(|(who, _)| matches!(who, Who::Named(n) if n.contains(' ')));
    }
    // Two people as the authors of one quote: "Kim Park and Lou Berg
    // said", "Acme chief executive Kim Park and finance director Lou
    // Berg said".
    if let Who::Named(second) = &who {
        if let Some((first, start)) = paired_before(tokens, lo, i).filter(|_| is_proper(second)) {
            // Each without its titles: the pair's would be cut at the last.
            let (a, b) = (names::strip_titles(&first), names::strip_titles(second));
            return Some((Who::Named(format!("{a} and {b}")), start));
        }
    }
    // "Protesters marching through the streets chanted", "a source close
    // to Jo Roe said": the noun after the preposition only modifies.
    let modifier =
        i >= lo + 3 && matches!(&who, Who::Named(_)) && in_list(&tokens[i - 1], &PREPOSITIONS) && {
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
    // "The most popular punching bag in golf said": a common noun after a
    // preposition is inside the subject, whose head comes before it
    // ("Police in the city said"); "… and in a carefully worded response
    // said" has no subject there. A document's phrase names whose it is
    // ("a statement on her website"), and so do "by" and a body ("a
    // spokesman for the club": the club speaks); the antecedent of "who"
    // is the subject ("a lecture from the president, who said").
    let object = i > lo
        && matches!(&who, Who::Named(d) if d.rsplit(' ').next().is_some_and(|h| {
            h.starts_with(char::is_lowercase) && !ORGANISATIONS.contains(h.to_lowercase().as_str())
        }))
        && in_list(&tokens[i - 1], &PREPOSITIONS)
        && !matches!(tokens[i - 1].lower().as_str(), "to" | "by")
        && !tokens[i..v].iter().any(|t| t.lower() == "who");
    if object {
        let m = (i >= lo + 2).then(|| &tokens[i - 2])?;
        let relative = m.lower() == "who";
        if !relative && (in_list(m, &STOPS) || is_speech_verb(m)) {
            return None;
        }
        let head = m.is_word()
            && !m.text.ends_with("ing")
            && !m.text.ends_with("ed")
            && !in_list(m, &DETERMINERS)
            && !personal_pronoun(m);
        if head || relative {
            if let Some((Who::Named(np), s)) = nearest_subject(tokens, lo, i - 1) {
                let last = np.rsplit(' ').next().unwrap_or("").to_lowercase();
                let bounded = in_list(&tokens[s], &DETERMINERS) || is_possessive(&tokens[s]);
                let plural = !np.contains(' ') && last.ends_with('s');
                if !DOCUMENTS.contains(last.as_str())
                    && (relative || m.is_capitalised() || bounded || plural)
                {
                    return Some((Who::Named(np), s));
                }
            }
        }
    }
    // "Hundreds of parents said", "some of the women said": the group,
    // counted, not its count.
    if i >= lo + 2 && tokens[i - 1].text == "of" && quantity(&tokens[i - 2]) {
        if let Who::Named(group) = &who {
            if !is_proper(group) || group.starts_with("the ") {
                let q = &tokens[i - 2];
                return Some((Who::Named(format!("{} of {group}", q.text)), i - 2));
            }
        }
    }
    // "Ann Lee with the Harbour Fund told", "Jeff Joe, from the Example
    // Association (EA) told": the person, not her employer.
    let comma = usize::from(i >= lo + 3 && tokens[i - 2].is(','));
    let affiliation = i >= lo + 2 + comma
        && matches!(&who, Who::Named(d) if !is_proper(d))
        && matches!(
            tokens[i - 1].lower().as_str(),
            "with" | "of" | "from" | "at"
        )
        && name_word(tokens, i - 2 - comma)
        && !quantity(&tokens[i - 2 - comma]);
    // "Jo Roe of Acme said": a person's name, then where they work.
    let of_name = i >= lo + 3
        && comma == 0
        && matches!(&who, Who::Named(d) if is_proper(d))
        && matches!(tokens[i - 1].text, "of" | "with" | "from" | "at")
        && name_word(tokens, i - 2)
        && name_word(tokens, i - 3)
        && !tokens[i - 3..i - 1]
            .iter()
            .any(|t| in_list(t, &NOT_PERSON) || names::is_title(t.text) || is_possessive(t));
    if of_name {
        if let Some((Who::Named(name), start)) = nearest_subject(tokens, lo, i - 1) {
            if is_proper(&name) && names::words(&name).len() >= 2 {
                return Some((Who::Named(name), start));
            }
        }
    }
    if affiliation {
        if let Some((Who::Named(name), start)) = nearest_subject(tokens, lo, i - 1 - comma) {
            if is_proper(&name) {
                return Some((Who::Named(name), start));
            }
        }
    }
    Some((who, i))
}

/// "Jo Roe, its minister for trade, said" with its second comma left out
/// ("Jo Roe, a spokesman for Acme said", "Jo Roe, president of the
/// division at the firm says"): the name before a description that runs
/// to the verb, found starting at `i`. The name opens the clause, so
/// "In London, the mayor said" has none.
fn open_apposition(
    tokens: &[Token],
    lo: usize,
    i: usize,
    v: usize,
    who: &Who,
) -> Option<(Who, usize)> {
    let Who::Named(d) = who else { return None };
    if is_proper(d) {
        return None;
    }
    // The comma that opens the description, with no other before the verb.
    let c = (lo..i).rev().find(|&k| !tokens[k].is_word())?;
    if c == lo || !open_description(tokens, c, v) {
        return None;
    }
    let mut b = c;
    while b > lo && name_word(tokens, b - 1) {
        b -= 1;
    }
    let b = trim_name(tokens, b, c)?;
    let opens = b == lo
        || tokens[b - 1].is(',')
        || matches!(tokens[b - 1].lower().as_str(), "but" | "and" | "while");
    let name = join_name(&tokens[b..c]);
    (opens && is_proper(&name) && !in_list(&tokens[b], &NOT_NAMES)).then_some((Who::Named(name), b))
}

/// Whether a comma at `tokens[c]` opens a description that runs to the
/// verb at `v` with no comma to close it: a few words, the first in
/// lower case and a determiner, a possessive or a role ("a spokesman
/// for Acme", "president of the division").
fn open_description(tokens: &[Token], c: usize, v: usize) -> bool {
    let Some(first) = tokens.get(c + 1) else {
        return false;
    };
    tokens[c].is(',')
        && c + 1 < v
        && v - c <= 12
        && tokens[c + 1..v].iter().all(Token::is_word)
        && !first.is_capitalised()
        && !personal_pronoun(first)
        && (in_list(first, &DETERMINERS) || is_possessive(first) || !in_list(first, &STOPS))
}

/// A word that counts a group: "hundreds", "some", "12".
fn quantity(t: &Token) -> bool {
    in_list(t, &QUANTITIES)
        || (t.is_word() && t.text.chars().all(|c| c.is_ascii_digit() || c == ','))
}

/// The name joined by "and" to a name starting at `tokens[i]`, with at
/// most three lower-case role words between ("and finance director"),
/// and where it starts (after any role words before it).
fn paired_before(tokens: &[Token], lo: usize, i: usize) -> Option<(String, usize)> {
    let mut k = i;
    while k > lo && i - k < 3 && tokens[k - 1].is_word() && !tokens[k - 1].is_capitalised() {
        if in_list(&tokens[k - 1], &STOPS) && tokens[k - 1].text != "and" {
            return None;
        }
        if tokens[k - 1].text == "and" {
            break;
        }
        k -= 1;
    }
    if k <= lo + 1 || tokens[k - 1].text != "and" {
        return None;
    }
    let end = k - 1;
    let mut b = end;
    while b > lo && name_word(tokens, b - 1) {
        b -= 1;
    }
    let b = trim_name(tokens, b, end)?;
    let first = join_name(&tokens[b..end]);
    (end - b >= 2 && is_proper(&first)).then(|| {
        // The first one's role words belong to the subject too.
        let mut start = b;
        while start > lo
            && b - start < 3
            && tokens[start - 1].is_word()
            && !in_list(&tokens[start - 1], &STOPS)
            && !in_list(&tokens[start - 1], &DETERMINERS)
        {
            start -= 1;
        }
        (first, start)
    })
}

/// [`subject_before`] without looking past a modifying phrase.
pub(super) fn nearest_subject(tokens: &[Token], lo: usize, v: usize) -> Option<(Who, usize)> {
    let mut j = v;
    loop {
        while j > lo && (in_list(&tokens[j - 1], &BETWEEN) || is_adverb(&tokens[j - 1])) {
            j -= 1;
        }
        // "Roe earlier this week said": the subject is before the time,
        // and "the order released Friday said" is the order.
        match time_phrase_start(tokens, lo, j) {
            Some(i) if i > lo => {
                j = i;
                let participle =
                    |t: &Token| t.is_word() && !t.is_capitalised() && t.text.ends_with("ed");
                if j > lo + 1 && participle(&tokens[j - 1]) && tokens[j - 2].is_word() {
                    j -= 1;
                }
            }
            _ => break,
        }
    }
    let relative = j > lo + 1 && tokens[j - 1].lower() == "who";
    if relative {
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
        // A description may end in a name of its own ("shadow chief
        // secretary to the Treasury, George Osborne, said"): then a lower-
        // case word is among its last three and the apposition has two
        // words or more.
        let inner_len = (j - 1).saturating_sub(k + 1);
        let description_before = tokens[k - 1].is_word()
            && (!tokens[k - 1].is_capitalised()
                || (inner_len >= 2
                    && tokens[k.saturating_sub(3).max(lo)..k]
                        .iter()
                        .any(|t| t.is_word() && !t.is_capitalised())));
        let after_description =
            description_before && inner_len <= 5 && (k + 1..j - 1).all(|x| name_word(tokens, x));
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
    // "for what’s typically called “…”": a relative, not a subject.
    let bare = last.text.split(['\'', '’']).next().unwrap_or("");
    if ["what", "whatever", "which", "whom"]
        .iter()
        .any(|w| bare.eq_ignore_ascii_case(w))
    {
        return None;
    }
    // "what it called “…”", "Apps that it said": "it", whatever words
    // come before it; "called him" has no subject there at all.
    if personal_pronoun(last) {
        return last
            .text
            .eq_ignore_ascii_case("it")
            .then(|| (Who::Named(last.text.to_owned()), j - 1));
    }
    if last.is_capitalised() && !in_list(last, &NOT_NAMES) {
        let mut i = j - 1;
        while i > lo && name_word(tokens, i - 1) {
            i -= 1;
        }
        let i = trim_name(tokens, i, j)?;
        // "supporters outside the party's offices in Madrid, who
        // chanted": a place, not whom "who" stands for.
        if relative && i > lo && tokens[i - 1].lower() == "in" {
            return None;
        }
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
            // "the most popular", "the other two": an article before.
            if i > lo && matches!(tokens[i - 1].lower().as_str(), "the" | "a" | "an") {
                i -= 1;
            }
            break;
        }
        if !p.is_word() || in_list(p, &STOPS) || is_speech_verb(p) || personal_pronoun(p) {
            break;
        }
        i -= 1;
    }
    // "the two said" is a subject; "the said" or "of said" is not.
    let counted = i + 2 == j && tokens[i].text == "the";
    // Nor is "be": "… will have to be concluded".
    if (in_list(&tokens[j - 1], &DETERMINERS) && !counted)
        || in_list(&tokens[j - 1], &STOPS)
        || in_list(&tokens[j - 1], &BE_FORMS)
    {
        return None;
    }
    // "came shouts from the crowd", "drawing loud jeers", "has even made
    // comments": without a determiner, a description whose last word is
    // a verb form is no subject, and the noun after it no verb.
    // So does one that opens with a participle in -ing ("drawing loud
    // jeers", "raising fresh questions").
    let gerund = |t: &Token| verb_form(t) && t.text.ends_with("ing");
    if !bounded && (verb_form(&tokens[j - 1]) || gerund(&tokens[i])) {
        return None;
    }
    (bounded || j - i <= 2).then(|| (Who::Named(join(&tokens[i..j])), i))
}

/// A lower-case verb form that heads no noun phrase: a past tense or
/// participle in -ed, -ing or "came"/"made"-like, or an auxiliary.
fn verb_form(t: &Token) -> bool {
    // Not capitalised: its endings are in lower case as written.
    let w = t.text;
    t.is_word()
        && !t.is_capitalised()
        && ((w.ends_with("ed") && w.len() > 4)
            || (w.ends_with("ing") && w.len() > 5 && !w.ends_with("thing"))
            || in_list(t, &AUXILIARIES)
            || in_list(t, &IRREGULAR_VERBS))
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
        // "stated that he had", "reminded that Roe called him": a clause,
        // not a description.
        if t.lower() == "that" && tokens.get(i + 1).is_some_and(Token::is_capitalised) {
            return None;
        }
        let mut j = i + 1;
        while j < tokens.len()
            && j - i < 7
            && tokens[j].is_word()
            && !in_list(&tokens[j], &STOPS)
            && !personal_pronoun(&tokens[j])
        {
            j += 1;
        }
        if j - i < 2 {
            return None;
        }
        // "said the candidate could be in …", "said the plan will work":
        // a reported clause whose subject is the description, not a
        // description that speaks.
        if tokens[i + 1..tokens.len().min(j + 1)]
            .iter()
            .any(|t| in_list(t, &AUXILIARIES))
        {
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
        let first = name_from(i)?;
        // Two speakers of one quote: "said Kim Park and Lou Berg".
        let mut j = i;
        while j < tokens.len() && name_word(tokens, j) {
            j += 1;
        }
        if tokens.get(j).is_some_and(|t| t.text == "and") && name_word(tokens, j + 1) {
            let mut k = j + 1;
            while k < tokens.len() && name_word(tokens, k) {
                k += 1;
            }
            let ends = tokens
                .get(k)
                .is_none_or(|n| !n.is_word() || in_list(n, &STOPS));
            // Not when the run went on across "and" ("said Economic and
            // Fiscal Policy Minister Heizo Takenaka").
            let whole = matches!(&first, Who::Named(a) if *a == join_name(&tokens[i..j]));
            if let (true, true, Who::Named(a)) = (ends, whole, &first) {
                return Some(Who::Named(format!(
                    "{a} and {}",
                    join_name(&tokens[j + 1..k])
                )));
            }
        }
        return Some(first);
    }
    // "said former president Bill Clinton", "said campaign spokesman Brian Fallon"
    let mut j = i;
    while j < tokens.len() && j - i < 4 && tokens[j].is_word() && !tokens[j].is_capitalised() {
        // "said master of ceremonies Jo Roe": "of" inside the role.
        let role_of = j > i
            && tokens[j].text == "of"
            && tokens.get(j + 1).is_some_and(|n| {
                n.is_word()
                    && !n.is_capitalised()
                    && !in_list(n, &STOPS)
                    && !in_list(n, &DETERMINERS)
            });
        if in_list(&tokens[j], &STOPS) && !role_of {
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
pub(super) fn apposed_after(tokens: &[Token], j: usize) -> Option<Who> {
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
pub(super) fn joins_titled_name(tokens: &[Token], from: usize, j: usize) -> bool {
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
pub(super) fn role_words_then_name(tokens: &[Token], j: usize) -> bool {
    (j..tokens.len().min(j + 4))
        .find(|&k| {
            let t = &tokens[k];
            !t.is_word() || t.is_capitalised() || in_list(t, &STOPS) || in_list(t, &WHERE)
        })
        .is_some_and(|k| k > j && name_word(tokens, k))
}

/// "“…” Jo Roe, 81 and retired in Ohio, said": the name right after the
/// quote, then appositions up to a comma before the verb at `v`.
pub(super) fn apposed_name(tokens: &[Token], lo: usize, v: usize) -> Option<Who> {
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
    // "…” Jo Roe, an analyst at Acme told …": the second comma left out.
    let apposition = (tokens.get(e).is_some_and(|t| t.is(',') || t.is('('))
        && w > e + 1
        && tokens[w - 1].is(','))
        || open_description(tokens, e, w);
    apposition.then(|| Who::Named(join_name(&tokens[i..e])))
}

/// The first name or pronoun of a clause, skipping an opening phrase.
pub(super) fn sentence_subject(tokens: &[Token]) -> Option<Who> {
    clause_subject(tokens, false)
}

/// A clause that opens with a description and its verb: "The band
/// leader thanked the crowd", "At the rally, a spokeswoman for the
/// agency declined": the description, not a name later in the clause.
pub(super) fn described_subject(tokens: &[Token]) -> Option<Who> {
    let from = opening_end(tokens);
    if !in_list(tokens.get(from)?, &DETERMINERS) {
        return None;
    }
    let v = (from + 2..tokens.len().min(from + 10)).find(|&k| verb_after_subject(&tokens[k]))?;
    // "The film showed Jo Roe, apparently talking …": a name set off by
    // a comma after the verb is whom the participle that follows is about.
    let set_off = (v + 1..tokens.len().saturating_sub(1))
        .any(|k| tokens[k].is_capitalised() && name_word(tokens, k) && tokens[k + 1].is(','));
    let (who, start) = subject_before(tokens, from, v).filter(|_| !set_off)?;
    (start == from).then_some(who)
}

/// Where a clause starts after its opening phrase ("Appearing before
/// supporters, …", "After the vote, …"), which ends at the first comma.
fn opening_end(tokens: &[Token]) -> usize {
    // A participle ("Speaking to reporters, …"), not a name in -ing
    // with its verb ("Boreing nodded, but said …").
    let verb_next = tokens
        .get(1)
        .is_some_and(|n| is_speech_verb(n) || (!n.is_capitalised() && n.text.ends_with("ed")));
    let opening = tokens.first().is_some_and(|t| {
        let preposition = in_list(t, &OPENERS);
        preposition || (t.is_capitalised() && t.text.ends_with("ing") && !verb_next)
    });
    if opening {
        tokens.iter().position(|t| t.is(',')).map_or(0, |c| c + 1)
    } else {
        0
    }
}

/// A lower-case word that is neither a determiner nor a word that ends
/// a subject ("of", "and").
fn verb_at_word(t: &Token) -> bool {
    t.is_word() && !t.is_capitalised() && !in_list(t, &DETERMINERS) && !in_list(t, &STOPS)
}

/// A word that reads as the verb right after a subject: a speech verb,
/// a past tense, or a common auxiliary ("The Tory leader went on").
fn verb_after_subject(t: &Token) -> bool {
    verb_at_word(t)
        && (is_speech_verb(t)
            || t.text.ends_with("ed")
            || in_list(t, &AUXILIARIES)
            || in_list(t, &BETWEEN)
            || in_list(t, &IRREGULAR_VERBS))
}

/// The first name or pronoun of a clause; with `with_verb`, only one that
/// a verb follows ("Roe went further"), not a lone heading word.
pub fn clause_subject(tokens: &[Token], with_verb: bool) -> Option<Who> {
    clause_subject_at(tokens, with_verb).map(|(who, _)| who)
}

/// The subject when it opens its clause (after an opening phrase, and
/// "The" of a name: "The New York Times characterized …"), not a name
/// further in ("The town said Roe's …", "Led by Roe, the rally …").
pub(super) fn leading_subject(tokens: &[Token]) -> Option<Who> {
    let from = opening_end(tokens);
    let (who, at) = clause_subject_at(tokens, true)?;
    let the = tokens.get(from).is_some_and(|t| t.lower() == "the") && at == from + 1;
    (at == from || the).then_some(who)
}

/// [`clause_subject`] and where it starts (its first role word).
fn clause_subject_at(tokens: &[Token], with_verb: bool) -> Option<(Who, usize)> {
    let from = opening_end(tokens);
    // The subject is the first name or pronoun followed by a verb-like
    // lower-case word ("Here in Columbia, Sanders stepped up …"); failing
    // that, the first name at all.
    let mut first = None;
    let mut i = from;
    let mut after_role = false;
    let mut role_start = None;
    while i < tokens.len() {
        let t = &tokens[i];
        if let Some(g) = pronoun(t) {
            return Some((Who::Pronoun(g), i));
        }
        if t.is_word() && t.is_capitalised() && !in_list(t, &NOT_NAMES) {
            let mut j = i;
            while j < tokens.len() && name_word(tokens, j) {
                j += 1;
            }
            if j == i {
                i += 1;
                continue;
            }
            let who = Who::Named(join_name(&tokens[i..j]));
            let verb_at = |k: usize| {
                tokens.get(k).is_some_and(|n| {
                    n.is_word()
                        && !n.is_capitalised()
                        && !in_list(n, &DETERMINERS)
                        && (!in_list(n, &STOPS) || (with_verb && in_list(n, &AUXILIARIES)))
                })
            };
            // "Roe, who has long opposed it, called …"
            let relative = tokens.get(j).is_some_and(|n| n.is(','))
                && tokens.get(j + 1).is_some_and(|n| n.lower() == "who");
            // "Roe, the city's addictions doctor, is more blunt: …"
            let apposed = tokens.get(j).is_some_and(|n| n.is(','))
                && tokens.get(j + 1).is_some_and(|n| in_list(n, &DETERMINERS))
                && tokens[j + 1..]
                    .iter()
                    .take(16)
                    .position(|n| n.is(','))
                    .is_some_and(|c| verb_at(j + 2 + c));
            // "Tory leader Michael Howard said": a party or a place, role
            // words, then the name that is the subject.
            let roles = tokens[j..]
                .iter()
                .take_while(|t| t.is_word() && !t.is_capitalised())
                .all(|t| {
                    !is_speech_verb(t)
                        && !t.text.ends_with("ed")
                        && !is_adverb(t)
                        && !in_list(t, &BETWEEN)
                        && !matches!(t.text, "once" | "now" | "then" | "who")
                });
            if roles && role_words_then_name(tokens, j) {
                after_role = true;
                role_start.get_or_insert(i);
                i = j;
                continue;
            }
            // "The Tory leader went on": a description whose modifier is
            // a name.
            let determined = i > from && in_list(&tokens[i - 1], &DETERMINERS);
            let noun = tokens.get(j).is_some_and(|n| {
                verb_at_word(n)
                    && !is_speech_verb(n)
                    && !n.text.ends_with("ed")
                    && !n.text.ends_with("ly")
                    && !in_list(n, &AUXILIARIES)
                    && !in_list(n, &BETWEEN)
            });
            if determined && noun && tokens.get(j + 1).is_some_and(verb_after_subject) {
                return Some((Who::Named(join(&tokens[i - 1..=j])), i - 1));
            }
            // "- Brentford boss Martin Allen: “…”" ends with the name.
            let last_words = after_role && j == tokens.len();
            if relative || apposed || verb_at(j) || last_words {
                return Some((who, role_start.unwrap_or(i)));
            }
            first.get_or_insert((who, i));
            // A capitalised word that cannot be in a name ("Monday") still moves on.
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    first.filter(|_| !with_verb)
}
