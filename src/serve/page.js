// newsidx search page: plain DOM, no framework. The state lives in the
// URL (?q=&speaker=&entity=&since=&until=&sort=&offset=&view=&article=&root=),
// so Back, reload and links work. All text goes in as text nodes or
// attributes, never as HTML, so article text cannot inject markup.
"use strict";

const PAGE = 10;
const FILTERS = ["speaker", "entity", "since", "until", "sort"];
const encoder = new TextEncoder();
const decoder = new TextDecoder();
let renderSeq = 0;

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function params() {
  return new URLSearchParams(location.search);
}

function go(p, push = true) {
  const qs = p.toString();
  const url = qs ? "/?" + qs : "/";
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  render();
}

// Back to a list of results, from its first page.
function leaveArticle(p) {
  p.delete("article");
  p.delete("root");
  p.delete("offset");
}

function withParam(name, value, add) {
  const p = params();
  leaveArticle(p);
  if (add) {
    if (!p.getAll(name).includes(value)) p.append(name, value);
  } else {
    const keep = p.getAll(name).filter((v) => v !== value);
    p.delete(name);
    keep.forEach((v) => p.append(name, v));
  }
  return p;
}

// `root` tells apart articles of the same id indexed from two directories;
// the query goes along, to mark its words in the article.
function articleLink(id, title, root) {
  const p = new URLSearchParams({ article: id });
  if (root) p.set("root", root);
  const q = params().get("q");
  if (q) p.set("q", q);
  return el("a", {
    class: "hit-title",
    href: "/?" + p,
    onclick: (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      go(p);
    },
  }, title || id);
}

function filterButton(name, value, label, extraClass) {
  return el("button", {
    type: "button",
    class: "filter " + (extraClass || ""),
    "data-name": value,
    title: "Only articles with " + name + " " + value,
    onclick: () => go(withParam(name, value, true)),
  }, label);
}

async function api(path, p) {
  const url = p ? path + "?" + p : path;
  // Same-origin only: the browser refuses to send it anywhere else, and
  // the server refuses requests whose Origin is another site's.
  const r = await fetch(url, {
    headers: { Accept: "application/json" },
    mode: "same-origin",
    credentials: "omit",
  });
  let body;
  try {
    body = await r.json();
  } catch (_) {
    body = { error: r.status + " " + r.statusText };
  }
  if (!r.ok) throw new Error(body.error || String(r.status));
  return body;
}

// Byte ranges of UTF-8 text (as the API gives them) to text with <mark>s.
function marked(text, ranges) {
  const bytes = encoder.encode(text);
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [s, e] of ranges || []) {
    if (s < at || e > bytes.length || e <= s) continue;
    frag.append(decoder.decode(bytes.slice(at, s)));
    frag.append(el("mark", {}, decoder.decode(bytes.slice(s, e))));
    at = e;
  }
  frag.append(decoder.decode(bytes.slice(at)));
  return frag;
}

function apiParams(p, names) {
  const out = new URLSearchParams();
  for (const n of names) for (const v of p.getAll(n)) if (v) out.append(n, v);
  out.set("limit", String(PAGE));
  return out;
}

function syncInputs(p) {
  $("q").value = p.get("q") || "";
  $("speaker").value = p.getAll("speaker")[0] || "";
  $("entity").value = p.getAll("entity")[0] || "";
  $("since").value = p.get("since") || "";
  $("until").value = p.get("until") || "";
  $("sort").value = p.get("sort") || "relevance";
  const quotes = p.get("view") === "quotes";
  $("view-articles").setAttribute("aria-pressed", String(!quotes));
  $("view-quotes").setAttribute("aria-pressed", String(quotes));
  document.body.classList.toggle("quotes-view", quotes);
  document.body.classList.toggle("article-view", Boolean(p.get("article")));
}

function renderChips(p) {
  const chips = $("chips");
  chips.replaceChildren();
  for (const name of ["speaker", "entity", "since", "until"]) {
    for (const v of p.getAll(name)) {
      chips.append(el("button", {
        type: "button",
        class: "chip",
        title: "Remove this filter",
        onclick: () => go(withParam(name, v, false)),
      }, name + ": " + v + " ×"));
    }
  }
}

