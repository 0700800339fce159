//! Trains the named-entity tagger shipped in `src/extract/entities/model.bin`.
//!
//! ```text
//! cargo run --release --example train_entities -- ../shared/eval/entities-train src/extract/entities/model.bin
//! ```
//!
//! The training set is a folder with `articles/` (article files, parsed as
//! `newsidx parse` does) and `gold.jsonl` (per file, the entity mentions with
//! byte offsets into the body). Options: `--epochs N` (default 10),
//! `--min-count N` (drop features seen fewer times, default 1),
//! `--min-weight W` (drop smaller weights, default 0.05),
//! `--holdout` (train on 90% and report mention F1 on the rest after
//! each epoch, to choose the epochs without looking at the dev set),
//! `--split-date DATE` (hold out instead the articles dated DATE or later,
//! by their first dateline: a split by time, to see how the tagger does on
//! later news than it learnt from),
//! `--predict FILE` (with `--holdout` or `--split-date`: write the held-out
//! articles as `parse --json` lines, for `score.py` and error analysis),
//! `--lexicon FILE` (the name lists the features look up, built by
//! `src/extract/entities/lexicon/build.py`; default
//! `src/extract/entities/lexicon/lexicon.tsv`), `--no-lexicon` (the tagger
//! knows only its training names, as before the lexicon),
//! `--unseen P` (train as if a share P of the capitalised words were
//! unseen: their word-identity features and training-name gazetteer
//! features are left out, see `Doc::identity_features`; default 0.4,
//! 0 trains as before),
//! `--seed N` (another order of the training sentences, to see how much
//! a score moves by chance; default 0),
//! `--average N` (train each model N times, in N orders of the sentences
//! and with other words taken as unseen, and ship the mean of their
//! weights; default 3: the mean leans less on the rare features any one
//! order made much of, about +0.003 F1 on every split; 1 trains one),
//! `--eval DIR` (score the trained tagger on another set laid out like
//! the training set, e.g. `../shared/eval/entities-dev`; repeatable).
//! Held-out scores are given per kind and for the gold names never seen
//! in the training articles ("unseen"), the part of today's news that a
//! tagger trained on 1996 must find by generalising.
//! With `SHOW_SKIPPED=1` in the environment it lists the gold name tokens
//! the tagger never looks at (see `TokenInfo::candidate`).
//!
//! Training is deterministic: the command above rebuilds the shipped model
//! byte for byte (about 40 s on one core).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use newsidx::article::{parse_file, Format, ParseOptions};
use newsidx::extract::entities::features::{Doc, Gazetteer};
use newsidx::extract::entities::lexicon::Lexicon;
use newsidx::extract::entities::model::{Example, Model, Trainer};
use newsidx::extract::entities::Tagger;
use newsidx::extract::entities::{canonical, gold_labels, mentions, spans, tag, Mention};
use newsidx::EntityKind;

struct Options {
    dir: PathBuf,
    out: PathBuf,
    epochs: usize,
    min_count: u32,
    min_weight: f32,
    holdout: bool,
    split_date: Option<String>,
    predict: Option<PathBuf>,
    lexicon: Option<PathBuf>,
    eval: Vec<PathBuf>,
    unseen: f64,
    seed: u64,
    average: u64,
}

