//! Who a description that speaks stands for ("the mayor", "the
//! company", "her statement"), from what the article says before it.

use super::people::People;
use super::speaker::{self, Gender};
use super::tokens::{tokenize, Token};
use super::words::{
    role_of_abbreviation, DETERMINERS, DOCUMENTS, ORGANISATIONS, ROLE_QUALIFIERS, WRITING_VERBS,
};

/// Who a description that speaks stands for, when the sentences before
/// it name them: "the company" the organisation just named, "the rookie
/// defenceman" the person they are about, "her statement" the woman.
/// `None` keeps the description: an indefinite one ("a spokesman")
/// brings in someone new, and a document ("the report") is no one.
pub fn description_of(
    body: &str,
    description: &str,
    pos: usize,
    people: &People,
) -> Option<String> {
    let words: Vec<&str> = description
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let (first, head) = (words.first()?.to_lowercase(), *words.last()?);
    // "the Times", "the IFSD’s Azfar Ali Khan": a name, not a description.
    if head.starts_with(char::is_uppercase) {
        return None;
    }
    let head = head.to_lowercase();
    if !people.take_lookup() {
        return None;
    }
    // "the two", "the attendees": not one person.
    if DETERMINERS.contains(head.as_str()) || plural(&head) {
        return None;
    }
    if DOCUMENTS.contains(head.as_str()) {
        // "the IMF report", "a White House statement": the body that
        // issued it.
        // (A lone "report" has no words between.)
        let between = words.get(1..words.len().saturating_sub(1)).unwrap_or(&[]);
        let issuer: Vec<&str> = between
            .iter()
            .map(|w| w.trim_end_matches("'s").trim_end_matches("’s"))
            .filter(|w| w.starts_with(char::is_uppercase))
            .collect();
        if !issuer.is_empty() && issuer.len() + 2 == words.len() {
            return Some(issuer.join(" "));
        }
        let gender = match first.as_str() {
            "his" => Gender::Male,
            "her" => Gender::Female,
            // "its report": the organisation the sentences before name.
            "its" => return people.salient_organisation(pos),
            // "the report", "the post": whoever the article said wrote
            // or issued it.
            "the" => return document_author(body, &head, pos, people),
            _ => return None,
        };
        return people.salient(gender, pos);
    }
    if first != "the" {
        return None;
    }
    if ORGANISATIONS.contains(head.as_str()) {
        return people.organisation_for(body, &head, pos);
    }
    // "a justice official said … the official added": the one brought in
    // by "a", whom the article does not name.
    if introduced_unnamed(&body[..pos.min(body.len())], &head) {
        return None;
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    role_holder(body, &lower, &head, pos, people).or_else(|| {
        // Its capitalised words ("the Senate Democratic leader") must
        // be said of the person too.
        let proper: Vec<String> = words[1..]
            .iter()
            .filter(|w| w.starts_with(char::is_uppercase))
            .map(|w| w.to_lowercase())
            .collect();
        described_holder(body, &lower, &proper, &head, pos, people)
    })
}

/// The text before `pos`, up to `BEFORE` bytes of it, as words.
fn tokens_before(body: &str, pos: usize) -> Vec<Token<'_>> {
    const BEFORE: usize = 20_000;
    let pos = pos.min(body.len());
    let mut lo = pos.saturating_sub(BEFORE);
    while !body.is_char_boundary(lo) {
        lo += 1;
    }
    tokenize(&body[lo..pos], lo)
}

/// The person name that ends right before `tokens[end]`, as the article
/// names a person: two words or more, or a short form of a fuller name.
fn name_ending_at(tokens: &[Token], end: usize, people: &People) -> Option<String> {
    let mut b = end;
    while b > 0 && speaker::name_word(tokens, b - 1) {
        b -= 1;
    }
    let b = speaker::trim_name(tokens, b, end)?;
    let name = speaker::join_name(&tokens[b..end]);
    (people.may_be_person(&name)
        && speaker::is_proper(&name)
        && (name.contains(' ') || people.is_known(&name)))
    .then_some(name)
}

/// Nouns that name more than one person without ending in "s".
fn plural_person(head: &str) -> bool {
    matches!(
        head,
        "people" | "men" | "women" | "children" | "police" | "staff" | "crowd" | "audience"
    )
}