function pager(p, total, shown) {
  const nav = $("pager");
  nav.replaceChildren();
  const offset = Number(p.get("offset") || 0);
  const move = (to) => {
    const q = params();
    if (to > 0) q.set("offset", String(to));
    else q.delete("offset");
    go(q);
    window.scrollTo(0, 0);
  };
  // Newest first, a page back is newer; by relevance, it is only the one before.
  const byDate = p.get("sort") === "date";
  if (offset > 0) nav.append(el("button", { type: "button", onclick: () => move(Math.max(0, offset - PAGE)) }, byDate ? "← Newer results" : "← Previous results"));
  if (offset + shown < total) nav.append(el("button", { type: "button", onclick: () => move(offset + PAGE) }, byDate ? "Older results →" : "More results →"));
}

function facetList(ul, names, filter, active) {
  ul.replaceChildren();
  if (!names.length) {
    ul.append(el("li", { class: "none" }, "none"));
    return;
  }
  for (const n of names) {
    const on = active.includes(n.name);
    const label = [n.name, " ", el("span", { class: "count" }, String(n.count))];
    if (n.kind) label.unshift(el("span", { class: "kind kind-" + n.kind }, n.kind), " ");
    const b = el("button", {
      type: "button",
      class: "facet" + (on ? " on" : ""),
      "data-name": n.name,
      "aria-pressed": String(on),
      onclick: () => go(withParam(filter, n.name, !on)),
    }, ...label);
    ul.append(el("li", {}, b));
  }
}

// The results list, emptied and numbered from the response's offset, in
// place of the article view; `status` says what it holds.
function resultList(r, status) {
  $("article").hidden = true;
  const list = $("results");
  list.hidden = false;
  list.replaceChildren();
  list.start = r.offset + 1;
  list.dataset.total = String(r.total);
  // How the query was read, where not as written.
  $("status").textContent = (r.notes || []).length ? status + " — " + r.notes.join("; ") : status;
  return list;
}

async function showSearch(p, seq) {
  const names = ["q", "speaker", "entity", "since", "until", "sort", "offset"];
  const r = await api("/api/search", apiParams(p, names));
  if (seq !== renderSeq) return;
  const list = resultList(r, r.total === 0
    ? "No matching articles."
    : `${r.total} matching article${r.total === 1 ? "" : "s"}` +
      (r.hits.length ? ` — ${r.offset + 1} to ${r.offset + r.hits.length}` : ""));
  for (const h of r.hits) {
    const meta = el("div", { class: "meta" },
      el("time", {}, h.date || "undated"), " · ", el("span", { class: "source" }, h.id || h.path));
    const li = el("li", { class: "hit", "data-id": h.id, "data-speakers": JSON.stringify(h.speakers) },
      el("h3", {}, articleLink(h.id, h.title, h.root)), meta,
      el("p", { class: "snippet" }, marked(h.snippet, h.highlights)));
    if (h.speakers.length) {
      const who = el("div", { class: "speakers" }, "Quoted: ");
      h.speakers.forEach((s, i) => {
        if (i) who.append(" ");
        who.append(filterButton("speaker", s, s, "speaker"));
      });
      li.append(who);
    }
    if (h.quotes.length) {
      const qs = el("ul", { class: "hit-quotes" });
      for (const q of h.quotes) {
        qs.append(el("li", {}, el("q", {}, q.text), " — ", q.speaker || "unattributed"));
      }
      li.append(qs);
    }
    if (h.copies > 0) {
      // The other copies of the story, shown once: listed on demand.
      const others = el("ul", { class: "copies" });
      for (const c of h.also || []) {
        others.append(el("li", {}, articleLink(c.id, c.title, c.root), " ",
          el("span", { class: "meta" }, (c.date || "undated") + " · " + c.id)));
      }
      li.append(el("details", { class: "also" },
        el("summary", {}, `also in ${h.copies} other article${h.copies === 1 ? "" : "s"}`), others));
    }
    list.append(li);
  }
  facetList($("speaker-facets"), r.facets.speakers, "speaker", p.getAll("speaker"));
  facetList($("entity-facets"), r.facets.entities, "entity", p.getAll("entity"));
  pager(p, r.total, r.hits.length);
}