fn options() -> Result<Options> {
    let mut args = std::env::args().skip(1);
    let mut pos = Vec::new();
    let (mut predict, mut split_date, mut eval) = (None, None, Vec::new());
    let (mut epochs, mut min_count, mut min_weight, mut holdout) = (10, 1, 0.05, false);
    let mut unseen = 0.4;
    let mut seed = 0;
    let mut average = 3;
    let mut lexicon = Some(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/extract/entities/lexicon/lexicon.tsv"),
    );
    while let Some(a) = args.next() {
        match a.as_str() {
            "--epochs" => epochs = args.next().context("--epochs N")?.parse()?,
            "--min-count" => min_count = args.next().context("--min-count N")?.parse()?,
            "--min-weight" => min_weight = args.next().context("--min-weight W")?.parse()?,
            "--holdout" => holdout = true,
            "--predict" => predict = Some(args.next().context("--predict FILE")?.into()),
            "--split-date" => split_date = Some(args.next().context("--split-date DATE")?),
            "--lexicon" => lexicon = Some(args.next().context("--lexicon FILE")?.into()),
            "--no-lexicon" => lexicon = None,
            "--eval" => eval.push(args.next().context("--eval DIR")?.into()),
            "--unseen" => unseen = args.next().context("--unseen P")?.parse()?,
            "--seed" => seed = args.next().context("--seed N")?.parse()?,
            "--average" => average = args.next().context("--average N")?.parse()?,
            _ => pos.push(a),
        }
    }
    let [dir, out] = <[String; 2]>::try_from(pos)
        .ok()
        .context("usage: train_entities TRAIN_DIR MODEL_OUT [--epochs N] [--min-count N] [--min-weight W] [--holdout]")?;
    Ok(Options {
        dir: dir.into(),
        out: out.into(),
        epochs,
        min_count,
        min_weight,
        holdout,
        split_date,
        predict,
        lexicon,
        eval,
        unseen,
        seed,
        average,
    })
}

/// One training article: its body and gold mentions.
struct Article {
    file: String,
    /// The first dateline date ("1996-08-22"), or the previous article's.
    date: String,
    body: String,
    gold: Vec<Mention>,
}

fn load(dir: &Path) -> Result<Vec<Article>> {
    let gold_path = dir.join("gold.jsonl");
    let text = std::fs::read_to_string(&gold_path)
        .with_context(|| format!("reading {}", gold_path.display()))?;
    let mut out: Vec<Article> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let file = v["file"].as_str().context("gold line without file")?;
        let path = dir.join("articles").join(file);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let format = Format::of(&path).unwrap_or(Format::Text);
        let (articles, _) = parse_file(file, &bytes, format, &ParseOptions::default())
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let article = articles
            .into_iter()
            .next()
            .with_context(|| format!("{}: no article", path.display()))?;
        let mut gold = Vec::new();
        for e in v["entities"]
            .as_array()
            .context("gold line without entities")?
        {
            let kind: EntityKind = e["kind"]
                .as_str()
                .context("entity without kind")?
                .parse()
                .map_err(anyhow::Error::msg)?;
            gold.push(Mention {
                start: e["start"].as_u64().context("start")? as usize,
                end: e["end"].as_u64().context("end")? as usize,
                kind,
            });
        }
        let date = first_date(&article.body)
            .or_else(|| out.last().map(|a| a.date.clone()))
            .unwrap_or_default();
        out.push(Article {
            file: file.to_owned(),
            date,
            body: article.body,
            gold,
        });
    }
    if out.is_empty() {
        bail!("no articles in {}", gold_path.display());
    }
    Ok(out)
}

/// The first date written as YYYY-MM-DD in a body (news datelines).
fn first_date(body: &str) -> Option<String> {
    let b = body.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        (digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10))
            .then(|| body[i..i + 10].to_owned())
    })
}

/// Mention counts: found, gold, and right (exact span and kind).
#[derive(Default, Clone, Copy)]
struct Counts {
    right: usize,
    found: usize,
    gold: usize,
}

impl Counts {
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
    fn precision(&self) -> f64 {
        self.right as f64 / self.found.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.right as f64 / self.gold.max(1) as f64
    }
}