/// The person the text before `pos` describes with the description's
/// head noun, the nearest: in an apposition ("Caleb Jones, a rookie
/// defenceman,", "Ann Roe, 34, a mother of three,") or a predicate
/// ("Ann Roe is a professor of …", "Ann Roe, who is the proprietor,");
/// or, for "the 34-year-old", the person the article gives that age
/// ("Ann Roe, 34,"). What a description says of someone is evidence a
/// reader has; nearness alone is not.
fn described_holder(
    body: &str,
    description: &[String],
    proper: &[String],
    head: &str,
    pos: usize,
    people: &People,
) -> Option<String> {
    let tokens = tokens_before(body, pos);
    let age = description
        .iter()
        .find_map(|w| w.strip_suffix("-year-old"))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let described = |i: usize| -> Option<String> {
        let t = &tokens[i];
        let w = t.lower();
        if let Some(n) = age {
            // "Ann Roe, 34," or "Ann Roe (34)".
            if t.text == n && i >= 2 && (tokens[i - 1].is(',') || tokens[i - 1].is('(')) {
                let close = tokens.get(i + 1);
                if close.is_some_and(|c| c.is(',') || c.is(')') || c.ends_sentence()) {
                    return name_ending_at(&tokens, i - 1, people);
                }
            }
            // "the 34-year-old Ann Roe"
            if w == format!("{n}-year-old") {
                let mut k = i + 1;
                while k < tokens.len() && speaker::name_word(&tokens, k) {
                    k += 1;
                }
                if k > i + 1 {
                    return name_ending_at(&tokens, k, people);
                }
            }
            return None;
        }
        if w != head || plural_person(head) || head.ends_with("ing") {
            return None;
        }
        // The apposition or predicate ends at the head or goes on with
        // a phrase of its own ("a professor of engineering"), as a
        // description does, not with a verb ("Jo's drinking was").
        let ends = tokens.get(i + 1).is_none_or(|n| {
            !n.is_word()
                || matches!(
                    n.lower().as_str(),
                    "of" | "at" | "for" | "with" | "from" | "in" | "on" | "who" | "and"
                )
        });
        if !ends {
            return None;
        }
        // Back over the words of the apposition or predicate, in its
        // sentence, to the comma or verb that joins it to the name.
        let mut k = i;
        while k > 0 && i - k < 8 {
            let p = &tokens[k - 1];
            if !p.is_word() || matches!(p.lower().as_str(), "is" | "was" | "who" | "as") {
                break;
            }
            k -= 1;
        }
        // The apposition's first word: "a", "an", "the", a possessive or
        // a number ("Ann Roe, 34, a …" is skipped below).
        let joint = k.checked_sub(1)?;
        let mut at = match tokens[joint].lower().as_str() {
            "," | "(" => joint,
            "is" | "was" | "as" => joint,
            _ => return None,
        };
        // "Ann Roe, who is …", "Ann Roe, 34, a …"
        if matches!(tokens[at].lower().as_str(), "is" | "was") && at >= 2 {
            if tokens[at - 1].lower() == "who" && tokens[at - 2].is(',') {
                at -= 2;
            } else if !tokens[at - 1].is_word() {
                return None;
            }
        }
        if at >= 3
            && tokens[at].is(',')
            && tokens[at - 1].text.bytes().all(|b| b.is_ascii_digit())
            && tokens[at - 2].is(',')
        {
            at -= 2;
        }
        // "as" joins only a role given to the sentence's subject: not
        // here, where it may be anyone's.
        if tokens[at].text == "as" {
            return None;
        }
        // It opens with a determiner: "is a professor", not "is
        // qualified to be president".
        let first = tokens.get(at + 1)?;
        let opens = matches!(first.lower().as_str(), "a" | "an" | "the")
            || first.text.ends_with("'s")
            || first.text.ends_with("’s");
        let plain = tokens[at + 1..i]
            .iter()
            .all(|t| !matches!(t.lower().as_str(), "to" | "be" | "been" | "and" | "or"));
        if !opens || !plain {
            return None;
        }
        // It says no less than the description, and nothing against it:
        // "the Senate Democratic leader" is not "a former NAACP leader".
        let said: Vec<String> = tokens[at + 1..i].iter().map(Token::lower).collect();
        let against = said
            .iter()
            .any(|w| ROLE_QUALIFIERS.contains(w.as_str()) && !description.contains(w));
        let unsaid = description
            .iter()
            .filter(|w| ROLE_QUALIFIERS.contains(w.as_str()))
            .chain(proper)
            .any(|w| !said.contains(w));
        if against || unsaid {
            return None;
        }
        name_ending_at(&tokens, at, people)
    };
    let found = (0..tokens.len()).rev().find_map(described)?;
    Some(people.canonical(&found, pos))
}