async function showQuotes(p, seq) {
  const names = ["q", "speaker", "entity", "since", "until", "sort", "offset"];
  const r = await api("/api/quotes", apiParams(p, names));
  if (seq !== renderSeq) return;
  const list = resultList(r, `${r.total} matching quote${r.total === 1 ? "" : "s"}`);
  for (const q of r.hits) {
    const who = q.speaker
      ? filterButton("speaker", q.speaker, q.speaker, "speaker")
      : el("span", { class: "unattributed" }, "unattributed");
    const meta = el("div", { class: "meta" }, "— ", who, " · ", el("time", {}, q.date || "undated"), " · ",
      articleLink(q.id, q.title, q.root));
    if (q.articles > 1) meta.append(` · in ${q.articles} articles (first published here)`);
    list.append(el("li", { class: "quote", "data-id": q.id },
      el("blockquote", {}, marked(q.text, q.highlights)), meta));
  }
  pager(p, r.total, r.hits.length);
  await showTimeline(p, seq);
}

// A speaker's quotes per month, each at its first publication, with the
// first quote of each month: shown above the quotes when a speaker is chosen.
async function showTimeline(p, seq) {
  const box = $("timeline");
  box.replaceChildren();
  box.hidden = true;
  if (!p.getAll("speaker").length) return;
  const tp = apiParams(p, ["q", "speaker", "entity", "since", "until"]);
  tp.set("by", "month");
  const t = await api("/api/quotes", tp);
  if (seq !== renderSeq || !t.periods.length) return;
  const most = Math.max(...t.periods.map((x) => x.quotes));
  const rows = el("tbody", {});
  for (const x of t.periods) {
    // Set through the style object: the page's CSP refuses style attributes.
    const bar = el("span", { class: "bar" });
    bar.style.width = `${Math.max(4, (100 * x.quotes) / most)}%`;
    rows.append(el("tr", {},
      el("th", { scope: "row" }, x.period),
      el("td", { class: "count" }, String(x.quotes)),
      el("td", {}, bar),
      el("td", {}, el("q", {}, x.first.text), " ", el("span", { class: "meta" }, x.first.date || ""), " ",
        articleLink(x.first.id, x.first.title, x.first.root))));
  }
  box.append(el("h2", {}, `Quotes per month (${t.total}${t.undated ? `, ${t.undated} undated` : ""})`),
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "month"), el("th", {}, "quotes"),
      el("th", {}, ""), el("th", {}, "first quote"))), rows));
  box.hidden = false;
}

