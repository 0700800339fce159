//! Direct quotations and their speakers: the spans between quotation
//! marks, each attributed from the words around it or left without one.
//!
//! [`spans`] finds the quotes, [`speaker`] reads the attribution in the
//! sentence, [`people`] turns pronouns and short names into full names.

mod captions;
mod descriptions;
mod people;
mod spans;
mod speaker;
mod tokens;
mod words;

use crate::{Entity, Quote};
use descriptions::description_of;
use people::People;
use spans::{Para, Span};
use speaker::{Attribution, Gender, Who};
use tokens::{tokenize, tokenize_until, Token};

/// A quote this short with no speech verb touching it is a scare quote or
/// a title ("the so-called “no limits” partnership"), not speech.
const SHORT_WORDS: usize = 3;

/// A quote this long, the object of a verb that does not speak ("Roe
/// attacked “…”"), is the subject's words; shorter ones are most often
/// phrases of the writer's ("accused them of “grandstanding”").
const OBJECT_WORDS: usize = 6;

/// The direct quotes of a body, with speakers where the text names them.
pub fn extract(body: &str, entities: &[Entity]) -> Vec<Quote> {
    // Read once: the paragraphs and the people's sentences both depend
    // on it.
    let wrapped = crate::extract::wrap::hard_wrapped(body);
    let paras = spans::paragraphs(body, wrapped);
    // Marks around nothing but punctuation (a stray mark pair) are not quotes.
    let spans: Vec<Span> = spans::find(body, &paras)
        .into_iter()
        .filter(|s| body[s.start..s.end].chars().any(char::is_alphanumeric))
        .collect();
    if spans.is_empty() {
        return Vec::new();
    }
    let captions = captions::captions(body, &paras);
    let people = People::new(body, wrapped, &spans, entities, &captions);
    let mut quotes: Vec<Quote> = Vec::with_capacity(spans.len());
    // The paragraph and speaker of the last attributed quote.
    let mut last: Option<(usize, String)> = None;
    // The speaker of the quote before, and whether it was named before
    // that quote in its sentence.
    let mut prev: Option<(String, bool)> = None;
    for (k, span) in spans.iter().enumerate() {
        crate::guard::checkpoint();
        // A speaker is named without the titles before the name
        // ("Russian President Vladimir Putin" is "Vladimir Putin"), nor
        // the punctuation after it.
        let found = attribute(
            body,
            &paras,
            &spans,
            k,
            last.as_ref(),
            prev.as_ref(),
            &people,
        );
        let leads = found.as_ref().is_some_and(|s| s.leads);
        let speaker = found
            .as_ref()
            .map(|s| clean(people.strip_titles(&s.name)))
            .filter(|s| !pronoun_phrase(s));
        if let Some(s) = &speaker {
            last = Some((span.para, s.clone()));
        }
        prev = speaker.clone().map(|s| (s, leads));
        quotes.push(Quote {
            text: body[span.start..span.end].to_owned(),
            speaker_text: found
                .and_then(|s| s.as_written)
                .map(|w| clean(&w))
                .filter(|w| Some(w) != speaker.as_ref()),
            speaker,
            start: span.start,
            end: span.end,
        });
    }
    quotes
}

/// A speaker's name without the spaces and punctuation around it.
fn clean(name: &str) -> String {
    name.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.' | '—' | '–' | '-')
    })
    .to_owned()
}

/// Whether a speaker is a pronoun with other words ("what it", "that
/// he", "Washington D.C. He"): no rule should give one, and a reader
/// could not tell whom it names.
fn pronoun_phrase(speaker: &str) -> bool {
    if !speaker.contains(' ') {
        return false;
    }
    let tokens = tokenize(speaker, 0);
    // In lower case, or a subject pronoun with a capital ("Me", "Us"
    // may be names or a name's first letters).
    let pronoun = |t: &Token| {
        speaker::personal_pronoun(t) && (!t.is_capitalised() || speaker::pronoun(t).is_some())
    };
    // "I" before a lower-case word is the pronoun ("I can't"), not the
    // numeral of a name.
    let i_pronoun = tokens
        .windows(2)
        .any(|w| w[0].text == "I" && w[1].is_word() && !w[1].is_capitalised());
    tokens.iter().filter(|t| t.is_word()).count() > 1 && (i_pronoun || tokens.iter().any(pronoun))
}

/// The words of `body[from..to]` up to the first sentence end; the rest
/// is not read.
fn first_sentence(body: &str, from: usize, to: usize) -> Vec<Token<'_>> {
    sentence_from(body, from, to).0
}

/// [`first_sentence`], and whether a sentence end cut it before `to`.
fn sentence_from(body: &str, from: usize, to: usize) -> (Vec<Token<'_>>, bool) {
    let ended = std::cell::Cell::new(false);
    let tokens = tokenize_until(&body[from..to], from, |t| {
        ended.set(t.ends_sentence());
        ended.get()
    });
    (tokens, ended.get())
}

/// The words of `tokens` after the last sentence end.
fn last_sentence<'t, 'a>(tokens: &'t [Token<'a>]) -> &'t [Token<'a>] {
    let start = tokens
        .iter()
        .rposition(Token::ends_sentence)
        .map_or(0, |e| e + 1);
    &tokens[start..]
}

fn word_count(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .count()
}

/// Whether a quote reads as a title or a name: every word capitalised.
fn title_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() <= 8
        && words.iter().all(|w| {
            let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
            w.chars()
                .next()
                .is_none_or(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(
                    w,
                    "of" | "the" | "a" | "an" | "and" | "in" | "on" | "for" | "to"
                )
        })
}