/// Who wrote or issued the document a definite description names ("the
/// post", "the report", "the letter"), from the nearest sentence before
/// `pos` that mentions it: "Jo Roe wrote in a blog post", "a report by
/// the Fraser Institute", "Jo Roe's letter". `None` when that sentence
/// names no one for it: a document is no speaker.
fn document_author(body: &str, head: &str, pos: usize, people: &People) -> Option<String> {
    // The document was brought in just before, not anywhere in the article.
    const NEAR: usize = 1_500;
    let tokens = tokens_before(body, pos);
    let tokens = &tokens[tokens.partition_point(|t| t.start + NEAR < pos)..];
    let by = |i: usize| {
        tokens
            .get(i + 1)
            .is_some_and(|t| matches!(t.text, "by" | "from"))
    };
    // The document by its noun, else the nearest document the article
    // brought in with its author ("A study by the Example Institute
    // found … the report said").
    let i = tokens.iter().rposition(|t| t.lower() == head).or_else(|| {
        let k = tokens
            .iter()
            .rposition(|t| t.is_word() && DOCUMENTS.contains(t.lower().as_str()))?;
        by(k).then_some(k)
    })?;
    // "a report by the Fraser Institute", "a letter from Jo Roe"
    if by(i) {
        let mut k = i + 2;
        if tokens.get(k).is_some_and(|t| t.text == "the") {
            k += 1;
        }
        let s = k;
        // "the University of Calgary’s School of Public Policy": across
        // "of" when a name goes on after it.
        while k < tokens.len()
            && (speaker::name_word(tokens, k)
                || (k > s
                    && tokens[k].text == "of"
                    && tokens.get(k + 1).is_some_and(Token::is_capitalised)))
        {
            k += 1;
        }
        if k > s {
            let name = speaker::join_name(&tokens[s..k]);
            return Some(people.canonical(&name, pos));
        }
    }
    // "Jo Roe's letter", "Jo Roe's blog post"
    let mut k = i;
    while k > 0 && i - k < 3 && tokens[k - 1].is_word() && !tokens[k - 1].is_capitalised() {
        k -= 1;
    }
    if let Some(p) = k.checked_sub(1).map(|p| &tokens[p]) {
        let possessive = p.text.ends_with("'s") || p.text.ends_with("’s");
        if possessive && p.is_capitalised() {
            if let Some(name) = name_ending_at(tokens, k, people) {
                return Some(people.canonical(&name, pos));
            }
        }
    }
    // "Jo Roe wrote in a blog post": the subject of a verb of writing
    // or issuing in the document's sentence.
    let start = tokens[..i]
        .iter()
        .rposition(Token::ends_sentence)
        .map_or(0, |e| e + 1);
    // "Jo Roe stated in a blog post" as well as "wrote"; not "Labour
    // says the document …".
    let writes = |k: usize| {
        let t = &tokens[k];
        WRITING_VERBS.contains(t.lower().as_str())
            || (speaker::is_speech_verb(t)
                && tokens.get(k + 1).is_some_and(|n| n.text == "in")
                && i - k <= 6)
    };
    // The verb nearest the document: "The Times said Cook provided a
    // statement" is Cook's; "Labour says the document offers …" is
    // Labour's word on it, not its author.
    let v = (start..i).rev().find(|&k| writes(k))?;
    let (who, _) = speaker::subject_before(&tokens[start..], 0, v - start)?;
    match who {
        speaker::Who::Named(name) if speaker::is_proper(&name) => {
            Some(people.canonical(&name, pos))
        }
        speaker::Who::Pronoun(g) if g != Gender::Unknown => people.salient(g, tokens[start].start),
        _ => None,
    }
}