// The body as runs of text, each marked with the quote and entity
// spans (UTF-8 byte offsets) that cover it.
function markedBody(body, quotes, entities, hits) {
  const bytes = encoder.encode(body);
  const spans = [];
  for (const [s, e] of hits || []) spans.push({ s, e, hit: true });
  for (const q of quotes) spans.push({ s: q.start, e: q.end, quote: q });
  // An index built by another version may hold entities the tagger no longer finds: no spans.
  for (const en of entities) for (const [s, e] of en.spans || []) spans.push({ s, e, entity: en });
  const cuts = new Set([0, bytes.length]);
  for (const sp of spans) {
    if (sp.s >= 0 && sp.e <= bytes.length && sp.s < sp.e) {
      cuts.add(sp.s);
      cuts.add(sp.e);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const text = decoder.decode(bytes.slice(a, b));
    const quote = spans.find((sp) => sp.quote && sp.s <= a && b <= sp.e);
    const entity = spans.find((sp) => sp.entity && sp.s <= a && b <= sp.e);
    const hit = spans.find((sp) => sp.hit && sp.s <= a && b <= sp.e);
    let node = text;
    if (entity) {
      node = el("span", {
        class: "ent kind-" + entity.entity.kind,
        title: entity.entity.kind + ": " + entity.entity.name,
      }, text);
    }
    if (hit) node = el("mark", { class: "hit" }, node);
    if (quote) {
      node = el("mark", {
        class: "quote",
        title: "said by " + (quote.quote.speaker || "unattributed"),
      }, node);
    }
    frag.append(node);
  }
  return frag;
}

async function showArticle(p, seq) {
  const id = p.get("article");
  const path = id.split("/").map(encodeURIComponent).join("/");
  const ask = new URLSearchParams();
  for (const n of ["root", "q"]) if (p.get(n)) ask.set(n, p.get(n));
  const a = await api("/api/articles/" + path, ask.toString() ? ask : undefined);
  if (seq !== renderSeq) return;
  $("results").hidden = true;
  $("results").replaceChildren();
  $("pager").replaceChildren();
  $("status").textContent = "";
  const view = $("article");
  view.hidden = false;
  const meta = el("div", { class: "meta" }, el("time", {}, a.date || "undated"), " · ", a.path);
  if (a.author) meta.append(" · by ", a.author);
  if (a.source) meta.append(" · ", a.source);
  if (a.url && /^https?:\/\//i.test(a.url)) meta.append(" · ", el("a", { href: a.url, rel: "noopener noreferrer" }, "original"));
  const back = el("button", { type: "button", id: "back", onclick: () => history.length > 1 ? history.back() : go(new URLSearchParams()) }, "← Back");
  const ents = el("ul", { class: "facets" });
  for (const en of a.entities) {
    ents.append(el("li", {}, filterButton("entity", en.name, en.name, "kind-" + en.kind)));
  }
  const quotes = el("ul", { class: "article-quotes" });
  for (const q of a.quotes) {
    quotes.append(el("li", {}, el("q", {}, q.text), " — ",
      q.speaker ? filterButton("speaker", q.speaker, q.speaker, "speaker") : "unattributed"));
  }
  view.replaceChildren(back, el("h1", { tabindex: "-1" }, a.title), meta,
    el("div", { class: "body" }, markedBody(a.body, a.quotes, a.entities, a.highlights)),
    el("h2", {}, `Quotes (${a.quotes.length})`), a.quotes.length ? quotes : el("p", {}, "none"),
    el("h2", {}, `Entities (${a.entities.length})`), a.entities.length ? ents : el("p", {}, "none"));
  document.title = a.title + " — newsidx";
  view.querySelector("h1").focus();
}

async function render() {
  const p = params();
  const seq = ++renderSeq;
  syncInputs(p);
  renderChips(p);
  document.body.dataset.state = "loading";
  try {
    if (p.get("article")) await showArticle(p, seq);
    else if (p.get("view") === "quotes") await showQuotes(p, seq);
    else {
      document.title = "newsidx";
      await showSearch(p, seq);
    }
  } catch (e) {
    if (seq !== renderSeq) return;
    $("article").hidden = true;
    $("results").replaceChildren();
    $("status").textContent = "Error: " + e.message;
    document.body.dataset.state = "error";
    return;
  }
  if (seq === renderSeq) {
    document.body.dataset.state = "ready";
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }
}

function init() {
  $("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const p = params();
    leaveArticle(p);
    p.set("q", $("q").value.trim());
    go(p);
  });
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const p = params();
    leaveArticle(p);
    for (const name of FILTERS) {
      const v = $(name).value.trim();
      p.delete(name);
      if (v && !(name === "sort" && v === "relevance")) p.set(name, v);
    }
    go(p);
  });
  $("clear").addEventListener("click", () => {
    const p = new URLSearchParams();
    const q = params().get("q");
    if (q) p.set("q", q);
    go(p);
  });
  const view = (quotes) => () => {
    const p = params();
    leaveArticle(p);
    if (quotes) p.set("view", "quotes");
    else p.delete("view");
    go(p);
  };
  $("view-articles").addEventListener("click", view(false));
  $("view-quotes").addEventListener("click", view(true));
  document.addEventListener("keydown", (ev) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName || "");
    if (ev.key === "/" && !typing) {
      ev.preventDefault();
      $("q").focus();
      $("q").select();
    } else if (ev.key === "Escape" && params().get("article")) {
      history.back();
    }
  });
  // On a phone the filters start folded, unless some are set.
  const p = params();
  if (window.matchMedia("(max-width: 760px)").matches && !["speaker", "entity", "since", "until"].some((n) => p.has(n))) {
    $("filters-box").open = false;
  }
  window.addEventListener("popstate", render);
  render();
}

init();
