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
//! `--predict FILE` (with `--holdout`: write the held-out articles as
//! `parse --json` lines, for `score.py` and error analysis).
//! With `SHOW_SKIPPED=1` in the environment it lists the gold name tokens
//! the tagger never looks at (see `TokenInfo::candidate`).
//!
//! Training is deterministic: the command above rebuilds the shipped model
//! byte for byte (about 20 s on one core).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use newsidx::article::{parse_file, Format, ParseOptions};
use newsidx::extract::entities::features::{Doc, Gazetteer};
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
    predict: Option<PathBuf>,
}

fn options() -> Result<Options> {
    let mut args = std::env::args().skip(1);
    let mut pos = Vec::new();
    let mut predict = None;
    let (mut epochs, mut min_count, mut min_weight, mut holdout) = (10, 1, 0.05, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--epochs" => epochs = args.next().context("--epochs N")?.parse()?,
            "--min-count" => min_count = args.next().context("--min-count N")?.parse()?,
            "--min-weight" => min_weight = args.next().context("--min-weight W")?.parse()?,
            "--holdout" => holdout = true,
            "--predict" => predict = Some(args.next().context("--predict FILE")?.into()),
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
        predict,
    })
}

/// One training article: its body and gold mentions.
struct Article {
    file: String,
    body: String,
    gold: Vec<Mention>,
}

fn load(dir: &Path) -> Result<Vec<Article>> {
    let gold_path = dir.join("gold.jsonl");
    let text = std::fs::read_to_string(&gold_path)
        .with_context(|| format!("reading {}", gold_path.display()))?;
    let mut out = Vec::new();
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
        out.push(Article {
            file: file.to_owned(),
            body: article.body,
            gold,
        });
    }
    if out.is_empty() {
        bail!("no articles in {}", gold_path.display());
    }
    Ok(out)
}

/// Exact-match mention precision, recall and F1 of a tagging on `articles`.
fn evaluate(articles: &[Article], tag: impl Fn(&Doc) -> Vec<u8>) -> (f64, f64, f64) {
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    for a in articles {
        let doc = Doc::new(&a.body);
        let pred = spans(&doc, &tag(&doc));
        let mut gold: HashMap<(usize, usize, EntityKind), usize> = HashMap::new();
        for m in &a.gold {
            *gold.entry((m.start, m.end, m.kind)).or_default() += 1;
        }
        for m in &pred {
            if let Some(c) = gold.get_mut(&(m.start, m.end, m.kind)).filter(|c| **c > 0) {
                *c -= 1;
                tp += 1;
            }
        }
        np += pred.len();
        ng += a.gold.len();
    }
    let p = tp as f64 / np.max(1) as f64;
    let r = tp as f64 / ng.max(1) as f64;
    (
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    )
}

/// A training article ready for the tagger: its tokens and gold labels.
struct Prepared<'a> {
    doc: Doc<'a>,
    labels: Vec<u8>,
    /// Words of the other folds' names, as an unseen article would see them.
    gazetteer: usize,
}

/// Trains one model on `docs`; with `first` (the first-pass labels of each
/// doc) it is a second-pass model. Reports held-out F1 after each epoch
/// when `held` is given.
fn train_model(
    docs: &[&Prepared],
    first: Option<&[Vec<u8>]>,
    gazetteers: &[Gazetteer],
    opt: &Options,
    held: Option<(&[Article], &Model, &Gazetteer)>,
) -> Model {
    let started = Instant::now();
    let mut trainer = Trainer::default();
    let mut examples = Vec::new();
    let mut keys = Vec::new();
    for (n, p) in docs.iter().enumerate() {
        for s in &p.doc.sentences {
            let mut rows = Vec::with_capacity(s.len());
            for i in s.clone() {
                keys.clear();
                p.doc.features(s, i, &mut keys);
                p.doc
                    .gazetteer_features(&gazetteers[p.gazetteer], i, &mut keys);
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
    let mut seed = 0x5EED;
    for epoch in 1..=opt.epochs {
        shuffle(&mut order, &mut seed);
        let errors = trainer.epoch(&examples, &order);
        if let Some((held, first_model, gaz)) = held {
            let model = trainer.model(opt.min_count);
            let second = first.is_some();
            let (p, r, f) = evaluate(held, |doc| {
                if second {
                    let f = tag(first_model, gaz, doc, None);
                    tag(&model, gaz, doc, Some(&f))
                } else {
                    tag(&model, gaz, doc, None)
                }
            });
            eprintln!(
                "  epoch {epoch}: {errors} token errors, held-out P {p:.3} R {r:.3} F1 {f:.3} ({:.1}s)",
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
    let articles = load(&opt.dir)?;
    let split = if opt.holdout {
        articles.len() * 9 / 10
    } else {
        articles.len()
    };
    let (train, held) = articles.split_at(split);
    let (mut misaligned, mut total, mut skipped) = (0, 0, 0);
    let prepared: Vec<Prepared> = train
        .iter()
        .map(|a| {
            let doc = Doc::new(&a.body);
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
        "{} articles, {} gold mentions ({} off token boundaries, {} tokens the tagger skips)",
        train.len(),
        total,
        misaligned,
        skipped
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
    let show = (!held.is_empty()).then_some((held, &empty, &full));
    eprintln!("first pass:");
    let first = train_model(&all, None, &gazetteers, &opt, show);
    eprintln!("second pass:");
    let show = (!held.is_empty()).then_some((held, &first, &full));
    let second = train_model(&all, Some(&first_labels), &gazetteers, &opt, show);
    eprintln!("gazetteer: {} words", full.len());
    let bytes = Tagger::new(first, second, full).to_bytes(opt.min_weight);
    let shipped = Tagger::from_bytes(&bytes).context("the written model does not read back")?;
    if !held.is_empty() {
        let (p, r, f) = evaluate(held, |doc| shipped.tag(doc));
        eprintln!("shipped model on held-out: P {p:.3} R {r:.3} F1 {f:.3}");
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