/// The speaker of `spans[k]`, in the fullest form the article uses.
///
/// The rules, in the order they are tried; the first that finds someone
/// decides:
///
/// 1. After the quote, in its sentence: "“…,” Lavrov said", "“…,” said
///    Lavrov", "“…,” according to Lavrov" ([`speaker::after`]); not for a
///    quote that goes on in the next paragraph.
///    Then the author after a title, a person the article names in
///    full: "“Born to Run” was written by Jo Roe", "a paper titled “…” by
///    Kim Park and Lou Berg" ([`speaker::by_author`]); and a full name
///    right before a quote set off by dashes: "including Jo Roe -- “…”
///    --" ([`speaker::dashed`]).
/// 2. Before it, in its sentence: "Lavrov said: “…”", "Roe called the
///    deal “…”" ([`speaker::before`]).
/// 3. A paragraph ending "Lavrov said:" before a paragraph that opens
///    with the quote.
/// 4. A credit line under a quote paragraph: "— Jo Roe, Ohio".
/// 5. A short sentence right before it: "Jo Roe agreed. “…”".
///
/// What they find is then resolved: a name to the fullest form the
/// article uses; a pronoun to the person the sentences before it are
/// about ([`People::salient`]), else the last speaker if close and of a
/// fitting gender; "it" to the organisation just named (else the one
/// that spoke last, close before); "adding: “…”" to
/// the last speaker. A quote that is short or reads as a title needs its
/// verb right at it. When no rule finds anyone, or a short quote's is too
/// far from it, the quote goes on with the speaker of the quote before it
/// in its sentence, if that speaker is named before that quote ("Roe
/// called it “bold” and based on “one giant assumption”"); else a quote
/// right after a name's possessive is that name's ("Musk's “production
/// hell”", not a title: "CNN's “The Lead”"); else a "he" or "she" whose
/// sentence it is, when that is who was quoted last, within two
/// paragraphs ("He … became “acutely aware” of the risks"). Then, for a
/// quote that is not short:
///
/// 6. A paragraph that is only a quote, after one whose last sentence
///    reports someone speaking ("Matlow said he thinks …"): theirs.
/// 7. A quote that goes on from the last one: the next part of a
///    multi-paragraph quote, a quote paragraph right after an attributed
///    one or one paragraph about its speaker, or the next sentence of
///    the same speech.
/// 8. A quote of [`OBJECT_WORDS`] words or more, not title-like, that is
///    the object of a verb that does not speak: the subject that opens
///    its clause, a person or organisation ("In an August speech, Roe
///    attacked “…”"; not in the passive: "was hailed as “…”")
///    ([`speaker::object_of`]).
fn attribute(
    body: &str,
    paras: &[Para],
    spans: &[Span],
    k: usize,
    last: Option<&(usize, String)>,
    prev: Option<&(String, bool)>,
    people: &People,
) -> Option<Speaker> {
    let span = &spans[k];
    let para = paras[span.para];
    let text = &body[span.start..span.end];
    let from = match k.checked_sub(1).map(|p| &spans[p]) {
        Some(p) if p.close <= span.open && p.close >= para.start => p.close,
        _ => para.start.min(span.open),
    };
    let to = spans
        .get(k + 1)
        .filter(|n| n.para == span.para)
        .map_or(para.end, |n| n.open);
    // A quoted question or exclamation is followed by its attribution
    // ("“Why now?” Jo Roe asked, …"), not by a new sentence of reporting.
    let closed = text.trim_end().ends_with('.') && !text.trim_end().ends_with("...");
    let (after_tokens, ended) = sentence_from(body, span.close, to);
    // The sentence after the quote runs on into the next quote.
    let into_quote = to < para.end && !ended;
    let after = if span.continued {
        None
    } else {
        speaker::after(&after_tokens, closed, into_quote)
    };
    // The words before the quote in its paragraph, read once for the
    // rules that look at its sentence and at the one before.
    let words_before = tokenize(&body[from..span.open], from);
    let before_tokens = last_sentence(&words_before);
    // The words before the quote start at an earlier quote of the
    // sentence, one that did not end it ("“We won.” Roe said …" starts
    // a sentence of its own).
    let cut = from > para.start
        && before_tokens
            .first()
            .is_some_and(|t| body[from..t.start].trim().is_empty())
        && k.checked_sub(1)
            .is_none_or(|p| !ends_its_sentence(body, &spans[p]));
    let by = if after.is_none() && !span.continued {
        speaker::by_author(&after_tokens).filter(|a| {
            // A person, whom the article names in full; not an outlet's
            // writer ("by the Post's Jo Roe").
            let Who::Named(n) = &a.who else {
                return false;
            };
            let full = people.canonical(n, span.start);
            !n.contains("'s")
                && !n.contains("’s")
                && full.split_whitespace().count() >= 2
                && people.may_be_person(&full)
        })
    } else {
        None
    };
    let dashed = if after.is_none() {
        speaker::dashed(before_tokens, &after_tokens)
    } else {
        None
    };
    let tight = after.is_some() || by.is_some() || dashed.is_some();
    let mut leads = false;
    let found = after
        .clone()
        .or(by)
        .or(dashed)
        .or_else(|| {
            let b = speaker::before(before_tokens, cut);
            leads = b.is_some();
            b
        })
        .or_else(|| {
            // "Lavrov said:" closing the paragraph before a quote paragraph.
            let starts_para = span.open == para.start;
            let prev_para = span.para.checked_sub(1).map(|i| paras[i])?;
            let lead = body[prev_para.start..prev_para.end].trim_end();
            (starts_para && lead.ends_with(':'))
                .then(|| {
                    let lead = tokenize(lead, prev_para.start);
                    speaker::before(last_sentence(&lead), false)
                })
                .flatten()
        });
    let found = found
        .or_else(|| credit_below(body, paras, span))
        .or_else(|| short_sentence_before(&words_before));
    let words = word_count(text);
    // A short full sentence ("Nine long years.") is speech, not a scare quote.
    let sentence = text.chars().next().is_some_and(char::is_uppercase)
        && text.trim_end().ends_with(['.', '?', '!']);
    let short = (words <= SHORT_WORDS && !sentence) || (title_like(text) && words <= 8);
    // A quote in the sentence of one whose speaker was named before it
    // ("Roe called the plan “bold” and based on “one giant
    // assumption.”"): the same speaker.
    // (`cut` says the quote before did not end the sentence.)
    let same_sentence = || {
        let (name, lead) = prev?;
        (cut && *lead).then(|| Speaker {
            name: name.clone(),
            as_written: None,
            leads: true,
        })
    };
    // "Musk's “production hell”": the possessor's words.
    let possessed = || {
        // Not a title: "CNN's “The Lead”" names the show, not words.
        if title_like(text) {
            return None;
        }
        let who = speaker::possessor(before_tokens)?;
        let name = resolve(body, &who, span.start, people)?;
        Some(Speaker::written(name, who.as_written()))
    };
    // "He … became “acutely aware” of the risks": a "he" or "she" the
    // sentence is about, when it stands for whoever was quoted last,
    // within two paragraphs. Not a title ("He walked on to “Eye of the
    // Tiger”").
    let subject = || {
        if title_like(text) {
            return None;
        }
        let Who::Pronoun(g) = speaker::clause_subject(before_tokens, true)? else {
            return None;
        };
        let at = before_tokens.first().map_or(span.start, |t| t.start);
        let name = (g != Gender::Unknown)
            .then(|| people.salient(g, at))
            .flatten()?;
        let (p, quoted) = last?;
        (*quoted == name && *p + 2 >= span.para)
            .then(|| Speaker::written(name, Who::Pronoun(g).as_written()))
    };
    match found {
        Some(Attribution { who, adjacent }) => {
            // A title needs its verb right at it: "the film “Up”" is not speech.
            let strict = title_like(text)
                && !tight
                && !before_tokens.last().is_some_and(|t| t.is(':') || t.is(','));
            if short && (!adjacent || strict) {
                return same_sentence().or_else(possessed).or_else(subject);
            }
            let written = who.as_written();
            // A pronoun before the quote stands for someone named before
            // it ("The 14-year-old said she … but joked that “…”"), not
            // for whom its own clause goes on to name.
            // Right after an opening phrase, it is the person that phrase
            // names ("When Roe was at school, he studied …").
            let (at, after_opening) = match who {
                Who::Pronoun(g) if after.is_none() => before_tokens
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, t)| speaker::pronoun(t) == Some(g))
                    .map_or((span.start, false), |(i, t)| {
                        (t.start, i > 0 && before_tokens[i - 1].is(','))
                    }),
                _ => (span.start, false),
            };
            let speaker = if who == Who::Previous {
                last.filter(|(p, _)| *p == span.para)
                    .map(|(_, s)| s.clone())
            } else {
                resolve_in_context(body, &who, span, (at, after_opening), last, people)
            };
            speaker.map(|s| Speaker {
                leads,
                ..Speaker::written(s, written)
            })
        }
        None if short => same_sentence().or_else(possessed).or_else(subject),
        None => {
            if let Some(s) = same_sentence().or_else(possessed) {
                return Some(s);
            }
            // A paragraph that is only a quote, after one that reports what
            // someone said ("Matlow said he thinks …"): theirs.
            let opens_para = span.open == para.start;
            // After a paragraph with an attributed quote, what follows
            // goes on with its speaker (below), unless a sentence after
            // that quote reports someone else speaking ("…,” Kemp
            // responded. …, Mr Howard said.").
            let from = match last {
                Some((p, _)) if p + 1 == span.para => spans[..k]
                    .iter()
                    .rev()
                    .find(|q| q.para == *p)
                    .map_or(After::Start(para.start), |q| {
                        // A quote that ends its sentence ("“….” The
                        // floods …, Ms Quist said.") leaves the next one
                        // whole; else the words after it finish its own.
                        let text = body[q.start..q.end].trim_end();
                        if text.ends_with('.') && !text.ends_with("...") {
                            After::Start(q.close)
                        } else {
                            After::SentenceOf(q.close)
                        }
                    }),
                _ => After::Start(0),
            };
            if opens_para && !span.continuation {
                if let Some(prev) = span.para.checked_sub(1).map(|i| paras[i]) {
                    if let Some(person) =
                        reported_in(body, prev.start..prev.end, from, false, people)
                    {
                        return Some(Speaker::written(person, None));
                    }
                }
            }
            // A quote that opens a sentence inside a paragraph no attributed
            // quote has spoken in yet, right after a sentence that reports
            // someone speaking ("Roe said the plan was a “mess”. “It will
            // never work.”", "…, he argued. “…”"): theirs.
            if !opens_para && !span.continuation && opens_sentence(body, para.start, span.open) {
                let sentence = sentence_before(body, para.start, span.open);
                let start = sentence.first().map_or(span.open, |t| t.start);
                // After a quote attributed in the paragraph, only a sentence
                // of its own reports someone else ("“…,” said Roe. Lee
                // spoke too, saying the plan was … “…”"): the words of
                // that quote's sentence are its attribution.
                let spoken_here = last.is_some_and(|(p, _)| *p == span.para);
                // Spans are in text order: the one before ends last.
                let quote_in_it = k.checked_sub(1).is_some_and(|p| spans[p].close > start);
                if !(spoken_here && quote_in_it) {
                    if let Some(person) = reported_in_words(body, &sentence, true, people) {
                        return Some(Speaker::written(person, None));
                    }
                }
            }
            // A quote that goes on from the one before it: the next part of
            // a multi-paragraph quote, a paragraph that is only a quote after
            // an attributed one (or after one paragraph about its speaker),
            // or the next sentence of the same speech.
            let goes_on = last.filter(|(p, speaker)| {
                let same_para =
                    *p == span.para && before_tokens.iter().filter(|t| t.is_word()).count() <= 3;
                let next_para = p + 1 == span.para && opens_para;
                let about_them = p + 2 == span.para
                    && opens_para
                    && people.named_in(
                        speaker,
                        paras[span.para - 1].start..paras[span.para - 1].end,
                    );
                span.continuation || same_para || next_para || about_them
            });
            if let Some((_, speaker)) = goes_on {
                return Some(Speaker::written(speaker.clone(), None));
            }
            // A long quote that is the object of a verb that does not
            // speak: "In an August speech, Roe attacked “…”".
            if cut || words < OBJECT_WORDS || title_like(text) {
                return None;
            }
            object_speaker(before_tokens, text, span.start, people)
        }
    }
}