/// Exact-match scores of a tagging, overall, per kind, and on the gold
/// names the training articles never had ("unseen"; precision counts the
/// found names not among the training names).
#[derive(Default)]
struct Score {
    all: Counts,
    kinds: [Counts; 4],
    unseen: Counts,
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = &self.all;
        write!(
            f,
            "P {:.3} R {:.3} F1 {:.3}",
            a.precision(),
            a.recall(),
            a.f1()
        )?;
        for (k, c) in EntityKind::ALL.iter().zip(&self.kinds) {
            write!(f, ", {} {:.3}", k.as_str(), c.f1())?;
        }
        write!(
            f,
            "; unseen names ({} of {}) F1 {:.3} (P {:.3} R {:.3})",
            self.unseen.gold,
            a.gold,
            self.unseen.f1(),
            self.unseen.precision(),
            self.unseen.recall()
        )
    }
}

/// Scores a tagging on `articles`; `seen` holds the folded training names.
fn evaluate(
    articles: &[Article],
    seen: &HashSet<String>,
    doc_of: impl Fn(&str) -> Vec<Mention>,
) -> Score {
    let mut score = Score::default();
    let kind_at = |k: EntityKind| EntityKind::ALL.iter().position(|&x| x == k).unwrap_or(0);
    for a in articles {
        let pred = doc_of(&a.body);
        let novel = |m: &Mention| !seen.contains(&a.body[m.start..m.end].to_lowercase());
        let mut gold: HashMap<(usize, usize, EntityKind), usize> = HashMap::new();
        for m in &a.gold {
            *gold.entry((m.start, m.end, m.kind)).or_default() += 1;
            score.kinds[kind_at(m.kind)].gold += 1;
            score.unseen.gold += usize::from(novel(m));
        }
        for m in &pred {
            let right = gold
                .get_mut(&(m.start, m.end, m.kind))
                .filter(|c| **c > 0)
                .map(|c| *c -= 1)
                .is_some();
            let k = &mut score.kinds[kind_at(m.kind)];
            k.found += 1;
            k.right += usize::from(right);
            score.all.right += usize::from(right);
            if novel(m) {
                score.unseen.found += 1;
                score.unseen.right += usize::from(right);
            }
        }
        score.all.found += pred.len();
        score.all.gold += a.gold.len();
    }
    score
}

/// A training article ready for the tagger: its tokens and gold labels.
struct Prepared<'a> {
    doc: Doc<'a>,
    labels: Vec<u8>,
    /// Words of the other folds' names, as an unseen article would see them.
    gazetteer: usize,
}

/// What the training run scores on after each epoch: held-out articles,
/// the names of the training articles, and the first-pass model and
/// gazetteer that the model being trained follows or sits beside.
struct Held<'a> {
    articles: &'a [Article],
    seen: &'a HashSet<String>,
    first: &'a Model,
    gazetteer: &'a Gazetteer,
    lexicon: &'a Lexicon,
}

/// Trains one model on `docs`; with `first` (the first-pass labels of each
/// doc) it is a second-pass model. Reports held-out scores after each
/// epoch when `held` is given.
fn train_model(
    docs: &[&Prepared],
    first: Option<&[Vec<u8>]>,
    gazetteers: &[Gazetteer],
    opt: &Options,
    held: Option<&Held>,
) -> Model {
    let models: Vec<Model> = (0..opt.average.max(1))
        .map(|k| {
            let seed = opt.seed.wrapping_add(k.wrapping_mul(0x9E37_79B9));
            train_one(docs, first, gazetteers, opt, seed, held.filter(|_| k == 0))
        })
        .collect();
    match <[Model; 1]>::try_from(models) {
        Ok([one]) => one,
        Err(models) => Model::average(&models),
    }
}