/// The person the text before `pos` gives the role of `description`
/// (whose head noun is `head`), the nearest: "Mayor John Tory", "Texas
/// Sen. Ted Cruz", "defenceman Caleb Jones", "Tory, the city's mayor,".
/// A role with a qualifier the description lacks is another one: "World
/// Bank President Jim Yong Kim" is not "the president", nor is a former
/// governor "the governor". `None` when no one has the role: a
/// description is not resolved on nearness alone (the man, the heckler
/// and the narrator are often someone the article never names).
fn role_holder(
    body: &str,
    description: &[String],
    head: &str,
    pos: usize,
    people: &People,
) -> Option<String> {
    const BEFORE: usize = 20_000;
    let mut lo = pos.saturating_sub(BEFORE);
    while !body.is_char_boundary(lo) {
        lo += 1;
    }
    let tokens = tokenize(&body[lo..pos], lo);
    let is_role = |i: usize| {
        let w = tokens[i].lower();
        if w != head && role_of_abbreviation(&w) != Some(head) {
            return false;
        }
        let Some(q) = i.checked_sub(1).map(|q| &tokens[q]) else {
            return true;
        };
        let ql = q.lower();
        let other = ROLE_QUALIFIERS.contains(ql.as_str())
            || (q.is_word() && q.is_capitalised() && !description.contains(&ql));
        !other
    };
    (0..tokens.len())
        .rev()
        .filter(|&i| is_role(i))
        .find_map(|i| {
            // A title before the name, with its full stop ("Sen. Ted Cruz").
            let mut j = i + 1;
            let short = role_of_abbreviation(&tokens[i].lower()).is_some();
            if short && tokens.get(j).is_some_and(|n| n.is('.')) {
                j += 1;
            }
            let mut k = j;
            while k < tokens.len() && speaker::name_word(&tokens, k) {
                k += 1;
            }
            let name = if k > j {
                Some(speaker::join_name(&tokens[j..k]))
            } else {
                // "Tory, the city's mayor,": a name, a comma, then the role
                // within a few words.
                (i.saturating_sub(6)..i)
                    .rev()
                    .find(|&c| tokens[c].is(','))
                    .filter(|&c| {
                        tokens[c + 1..i]
                            .iter()
                            .all(|w| w.is_word() || w.text.contains(['\'', '’']))
                    })
                    .and_then(|c| {
                        let mut b = c;
                        while b > 0 && speaker::name_word(&tokens, b - 1) {
                            b -= 1;
                        }
                        (b < c).then(|| speaker::join_name(&tokens[b..c]))
                    })
            }?;
            (speaker::is_proper(&name)
                && (name.contains(' ') || people.is_known(&name))
                && people.may_be_person(&name))
            .then(|| people.canonical(&name, pos))
        })
}

/// Whether a noun is plural by its ending: "officials", "attendees", not
/// "boss" or "campus".
fn plural(noun: &str) -> bool {
    noun.ends_with('s') && !noun.ends_with("ss") && !noun.ends_with("us") && !noun.ends_with("is")
}

/// Whether the text before has brought in someone by `head` with an
/// indefinite article, within a few words: "a justice official", "an
/// aide to the minister".
fn introduced_unnamed(before: &str, head: &str) -> bool {
    let from = before.len().saturating_sub(4000);
    let from = (from..before.len())
        .find(|&i| before.is_char_boundary(i))
        .unwrap_or(before.len());
    let tokens = tokenize(&before[from..], 0);
    // "Caleb Moss, a rookie defenceman,": in apposition to a name, the
    // indefinite describes someone named.
    let apposed = |a: usize| a >= 2 && tokens[a - 1].is(',') && tokens[a - 2].is_capitalised();
    tokens.iter().enumerate().any(|(i, t)| {
        t.text.eq_ignore_ascii_case(head)
            && (i.saturating_sub(4)..i)
                .any(|a| matches!(tokens[a].lower().as_str(), "a" | "an") && !apposed(a))
    })
}