/// The subject whose object a quote is ([`speaker::object_of`]), when
/// that is someone: "he" or "she" resolved at the start of the sentence,
/// or a name the tagger found as a person or an organisation (not
/// "Syrian", "Illinois", a capitalised "Doing").
fn object_speaker(before: &[Token], text: &str, pos: usize, people: &People) -> Option<Speaker> {
    let who = speaker::object_of(before, text)?;
    let name = match &who {
        Who::Pronoun(g) => people.salient(*g, before.first().map_or(pos, |t| t.start)),
        Who::Named(n) if speaker::is_proper(n) => {
            Some(people.canonical(n, pos)).filter(|name| people.is_tagged(name))
        }
        _ => None,
    }?;
    Some(Speaker::written(name, who.as_written()))
}

/// A quote's speaker: who it is, and how the text named them there.
struct Speaker {
    name: String,
    as_written: Option<String>,
    /// Named before the quote in its sentence ("Roe called it “…”").
    leads: bool,
}

impl Speaker {
    /// `name`, written `as_written` when that says more than the name
    /// ("he", "the company", "Mr. Lavrov" for "Sergei Lavrov").
    fn written(name: String, as_written: Option<String>) -> Speaker {
        let as_written = as_written.filter(|w| *w != name);
        Speaker {
            name,
            as_written,
            leads: false,
        }
    }
}

/// The person a pronoun, name or description of the attribution stands
/// for, with the quote's context: for a pronoun, the person the sentences
/// before make salient; else "he said" right after a quote of a person
/// goes on with that person, unless the pronoun's gender rules them out.
fn resolve_in_context(
    body: &str,
    who: &Who,
    span: &Span,
    (at, after_opening): (usize, bool),
    last: Option<&(usize, String)>,
    people: &People,
) -> Option<String> {
    if let Who::Pronoun(gender) = who {
        let found = if after_opening {
            people.salient_before_pronoun(*gender, at)
        } else {
            people.salient(*gender, at)
        };
        if let Some(person) = found {
            return Some(person);
        }
        if let Some((p, speaker)) = last {
            if *p + 1 >= span.para && people.may_be(speaker, *gender) {
                return Some(speaker.clone());
            }
        }
    }
    let found = resolve(body, who, span.start, people);
    // "“…,” it said" where the sentences before name no organisation
    // outside the quotes ("…, the utility said. “…,” it said."): the
    // organisation that spoke last, close before.
    if found.is_none() && matches!(who, Who::Named(it) if it.eq_ignore_ascii_case("it")) {
        if let Some((p, speaker)) = last {
            if *p + 2 >= span.para && people.is_organisation(speaker) {
                return Some(speaker.clone());
            }
        }
    }
    found
}

/// Who the text of `range` (the paragraph before a quote's, or the
/// sentence before it) reports as speaking in the last of its sentences
/// that has a speech verb ("Young said he suspects …",
/// "For his part, Brooks, who …, said he obtained housing. On Oct. 1, he
/// moved …", "There are people …, he said."): the subject of that verb,
/// a pronoun resolved to the person the sentences before make salient;
/// else the first person that sentence names, else the subject as written
/// ("the utility said"). Only the sentences `from` says are read. With
/// `by_name`, a named subject (before the verb, or after it: "…, said
/// Jo Roe.") comes before the first person named: for the sentence right
/// before a quote, which may name others first ("Kerry may be slow to
/// act, Roe said. “…”").
fn reported_in(
    body: &str,
    range: std::ops::Range<usize>,
    from: After,
    by_name: bool,
    people: &People,
) -> Option<String> {
    let (After::Start(at) | After::SentenceOf(at)) = from;
    let at = at.clamp(range.start, range.end);
    let tokens = tokenize(&body[at..range.end], at);
    // The rest of a quote's own sentence is its attribution ("…,” Roe
    // tells Fox News.), not a new report.
    let read = match from {
        After::Start(_) => 0,
        After::SentenceOf(_) => tokens.iter().position(Token::ends_sentence)? + 1,
    };
    reported_in_words(body, &tokens[read..], by_name, people)
}

/// [`reported_in`], of the words of the text it reads.
fn reported_in_words(
    body: &str,
    tokens: &[Token],
    by_name: bool,
    people: &People,
) -> Option<String> {
    let mut end = tokens.len();
    while end > 0 {
        let begin = tokens[..end - 1]
            .iter()
            .rposition(Token::ends_sentence)
            .map_or(0, |e| e + 1);
        let sentence = &tokens[begin..end];
        end = begin;
        // Or, right before a quote, a participle after its clause ("Roe
        // put a brave face on it, saying …").
        let participle = |i: usize| {
            by_name && i > 0 && sentence[i - 1].is(',') && speaker::is_participle(&sentence[i])
        };
        let Some(v) = (0..sentence.len()).find(|&i| speaker::verb_at(sentence, i) || participle(i))
        else {
            continue;
        };
        let at = sentence[0].start;
        // "…, said the winter report.": the subject after the verb, which
        // ends the sentence ("Roe, who …, said he found …" is Roe's).
        let inverted = v > 0
            && sentence[v - 1].is(',')
            && sentence[v + 1..].iter().filter(|t| t.is_word()).count() <= 6;
        let mut subject = inverted
            .then(|| speaker::subject_after(sentence, v + 1))
            .flatten()
            .filter(|who| matches!(who, Who::Named(_)))
            .or_else(|| speaker::subject_before(sentence, 0, v).map(|(who, _)| who));
        if by_name {
            // The name after the verb, when none is before it ("…, said
            // Jo Roe.").
            subject = subject.or_else(|| speaker::subject_after(sentence, v + 1));
        }
        match subject {
            // "I said", "they said" name no one a reader can point to.
            Some(Who::Pronoun(gender)) => {
                return (gender != Gender::Unknown)
                    .then(|| people.salient(gender, at))
                    .flatten();
            }
            Some(Who::Named(name)) if by_name && speaker::is_proper(&name) => {
                return Some(people.canonical(&name, at));
            }
            _ => {}
        }
        return people
            .first_in_sentence(at)
            .or_else(|| resolve(body, &subject?, at, people));
    }
    None
}

/// Whether the quote's text ends with the end of a sentence ("“We won.”").
fn ends_its_sentence(body: &str, span: &Span) -> bool {
    body[span.start..span.end]
        .trim_end()
        .ends_with(['.', '!', '?'])
}