/// Trains one model as [`train_model`] does, in the order and with the
/// unseen words that `seed` draws.
fn train_one(
    docs: &[&Prepared],
    first: Option<&[Vec<u8>]>,
    gazetteers: &[Gazetteer],
    opt: &Options,
    seed: u64,
    held: Option<&Held>,
) -> Model {
    let started = Instant::now();
    let mut trainer = Trainer::default();
    let mut examples = Vec::new();
    let mut keys = Vec::new();
    let mut identity = Vec::new();
    let mut coin = 0x0DD5_EED5_u64 ^ seed;
    for (n, p) in docs.iter().enumerate() {
        for s in &p.doc.sentences {
            let mut rows = Vec::with_capacity(s.len());
            for i in s.clone() {
                keys.clear();
                p.doc.features(s, i, &mut keys);
                coin = coin
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let unseen = p.doc.info[i].upper_initial
                    && ((coin >> 33) as f64 / (1u64 << 31) as f64) < opt.unseen;
                if unseen {
                    identity.clear();
                    p.doc.identity_features(s, i, &mut identity);
                    keys.retain(|k| !identity.contains(k));
                } else {
                    p.doc
                        .gazetteer_features(&gazetteers[p.gazetteer], i, &mut keys);
                }
                if let Some(first) = first {
                    p.doc.stacked_features(s, &first[n], i, &mut keys);
                }
                rows.push(trainer.intern(&keys));
            }
            examples.push(Example {
                features: rows,
                labels: p.labels[s.clone()].to_vec(),
            });
        }
    }
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = 0x5EED ^ seed;
    for epoch in 1..=opt.epochs {
        shuffle(&mut order, &mut state);
        let errors = trainer.epoch(&examples, &order);
        if let Some(h) = held {
            let model = trainer.model(opt.min_count);
            let second = first.is_some();
            let score = evaluate(h.articles, h.seen, |body| {
                let doc = Doc::with_lexicon(body, h.lexicon);
                let labels = if second {
                    let f = tag(h.first, h.gazetteer, &doc, None);
                    tag(&model, h.gazetteer, &doc, Some(&f))
                } else {
                    tag(&model, h.gazetteer, &doc, None)
                };
                spans(&doc, &labels)
            });
            eprintln!(
                "  epoch {epoch}: {errors} token errors, held-out {score} ({:.1}s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    trainer.model(opt.min_count)
}

/// Folds for the first-pass labels the second pass trains on: each fold is
/// tagged by a model that did not see it, as unseen articles will be.
const FOLDS: usize = 5;

/// The held-out articles as `parse --json` lines (path, body, entities).
fn write_predictions(model: &Tagger, articles: &[Article], path: &Path) -> Result<()> {
    let mut out = String::new();
    for a in articles {
        let entities = canonical::group(&a.body, &mentions(model, &a.body));
        let line = serde_json::json!({"path": a.file, "body": a.body, "entities": entities});
        out += &line.to_string();
        out.push('\n');
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

/// A fixed shuffle, so that training is repeatable.
fn shuffle(order: &mut [usize], seed: &mut u64) {
    for i in (1..order.len()).rev() {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        order.swap(i, (*seed >> 33) as usize % (i + 1));
    }
}

fn main() -> Result<()> {
    let opt = options()?;
    let started = Instant::now();
    let lexicon = match &opt.lexicon {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Lexicon::from_tsv(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => Lexicon::default(),
    };
    let articles = load(&opt.dir)?;
    let (train, held): (Vec<Article>, Vec<Article>) = match (&opt.split_date, opt.holdout) {
        (Some(date), _) => articles.into_iter().partition(|a| a.date < *date),
        (None, true) => {
            let mut train = articles;
            let held = train.split_off(train.len() * 9 / 10);
            (train, held)
        }
        (None, false) => (articles, Vec::new()),
    };
    let (train, held) = (&train[..], &held[..]);
    let seen: HashSet<String> = train
        .iter()
        .flat_map(|a| a.gold.iter().map(|m| a.body[m.start..m.end].to_lowercase()))
        .collect();
    let (mut misaligned, mut total, mut skipped) = (0, 0, 0);
    let prepared: Vec<Prepared> = train
        .iter()
        .map(|a| {
            let doc = Doc::with_lexicon(&a.body, &lexicon);
            let (labels, bad) = gold_labels(&doc, &a.gold);
            misaligned += bad;
            total += a.gold.len();
            for i in (0..labels.len()).filter(|&i| labels[i] != 0 && !doc.info[i].candidate) {
                skipped += 1;
                if std::env::var_os("SHOW_SKIPPED").is_some() {
                    let lo = i.saturating_sub(2);
                    let hi = (i + 3).min(doc.tokens.len());
                    let ctx: Vec<&str> = doc.tokens[lo..hi].iter().map(|t| t.text).collect();
                    eprintln!("skipped {:?} in {:?}", doc.tokens[i].text, ctx.join(" "));
                }
            }
            Prepared {
                doc,
                labels,
                gazetteer: 0,
            }
        })
        .collect();
    let mut prepared = prepared;
    // Gazetteer k holds every fold's names but fold k's; the last one all.
    let mut gazetteers = vec![Gazetteer::default(); FOLDS + 1];
    for (n, p) in prepared.iter_mut().enumerate() {
        p.gazetteer = n % FOLDS;
        for (k, g) in gazetteers.iter_mut().enumerate() {
            if k != n % FOLDS {
                g.add(&p.doc, &p.labels);
            }
        }
    }
    let full = gazetteers.pop().unwrap_or_default();
    eprintln!(
        "{} articles ({} to {}), {} gold mentions ({} off token boundaries, {} tokens the tagger skips); {} held out; lexicon {} keys",
        train.len(),
        train.first().map_or("", |a| &a.date),
        train.last().map_or("", |a| &a.date),
        total,
        misaligned,
        skipped,
        held.len(),
        lexicon.len()
    );
    let all: Vec<&Prepared> = prepared.iter().collect();
    let mut first_labels: Vec<Vec<u8>> = vec![Vec::new(); prepared.len()];
    for fold in 0..FOLDS {
        let rest: Vec<&Prepared> = all
            .iter()
            .enumerate()
            .filter(|(n, _)| n % FOLDS != fold)
            .map(|(_, p)| *p)
            .collect();
        let model = train_model(&rest, None, &gazetteers, &opt, None);
        for (n, p) in all.iter().enumerate().filter(|(n, _)| n % FOLDS == fold) {
            first_labels[n] = tag(&model, &gazetteers[fold], &p.doc, None);
        }
        eprintln!(
            "fold {fold} tagged ({:.1}s)",
            started.elapsed().as_secs_f64()
        );
    }
    let empty = Model::default();
    let mut show = Held {
        articles: held,
        seen: &seen,
        first: &empty,
        gazetteer: &full,
        lexicon: &lexicon,
    };
    eprintln!("first pass:");
    let first = train_model(
        &all,
        None,
        &gazetteers,
        &opt,
        (!held.is_empty()).then_some(&show),
    );
    eprintln!("second pass:");
    show.first = &first;
    let second = train_model(
        &all,
        Some(&first_labels),
        &gazetteers,
        &opt,
        (!held.is_empty()).then_some(&show),
    );
    eprintln!("gazetteer: {} words", full.len());
    let bytes = Tagger::new(first, second, full, lexicon.clone()).to_bytes(opt.min_weight);
    let shipped = Tagger::from_bytes(&bytes).context("the written model does not read back")?;
    if !held.is_empty() {
        let score = evaluate(held, &seen, |body| mentions(&shipped, body));
        eprintln!(
            "shipped model on held-out ({} articles, {} to {}): {score}",
            held.len(),
            held.first().map_or("", |a| &a.date),
            held.last().map_or("", |a| &a.date)
        );
    }
    for dir in &opt.eval {
        let set = load(dir)?;
        let score = evaluate(&set, &seen, |body| mentions(&shipped, body));
        eprintln!("shipped model on {}: {score}", dir.display());
    }
    if let Some(path) = &opt.predict {
        write_predictions(&shipped, held, path)?;
    }
    std::fs::write(&opt.out, &bytes).with_context(|| format!("writing {}", opt.out.display()))?;
    eprintln!(
        "wrote {} ({} features, {} bytes) in {:.1}s",
        opt.out.display(),
        shipped.len(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