/// Whether a quote that opens at `open` begins a sentence: the words
/// before it in its paragraph (from `lo`) end one.
fn opens_sentence(body: &str, lo: usize, open: usize) -> bool {
    body[lo.min(open)..open]
        .trim_end()
        .trim_end_matches(|c: char| "\"'”’»".contains(c))
        .ends_with(['.', '!', '?'])
}

/// The words of the last sentence of `body[lo..hi]`, which ends at `hi`
/// with the end of a sentence; read back at most [`SENTENCE_BYTES`], so a
/// paragraph of a thousand quotes costs no more per quote than a short one.
fn sentence_before(body: &str, lo: usize, hi: usize) -> Vec<Token<'_>> {
    let mut lo = lo.max(hi.saturating_sub(SENTENCE_BYTES)).min(hi);
    while !body.is_char_boundary(lo) {
        lo += 1;
    }
    let mut tokens = tokenize(&body[lo..hi], lo);
    let end = tokens.iter().rposition(Token::ends_sentence).unwrap_or(0);
    // It begins at its first word, after the mark that closes a quote
    // ending the sentence before ("… yet.” Jo Roe said …").
    let after_end = tokens[..end]
        .iter()
        .rposition(Token::ends_sentence)
        .map_or(0, |e| e + 1);
    let begin = tokens[after_end..end]
        .iter()
        .position(Token::is_word)
        .map_or(tokens.len(), |w| after_end + w);
    tokens.drain(..begin);
    tokens
}

/// The longest sentence [`sentence_before`] reads.
const SENTENCE_BYTES: usize = 1_500;

/// Where [`reported_in`] starts reading.
#[derive(Clone, Copy)]
enum After {
    /// At this offset.
    Start(usize),
    /// With the sentence after the one this offset is in.
    SentenceOf(usize),
}

/// "Jo Roe agreed. “…”": a quote that opens a sentence right after a
/// short one that is only a subject and a speech verb.
fn short_sentence_before(tokens: &[Token]) -> Option<Attribution> {
    let last = tokens.len().checked_sub(1)?;
    if !tokens[last].ends_sentence() {
        return None;
    }
    let begin = tokens[..last]
        .iter()
        .rposition(Token::ends_sentence)
        .map_or(0, |i| i + 1);
    let sentence = &tokens[begin..last];
    let v = sentence.len().checked_sub(1)?;
    if sentence.len() > 8 || !speaker::is_speech_verb(&sentence[v]) {
        return None;
    }
    let (who, start) = speaker::subject_before(sentence, 0, v)?;
    // Only the subject, or whose they are ("Iowa State University's").
    let whose = sentence[..start].iter().all(Token::is_capitalised);
    (start <= 2 || whose).then_some(Attribution {
        who,
        adjacent: false,
    })
}

/// A credit on the line after a quote paragraph: "“…”" then "— Jo Roe, Ohio."
fn credit_below(body: &str, paras: &[Para], span: &Span) -> Option<Attribution> {
    let para = paras[span.para];
    if span.open != para.start || body[span.close..para.end].trim().len() > 1 {
        return None;
    }
    let next = paras.get(span.para + 1)?;
    let line = &body[next.start..next.end];
    if !line.starts_with(['-', '—', '–', '―']) || line.len() > 80 {
        return None;
    }
    speaker::after(&first_sentence(body, next.start, next.end), false, false)
}

fn resolve(body: &str, who: &Who, pos: usize, people: &People) -> Option<String> {
    match who {
        // "it said": the organisation the sentences before make salient.
        Who::Named(it) if it.eq_ignore_ascii_case("it") => people.salient_organisation(pos),
        Who::Named(name) if speaker::is_proper(name) => Some(people.canonical(name, pos)),
        Who::Named(description) => Some(
            description_of(body, description, pos, people).unwrap_or_else(|| description.clone()),
        ),
        Who::Pronoun(gender) => people.resolve(*gender, pos),
        Who::Previous => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityKind;

    fn run(body: &str) -> Vec<(String, Option<String>)> {
        let quotes = extract(body, &[]);
        for q in &quotes {
            assert_eq!(&body[q.start..q.end], q.text);
        }
        quotes.into_iter().map(|q| (q.text, q.speaker)).collect()
    }

    /// The speakers of the quotes of `body`, in order.
    fn speakers(body: &str) -> Vec<Option<String>> {
        run(body).into_iter().map(|(_, s)| s).collect()
    }

    fn pair(text: &str, speaker: Option<&str>) -> (String, Option<String>) {
        (text.to_owned(), speaker.map(str::to_owned))
    }

    #[test]
    fn speech_verbs_in_both_orders() {
        let body = "Mayor Ellen Voss opened the bridge on Friday.\n\n\
            “It took us nine years to get here,” Ms. Voss said. “Nine long years.”\n\n\
            “The traffic will be lighter now,” said Omar Reyes, a city engineer.\n\n\
            Reyes told reporters: “We expect half as many cars on Main Street.”";
        assert_eq!(
            run(body),
            [
                pair("It took us nine years to get here,", Some("Ellen Voss")),
                pair("Nine long years.", Some("Ellen Voss")),
                pair("The traffic will be lighter now,", Some("Omar Reyes")),
                pair(
                    "We expect half as many cars on Main Street.",
                    Some("Omar Reyes")
                ),
            ]
        );
    }

    #[test]
    fn organisations_keep_a_title_word_of_their_name() {
        let body = "Carmakers cut forecasts.\n\n\
            “Demand has softened,” General Motors said on Monday.\n\n\
            “We will cut prices,” said General Tom Reed, the carmaker's chairman.";
        let org = |name: &str| Entity {
            name: name.to_owned(),
            kind: EntityKind::Org,
            spans: Vec::new(),
        };
        let quotes = extract(body, &[org("General Motors")]);
        let speakers: Vec<_> = quotes.iter().map(|q| q.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("General Motors"), Some("Tom Reed")]);
        // Without the tagger's word that it is an organisation, "General" is a title.
        let quotes = extract(body, &[]);
        assert_eq!(quotes[0].speaker.as_deref(), Some("Motors"));
    }

    #[test]
    fn scare_quotes_and_titles_have_no_speaker() {
        let body = "The two leaders signed a so-called “friendship pact” after watching “The Sound of Music” together.";
        assert_eq!(
            run(body),
            [
                pair("friendship pact", None),
                pair("The Sound of Music", None)
            ]
        );
    }

    #[test]
    fn pronouns_and_descriptions() {
        let body = "Karen Holt, the agency's director, spoke after the vote.\n\n\
            “We have been heard at last,” she said.\n\n\
            “The plan has no funding,” a Treasury spokesman said.";
        assert_eq!(
            run(body),
            [
                pair("We have been heard at last,", Some("Karen Holt")),
                pair("The plan has no funding,", Some("a Treasury spokesman")),
            ]
        );
    }

    #[test]
    fn a_speaker_is_never_a_pronoun_with_other_words() {
        let body = "Harbour Foods is defending its chief executive. It is denouncing what it \
            calls “the biggest smear campaign in memory.” Stores that it said “may close early” \
            include the one on Quay Street.\n\n\
            The flyer shows a boat. At the bottom it reads, “Bring the whole family.”\n\n\
            Tom Berg spoke in Washington D.C. He recalled the early years.\n\n\
            “We had no money at all,” he said.\n\n\
            Reminded that Ivo Lind called him “a fraud”, Berg added: “I will not answer.”\n\n\
            Nell Dorn, the trader known as “Fox,” stated that she had a key to the vault.\n\n\
            Tom Berg felt it added “a spark” to the campaign.";
        let at = body.find("Harbour Foods").unwrap();
        let org = Entity {
            name: "Harbour Foods".to_owned(),
            kind: EntityKind::Org,
            spans: vec![(at, at + "Harbour Foods".len())],
        };
        let at = body.find("Washington").unwrap();
        let place = Entity {
            name: "Washington D.C.".to_owned(),
            kind: EntityKind::Place,
            spans: vec![(at, at + "Washington D.C.".len())],
        };
        let quotes = extract(body, &[org, place]);
        let got: Vec<(&str, Option<&str>)> = quotes
            .iter()
            .map(|q| (q.text.as_str(), q.speaker.as_deref()))
            .collect();
        for (_, s) in &got {
            assert!(s.is_none_or(|s| !pronoun_phrase(s)), "{got:?}");
        }
        let speaker = |text: &str| got.iter().find(|(t, _)| t.starts_with(text)).map(|p| p.1);
        // "what it calls", "that it said", "at the bottom it reads": the
        // organisation "it" stands for.
        assert_eq!(speaker("the biggest"), Some(Some("Harbour Foods")));
        assert_eq!(speaker("may close"), Some(Some("Harbour Foods")));
        // A pronoun opening a sentence is no part of the name before it.
        assert_eq!(speaker("We had no money"), Some(Some("Tom Berg")));
        // "called him": whom Lind called that, not who spoke; "stated
        // that she": a clause, not a description.
        assert_ne!(speaker("a fraud"), Some(Some("him")));
        assert_eq!(speaker("I will not"), Some(Some("Tom Berg")));
        assert_eq!(speaker("Fox"), Some(None));
        assert!(pronoun_phrase("what it"));
        assert!(pronoun_phrase("Washington D.C. He"));
        assert!(pronoun_phrase("I can't"));
        assert!(!pronoun_phrase("Elizabeth I"));
        assert!(!pronoun_phrase("Us Weekly"));
        assert!(!pronoun_phrase("it"));
    }

    #[test]
    fn it_goes_on_with_the_organisation_that_spoke_last() {
        // No organisation is named in the sentences before the second
        // "it said"; the one that spoke just before is the one meant.
        let body = "“Crews will work through the night,” Northgate Power said.\n\n\
            Storms hit. Trees fell. Roads shut. Schools closed. Buses stopped. \
            Shops shut. Rain fell. Wind rose.\n\n\
            “Some repairs will take days,” it said.";
        let at = body.find("Northgate").unwrap();
        let org = Entity {
            name: "Northgate Power".to_owned(),
            kind: EntityKind::Org,
            spans: vec![(at, at + "Northgate Power".len())],
        };
        let speakers: Vec<_> = extract(body, &[org])
            .into_iter()
            .map(|q| q.speaker)
            .collect();
        assert_eq!(speakers, vec![Some("Northgate Power".to_owned()); 2]);
        // Not a person's, nor when the organisation spoke long before.
        let far = body.replace("Wind rose.\n\n", "Wind rose.\n\nNo more.\n\nNone.\n\n");
        assert_eq!(extract(&far, &[])[1].speaker, None);
    }

    #[test]
    fn a_document_speaks_for_whoever_the_article_says_issued_it() {
        let body = "A study by the University of Northport’s School of Transport looked at \
            nine bus lines.\n\n\
            “Most of these lines cost more than they return,” the report said.\n\n\
            Ana Vidal, a researcher at the school, stated in the university’s blog post that \
            the data were public.\n\n\
            “Anyone can check the figures,” the post read.\n\n\
            Labour says the document offers nothing new.\n\n\
            “A failed past,” the document said.";
        let got = speakers(body);
        assert_eq!(
            got,
            [
                // The study is the report: its author, its name whole.
                Some("University of Northport’s School of Transport".to_owned()),
                // "stated in … blog post" makes her its author.
                Some("Ana Vidal".to_owned()),
                // Labour speaks of the document; it did not write it.
                Some("the document".to_owned()),
            ]
        );
    }

    #[test]
    fn a_person_of_an_organisation_and_a_person_of_one_name() {
        let body = "“Markets will stay nervous,” Lin Zhou of Acme said in a note.\n\n\
            “Rates will rise,” Rep. Peter Hale of New Dorset said.\n\n\
            Demand fell, the Bank of Northport said.\n\n\
            (Tom Reed/Northport Herald) \
            Yuni, a resident of the coast, was at home when she heard the water.\n\n\
            “I ran as fast as I could,” she said.";
        let got = speakers(body);
        assert_eq!(
            got,
            [
                Some("Lin Zhou".to_owned()),
                Some("Peter Hale".to_owned()),
                // Brought in with an apposition; a photo credit is no one.
                Some("Yuni".to_owned()),
            ]
        );
    }

    #[test]
    fn the_company_is_the_body_that_spoke_though_tagged_a_person() {
        let body = "Zentrix said on Thursday that its rival had cut off its access.\n\n\
            But the company seemed calm. “We expect it to be fixed soon,” the company said.";
        // The tagger's mistake: a person.
        let person = Entity {
            name: "Zentrix".to_owned(),
            kind: EntityKind::Person,
            spans: vec![(0, 7)],
        };
        assert_eq!(
            extract(body, &[person])[0].speaker.as_deref(),
            Some("Zentrix")
        );
        // Not a person the article names in full.
        let body = body.replace("Zentrix said", "Ann Zentrix joined in May. Zentrix said");
        assert_eq!(
            extract(&body, &[])[0].speaker.as_deref(),
            Some("the company")
        );
    }

    #[test]
    fn the_company_is_the_organisation_that_spoke_two_sentences_before() {
        // Tagged an organisation where it speaks, though a man of its
        // name founded it.
        let body = "Zentrix was founded by Carl Zentrix in 1990.\n\n\
            Zentrix said on Thursday that its rival had cut off its access.\n\n\
            But the company seemed calm. “We expect it to be fixed soon,” the company said.";
        let at = body.find("Zentrix said").unwrap();
        let org = Entity {
            name: "Zentrix".to_owned(),
            kind: EntityKind::Org,
            spans: vec![(0, 7), (at, at + 7)],
        };
        assert_eq!(
            extract(body, std::slice::from_ref(&org))[0]
                .speaker
                .as_deref(),
            Some("Zentrix")
        );
        // Named, but not speaking: no evidence the company is it.
        let body = body.replace(
            "Zentrix said on Thursday that",
            "Zentrix shares fell on Thursday as",
        );
        assert_eq!(
            extract(&body, &[org])[0].speaker.as_deref(),
            Some("the company")
        );
    }

    #[test]
    fn a_quantity_is_no_name() {
        let body = "The budget passed by 27 votes to 24. Dozens of residents packed the \
            gallery, some holding signs reading “Save our libraries,” and the meeting was \
            briefly suspended.";
        let speakers: Vec<_> = run(body).into_iter().map(|(_, s)| s).collect();
        assert!(
            !speakers.iter().flatten().any(|s| s == "Dozens"),
            "{speakers:?}"
        );
        // A counted group speaks as the group, whatever case its count.
        let body = "“Keep the school open,” Hundreds of parents wrote in a letter.\n\n\
            Dozens of residents told the council: “The road is unsafe.”\n\n\
            “We were never asked,” some of the women said.\n\n\
            “We will strike,” 300 of the drivers said.";
        let speakers: Vec<_> = run(body).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            speakers,
            [
                Some("Hundreds of parents".to_owned()),
                Some("Dozens of residents".to_owned()),
                Some("some of the women".to_owned()),
                Some("300 of the drivers".to_owned()),
            ]
        );
    }

    #[test]
    fn a_lone_document_word_is_no_issuer() {
        let body = "“The roads are shut,” report said.";
        let people = People::new(body, false, &[], &[], &[]);
        for d in ["report", "the report", "statement", ""] {
            assert_eq!(description_of(body, d, body.len(), &people), None, "{d:?}");
        }
        assert_eq!(run(body), [pair("The roads are shut,", Some("report"))]);
    }

    #[test]
    fn descriptions_resolve_to_whom_the_article_gives_the_role() {
        let body = "Mayor Dana Whitfield opened the new ferry terminal on Friday.\n\n\
            “It was worth the wait,” the mayor said.\n\n\
            Harbour Foods said it would move its depot to the docks.\n\n\
            “We need the space,” the company said.\n\n\
            A port official, who asked not to be named, doubted the timetable.\n\n\
            “Nothing opens on time here,” the official said.\n\n\
            Prime Minister Lena Ostrova sent her congratulations.\n\n\
            “The minister will visit in May,” the spokesman said.\n\n\
            “A fine day for the town,” the Gazette wrote.\n\n\
            “Ferries will be late,” a Harbour Board statement said.";
        let at = body.find("Harbour Foods").unwrap();
        let org = Entity {
            name: "Harbour Foods".to_owned(),
            kind: EntityKind::Org,
            spans: vec![(at, at + "Harbour Foods".len())],
        };
        let quotes = extract(body, &[org]);
        let got: Vec<(Option<&str>, Option<&str>)> = quotes
            .iter()
            .map(|q| (q.speaker.as_deref(), q.speaker_text.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("Dana Whitfield"), Some("the mayor")),
                (Some("Harbour Foods"), Some("the company")),
                // Brought in by "a" and never named.
                (Some("the official"), None),
                // A prime minister is not "the minister"; no one is the
                // spokesman.
                (Some("the spokesman"), None),
                // A name, not a description.
                (Some("the Gazette"), None),
                // A document speaks for who issued it.
                (Some("Harbour Board"), Some("a Harbour Board statement")),
            ]
        );
    }

    #[test]
    fn a_surname_a_couple_shares_has_no_gender_and_a_participle_is_no_name() {
        let body = "Nora Pell has written eleven books about bread.\n\n\
            Her husband Peter Pell runs the bakery below their flat.\n\n\
            In the nineties, Pell wrote a column for a weekly. “I filed it from the kitchen table,” she says.\n\n\
            Knowing Peter was a night owl, Nora baked at dawn. “The house was ours until six,” she said.";
        assert_eq!(
            run(body),
            [
                pair("I filed it from the kitchen table,", Some("Nora Pell")),
                pair("The house was ours until six,", Some("Nora Pell")),
            ]
        );
    }

    #[test]
    fn a_pronoun_after_an_inverted_attribution_is_the_one_who_spoke() {
        let body = "Karl Wendt and Sam Okafor met in the chamber on Tuesday.\n\n\
            It was no use Sam Okafor promising new rail lines, argued Mr Wendt. \
            Turning to the budget, he added: “Every line promised is a line we pay for.”\n\n\
            Responding for the council, deputy leader of the Harbour Party, Ines Moreau, said: “The lines are funded.”\n\n\
            Port captain Raj Patel said Sam Okafor was to leave by Friday. “The permit ran out in May,” he said.";
        assert_eq!(
            run(body),
            [
                pair(
                    "Every line promised is a line we pay for.",
                    Some("Karl Wendt")
                ),
                pair("The lines are funded.", Some("Ines Moreau")),
                // "said Sam Okafor was …" speaks of Okafor.
                pair("The permit ran out in May,", Some("Raj Patel")),
            ]
        );
    }

    #[test]
    fn a_report_after_the_last_quote_of_a_paragraph_takes_the_next_one() {
        let body = "Opposition leader Mara Quist gave her new year message on Friday.\n\n\
            But ministry spokesman Olaf Brandt replied: “The numbers say otherwise.” \
            The floods had dimmed the season, Ms Quist said.\n\n\
            “We watched the water rise with disbelief.”\n\n\
            “It is my job,” Ms Quist told reporters.\n\n\
            “Nobody else was going to do it.”";
        assert_eq!(
            run(body),
            [
                pair("The numbers say otherwise.", Some("Olaf Brandt")),
                pair(
                    "We watched the water rise with disbelief.",
                    Some("Mara Quist")
                ),
                pair("It is my job,", Some("Mara Quist")),
                pair("Nobody else was going to do it.", Some("Mara Quist")),
            ]
        );
    }

    #[test]
    fn an_apposition_before_a_colon_keeps_the_subject() {
        let body = "Dr. Omar Haddad runs the only clinic in the valley.\n\n\
            Haddad, the valley's one doctor, is more blunt: “We will run out of beds by March.”";
        assert_eq!(
            run(body),
            [pair(
                "We will run out of beds by March.",
                Some("Omar Haddad")
            )]
        );
    }

    #[test]
    fn a_quote_sentence_after_reported_speech_in_its_paragraph_is_the_reporters() {
        // Right after a sentence that reports someone speaking, with a
        // scare quote of theirs or another name before the verb, or a
        // verb of a name ("Secretary of State") before the real one.
        let body = "Councillor Jo Roe said the way the council had handled the budget this year was a “mess”. “It will never balance, and everyone on the council knows it.”\n\n\
            Sam Ode, the treasurer, has kept the books since May.\n\n\
            The city may wait while Secretary of State Ann Lee visits, Ode said. “The other question is what the banks will make of it.”\n\n\
            The hall was full. “Nobody expected a crowd this size on a Monday night.”";
        assert_eq!(
            speakers(body),
            [
                None,
                Some("Jo Roe".to_owned()),
                Some("Sam Ode".to_owned()),
                None
            ]
        );
    }

    #[test]
    fn a_verb_or_a_sentence_adverb_is_no_speaker() {
        // "be" ended the subject search before "concluded"; "however"
        // before ", who".
        let body = "Jo Roe said: “We are in talks with the club but we have no deal yet.” The talks will have to be concluded by Monday, when the window shuts.\n\n\
            Others, however, who had stayed away, continued to warn that the “rally may end any day now”.";
        assert_eq!(speakers(body), [Some("Jo Roe".to_owned()), None]);
    }

    #[test]
    fn quoted_as_saying_after_the_quote_is_the_one_quoted() {
        let body = "Dealers doubted a bid would come. “The board would be failing its owners if it did not listen,” a news agency quoted one dealer as saying.\n\n\
            “We will not sell the firm at any price,” the Daily Ledger quoted Jo Roe as saying.";
        assert_eq!(
            speakers(body),
            [Some("one dealer".to_owned()), Some("Jo Roe".to_owned())]
        );
    }

    #[test]
    fn a_sentence_reporting_someone_else_after_a_quote_takes_the_next_one() {
        let body = "“The market fell fast and hard today,” said Jo Roe of Acme Bank. \
            Sam Ode, the treasurer, put a brave face on it, saying it was a sign of growth. \
            “The city is growing at such a rate that some of it must go to our neighbours.”";
        assert_eq!(
            speakers(body),
            [Some("Jo Roe".to_owned()), Some("Sam Ode".to_owned())]
        );
    }

    #[test]
    fn a_name_with_a_possessive_inside_is_no_one() {
        // "Toronto's Out" of a programme's name is not whom "she" stands for.
        let body = "Nadia Roe leads the study for the city.\n\n\
            Toronto's Out of the Cold program serves meals at ten churches. Many users report no interest in housing.\n\n\
            “We just need to remember that the homeless are not all alike,” she added.";
        assert_eq!(speakers(body), [Some("Nadia Roe".to_owned())]);
    }

    #[test]
    fn a_name_ends_at_a_line_break() {
        // A byline-like name closing one paragraph and the surname opening
        // the next are two mentions, not "Ana Ruiz Ruiz".
        let body = "Ana Ruiz has written a book about her illness. Ana Ruiz\n\n\
            Ruiz turned down a number of offers from publishers.\n\n\
            “I feel lucky every day, because of my friends,” she said.";
        assert_eq!(speakers(body), [Some("Ana Ruiz".to_owned())]);
    }

    #[test]
    fn a_quote_paragraph_after_reported_speech_is_the_reporters() {
        // The speech verb is in an earlier sentence of the paragraph
        // before, and a pronoun names the speaker there.
        let body = "Ines Varga has run the shelter for ten years.\n\n\
            For her part, Varga said the winter was the hardest yet. In December, she slept at the shelter.\n\n\
            “Some nights we had forty people and twenty beds.”\n\n\
            Tom Reilly has volunteered there since spring.\n\n\
            There is more to do, he said, though he would not say what.\n\n\
            “We only see the ones who come to the door.”";
        assert_eq!(
            run(body),
            [
                pair(
                    "Some nights we had forty people and twenty beds.",
                    Some("Ines Varga")
                ),
                pair(
                    "We only see the ones who come to the door.",
                    Some("Tom Reilly")
                ),
            ]
        );
    }

    #[test]
    fn multi_paragraph_quote_keeps_its_speaker() {
        let body = "Dr. Ravi Menon said: “The first results are clear.\n\n\
            “The second round will take a year.”\n\nOther news followed.";
        assert_eq!(
            run(body),
            [
                pair("The first results are clear.", Some("Ravi Menon")),
                pair("The second round will take a year.", Some("Ravi Menon")),
            ]
        );
    }

    #[test]
    fn short_attribution_sentence_before_the_quote() {
        let body = "Mayor Ellen Voss agreed. “The bridge was long overdue.”";
        assert_eq!(
            run(body),
            [pair("The bridge was long overdue.", Some("Ellen Voss"))]
        );
    }

    #[test]
    fn every_quote_of_a_sentence_whose_speaker_leads_it() {
        let body =
            "Councillor Maya Brandt called the budget “timid” and built on “wishful thinking.”\n\n\
            “We won,” Tom Reed said. Voters spoke of a “long night” and “tired feet.”";
        assert_eq!(
            speakers(body),
            [
                Some("Maya Brandt".to_owned()),
                Some("Maya Brandt".to_owned()),
                Some("Tom Reed".to_owned()),
                // Their speaker was not named before them.
                None,
                None,
            ]
        );
    }

    #[test]
    fn a_quote_right_after_a_possessive_name_is_theirs() {
        let body = "Ada Lindqvist runs the mill.\n\n\
            To avoid Lindqvist’s “supply crunch” next spring, the firm is buying early.\n\n\
            She appeared on CNN’s “The Evening Hour” on Monday.";
        assert_eq!(speakers(body), [Some("Ada Lindqvist".to_owned()), None]);
    }

    #[test]
    fn a_quote_set_off_by_dashes_after_a_name() {
        let body = "Several senators agreed, including Senator Ruth Okoye -- “This bill will not pass the House” -- and two others.";
        assert_eq!(speakers(body), [Some("Ruth Okoye".to_owned())]);
    }

    #[test]
    fn a_title_by_its_author() {
        let body = "Nina Calder grew up in the harbour town.\n\n\
            “Harbour Lights” was written by Calder after the storm of 1998.\n\n\
            The plan came from a pamphlet titled “How to Fix the Port” by Omar Reyes and Lia Park.\n\n\
            The claim was called “nonsense” by Dover.\n\n\
            The list ran on: “Port Blues,” by the Herald’s Tim Vance.";
        assert_eq!(
            speakers(body),
            [
                Some("Nina Calder".to_owned()),
                Some("Omar Reyes and Lia Park".to_owned()),
                // A place, and an outlet's writer, are no authors of words.
                None,
                None,
            ]
        );
    }

    #[test]
    fn voicing_is_speaking() {
        let body = "Coach Lena Ortiz voiced her “deep frustration” with the referees.";
        assert_eq!(speakers(body), [Some("Lena Ortiz".to_owned())]);
    }

    #[test]
    fn a_scare_quote_of_the_pronoun_quoted_last() {
        let body = "Dr. Omar Haddad runs the only clinic in the valley.\n\n\
            “We see ten overdoses a week,” Haddad said.\n\n\
            Early on, he lost patients and became “acutely aware” of the risks. “You remember every one.”\n\n\
            He walked in to “Eye of the Tiger” on Monday.\n\n\
            Nurse Lena Park joined in May. She found the ward “very chaotic” at first.";
        assert_eq!(
            speakers(body),
            [
                Some("Omar Haddad".to_owned()),
                Some("Omar Haddad".to_owned()),
                // The quote after it goes on with him.
                Some("Omar Haddad".to_owned()),
                // A title; and she is not whom the article quoted last.
                None,
                None,
            ]
        );
    }

    #[test]
    fn marks_around_nothing_are_not_quotes() {
        assert_eq!(run("He typed “ - ” then left."), []);
    }

    #[test]
    fn partial_quote_in_a_sentence() {
        let body = "Senator Lena Ortiz described the talks as “frank and useful for both sides” on Monday.";
        assert_eq!(
            run(body),
            [pair("frank and useful for both sides", Some("Lena Ortiz"))]
        );
    }

    #[test]
    fn a_pronoun_is_the_person_the_sentence_before_is_about() {
        // "he" after a sentence about Reid is Reid's, though Voss spoke last.
        let body = "“The bridge is safe,” said Mayor Tom Voss. Jim Reid, an engineer \
            who inspected it for the county, disagreed with the timetable.\n\n\
            “We need two more months,” he said.";
        assert_eq!(
            run(body)[1],
            pair("We need two more months,", Some("Jim Reid"))
        );
    }

    #[test]
    fn a_caption_or_a_posts_signature_names_no_speaker() {
        let body = "Ravi Desai has written a book about the sleeping-car porters.\n\n\
            “They organised when no one else would,” Desai says.\n\n\
            Omar Bell, a retired porter, looks at old photos at the station museum in 2001. \
            ( HARBOUR PRESS FILE PHOTO )\n\n\
            The first contract came in 1945. “It changed everything for the men,” he says.\n\n\
            Tom Hale answered his critics on Monday.\n\n\
            You never show up to debate. Chicken. — Omar Bell (@omarbell) May 2, 2019\n\n\
            “Insults invite a reply,” he said.";
        assert_eq!(
            speakers(body),
            [
                Some("Ravi Desai".to_owned()),
                Some("Ravi Desai".to_owned()),
                Some("Tom Hale".to_owned()),
            ]
        );
    }

    #[test]
    fn a_name_in_a_participles_opening_phrase_is_not_the_pronouns() {
        // The subject of "asked" is the sentence's: the pronoun's person
        // is whom the sentences before are about.
        let body = "Dorn Vesk has slept in the park since May. He plans to stay until spring.\n\n\
            Asked what he would tell Mayor Tom Reed about the shelters, he said: “Just come and see.”\n\n\
            When Ana Cruz was at school, she studied under Jo Hart. She says: “It changed my life.”";
        assert_eq!(
            speakers(body),
            [Some("Dorn Vesk".to_owned()), Some("Ana Cruz".to_owned())]
        );
    }

    #[test]
    fn it_is_the_organisation_just_named() {
        let body = "Northgate Power said the storm cut supply to 9,000 homes.\n\n\
            “Crews will work through the night,” it said.";
        let org = Entity {
            name: "Northgate Power".to_owned(),
            kind: EntityKind::Org,
            spans: vec![(0, 15)],
        };
        let quotes = extract(body, &[org]);
        assert_eq!(quotes[0].speaker.as_deref(), Some("Northgate Power"));
        // Without one, no one: "it" is never a speaker.
        assert_eq!(extract(body, &[])[0].speaker, None);
    }

    #[test]
    fn a_sentence_running_on_into_the_next_quote_credits_no_quote_before() {
        // After a question: the reply's writer did not ask it.
        let body = "Kim Lo wrote to her aide at dawn. “Is the hall booked?” \
            Dara Quint then wrote back, “Only until noon.”";
        assert_eq!(
            speakers(body),
            [Some("Kim Lo".to_owned()), Some("Dara Quint".to_owned())]
        );
        // After a title: the one who speaks later in the sentence did not
        // name the show.
        let body = "On the radio show “Morning Call,” Rep. Ann Dole said the plan’s \
            “hidden costs” would fall on renters.";
        assert_eq!(speakers(body), [None, Some("Ann Dole".to_owned())]);
    }

    #[test]
    fn a_long_quote_as_the_object_of_a_verb_is_its_subjects() {
        // The speakers of `body` with `names` tagged as persons.
        let speakers = |body: &str, names: &[&str]| {
            let people: Vec<Entity> = names
                .iter()
                .map(|n| {
                    let at = body.find(n).expect("the name is in the body");
                    Entity {
                        name: n.to_string(),
                        kind: EntityKind::Person,
                        spans: vec![(at, at + n.len())],
                    }
                })
                .collect();
            let quotes = extract(body, &people);
            quotes.into_iter().map(|q| q.speaker).collect::<Vec<_>>()
        };
        let body = "The county board met on Friday.\n\n\
            In a radio interview, Jo Roe attacked “the plan to close every library in the county by spring.”";
        assert_eq!(speakers(body, &["Jo Roe"]), [Some("Jo Roe".to_owned())]);
        // Not a name the tagger took for a person or an organisation.
        assert_eq!(speakers(body, &[]), [None]);
        // "She" at the start of the sentence: the person it stands for.
        let body = "Mara Quill runs the ferry trust.\n\n\
            She praised the crews for “keeping every boat running through the worst winter in years.”";
        assert_eq!(
            speakers(body, &["Mara Quill"]),
            [Some("Mara Quill".to_owned())]
        );
        // Short: a phrase of the writer's. Passive: someone else's words.
        let body = "Jo Roe attacked the “plan to close libraries” on Friday.\n\n\
            Kim Park was hailed for her “steady hand during the long flood of the valley.”";
        assert_eq!(speakers(body, &["Jo Roe", "Kim Park"]), [None, None]);
    }

    #[test]
    fn a_quote_that_ends_its_sentence_leaves_the_next_one_whole() {
        // After "“….”", the next sentence has its own speaker: a
        // participle hangs on its subject, not on the quote before.
        let body = "The cup went to Leeds. “There was nothing unusual about the night,” \
            Tom Ruddock said. “We played well.” However, Edu Silva tried to play down the \
            row, adding: “There was nothing I have not seen before in derbies.”";
        let ruddock = Some("Tom Ruddock".to_owned());
        assert_eq!(
            speakers(body),
            [ruddock.clone(), ruddock, Some("Edu Silva".to_owned())]
        );
        // Within one sentence, the words after a quote go on with its
        // speaker, not with a name after it.
        let body = "Jo Roe called the visit “a form of cover” for Leeds and said the town \
            should not be “fooled” by it.";
        let roe = Some("Jo Roe".to_owned());
        assert_eq!(speakers(body), [roe.clone(), roe]);
        // "She did not say …" after a quote credits nothing.
        let body = "Jo Roe said: “The bridge will be finished on time.” She did not say when.";
        assert_eq!(speakers(body), [Some("Jo Roe".to_owned())]);
    }

    #[test]
    fn a_hard_wrapped_article_reads_as_its_paragraphs() {
        // Broken at 70 characters: a line end inside a sentence is a
        // space, so the quote, its verb on the next line and the name
        // across lines are one paragraph's.
        let body = "Ferry crossings to the islands were cancelled for a third day on\n\
            Friday, leaving hundreds of travellers stranded in the harbour town.\n\n\
            “The crossings are the only link most islanders have with the mainland,”\n\
            said Mara Quill, who runs the ferry trust. “We will sail again as soon\n\
            as the swell drops below four metres.”\n\n\
            Travellers described long nights in the waiting room. Ilse\n\
            Brandt, a teacher from one of the smaller islands, said the staff had\n\
            been kind to everyone after the third day of storms and cancellations.\n\
            “We slept on benches and shared whatever food we had with the others,”\n\
            she said.\n";
        let quill = Some("Mara Quill".to_owned());
        assert_eq!(
            speakers(body),
            [quill.clone(), quill, Some("Ilse Brandt".to_owned())]
        );
    }

    #[test]
    fn a_quote_paragraph_after_an_inverted_report_is_the_reports() {
        // "…, said the survey.": the subject follows the verb.
        let body = "Ferries run late in winter.\n\n\
            On stormy days, crews check every ramp by hand, which means boarding takes longer, said the harbour survey.\n\n\
            “Each crossing loses twenty minutes.”";
        assert_eq!(speakers(body), [Some("the harbour survey".to_owned())]);
        // "Roe, who …, said he …": the subject before the comma.
        let body = "Pia Holm sold her boat in March.\n\n\
            Holm, who still keeps the old ropes in her shed, said she found work on a farm nearby.\n\n\
            “The hours are kinder.”";
        assert_eq!(speakers(body), [Some("Pia Holm".to_owned())]);
    }

    #[test]
    fn a_quote_paragraph_after_reported_speech_is_the_reporters_subjects() {
        let body = "The council met on Monday.\n\n\
            Councillor Ada Quist said she expects the vote to be close.\n\n\
            “Nobody has made up their mind yet, and that is healthy.”";
        assert_eq!(
            run(body)[0],
            pair(
                "Nobody has made up their mind yet, and that is healthy.",
                Some("Ada Quist")
            )
        );
    }

    /// The attribution patterns of news that issue 16 lists, on sentences
    /// of our own: each speaker is the person the quote belongs to.
    #[test]
    fn common_news_attribution_patterns() {
        let cases: [(&str, Option<&str>); 12] = [
            // A name, an affiliation, then the verb.
            (
                "Jo Roe, of the Example Institute, argued in a column: “The tax will not raise a penny.”",
                Some("Jo Roe"),
            ),
            (
                "“The tax will not raise a penny,” Jo Roe, of the Example Institute, argued in a column.",
                Some("Jo Roe"),
            ),
            (
                "Jo Roe with the Example Fund told reporters: “We are selling.”",
                Some("Jo Roe"),
            ),
            (
                "“We are selling,” Jo Roe, from the Example Fund (EF), told the BBC.",
                Some("Jo Roe"),
            ),
            // Two people as the authors of one quote.
            (
                "“We regret the delay,” said Kim Park and Lou Berg.",
                Some("Kim Park and Lou Berg"),
            ),
            (
                "“We regret the delay,” Acme chief executive Kim Park and finance director Lou Berg said in a letter.",
                Some("Kim Park and Lou Berg"),
            ),
            // The subject speaks, and the quote comes after a second verb.
            (
                "Mayor Jo Roe called the deal “a good start” and said both sides had “a lot of work ahead.”",
                Some("Jo Roe"),
            ),
            // A document or an outlet citing someone: the one cited.
            (
                "A statement from the ministry quoted an unnamed adviser who said: “The plan is dead.”",
                Some("an unnamed adviser"),
            ),
            (
                "The Daily Example quoted Jo Roe as saying: “The plan is dead.”",
                Some("Jo Roe"),
            ),
            (
                "Ana Cruz spoke in Lisbon on Friday. “The plan is dead,” according to a transcript of her remarks.",
                Some("Ana Cruz"),
            ),
            (
                "Ana Cruz spoke in Lisbon on Friday. “The plan is dead,” according to a translation of her speech.",
                Some("Ana Cruz"),
            ),
            (
                "Tom Hale wrote to the board on Monday. “I will not stand again,” his letter said.",
                Some("Tom Hale"),
            ),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter_map(|(body, want)| {
                let quotes = extract(body, &[]);
                let got = quotes.last().and_then(|q| q.speaker.clone());
                (got.as_deref() != *want).then(|| format!("{body} -> {got:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn descriptions_resolve_on_what_the_article_says_of_someone() {
        let body = "Caleb Moss, a rookie defenceman, scored twice on Saturday.\n\n\
            “I just kept shooting,” the rookie defenceman said.\n\n\
            Lena Ward, 34, runs the bakery on Main Street.\n\n\
            “We open at five,” the 34-year-old said.\n\n\
            On Coney Island, Freddy's drinking was out of control.\n\n\
            “It got worse,” the drinking said.\n\n\
            The council said Jo Pike provided a written statement on Monday.\n\n\
            “I regret the delay,” the statement said.";
        let got: Vec<(Option<String>, Option<String>)> = extract(body, &[])
            .into_iter()
            .map(|q| (q.speaker, q.speaker_text))
            .collect();
        let pair = |s: &str, w: &str| (Some(s.to_owned()), Some(w.to_owned()));
        assert_eq!(
            got,
            [
                pair("Caleb Moss", "the rookie defenceman"),
                pair("Lena Ward", "the 34-year-old"),
                // A place before a possessive is no apposition.
                (Some("the drinking".to_owned()), None),
                // The one who provided it, not the one who reported it.
                pair("Jo Pike", "the statement"),
            ]
        );
    }

    #[test]
    fn a_pronoun_stands_for_someone_named_before_it() {
        // Its own clause names others after it.
        let body = "Young stars came too, among them Emma Stone, who plays the lead.\n\n\
            The 14-year-old said she hoped to meet Tom Hanks and Keanu Reeves but joked that “they are too old for me”.\n\n\
            For Richard Tate, who built the site, the need grew out of frustration. “I had no idea what to buy,” he said.\n\n\
            When Sara Lund was at school, she studied under Jo Hart. She says: “It changed my life.”";
        let speakers = speakers(body);
        assert_eq!(
            speakers,
            [
                Some("Emma Stone".to_owned()),
                Some("Richard Tate".to_owned()),
                Some("Sara Lund".to_owned()),
            ]
        );
    }
}
