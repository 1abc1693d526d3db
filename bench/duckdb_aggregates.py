"""The headline aggregates of `oco-report build 2021`, computed by DuckDB over the same CSVs.

Usage: python duckdb_aggregates.py DATA_DIR [--figures out/2021/figures.json] [--json OUT]

Computes, for report year 2021 under the default settings (no oco-report.toml):
  - dossiers per stadsdeel via the school registry (school years 2017-2018 .. 2020-2021, primary
    schools in a stadsdeel; matched by brin, else by normalised name or alias), webinar or not;
  - the same dossiers per schoolweging band [20,25) [25,30) [30,35) [35,40];
  - dossiers of 2020-2021 per sector group;
  - dossiers per theme per school year (2018-2019 .. 2020-2021, each theme once per dossier);
  - unique pageviews per school year (rows of a day summed, `pagina` column or not).

Prints the time of the queries alone (reading the CSVs included: DuckDB reads them as part of
the queries), and with --figures compares every aggregate with oco-report's figures.json,
exiting 1 on a difference, so the two sides are known to compute the same thing.
"""

import json
import sys
import time

import duckdb

STADSDELEN = ["Centrum", "West", "Nieuw-West", "Zuid", "Oost", "Noord", "Zuidoost"]
BANDS = [(20, 25, "20-25"), (25, 30, "25-30"), (30, 35, "30-35"), (35, 40, "35-40")]
SECTOR_GROUPS = [
    ("voorschoolleeftijd", ["voorschool", "schoolkeuze po"]),
    ("voorschool-geindiceerd", ["voorschool"]),
    ("po", ["po"]),
    ("po-vo", ["overstap po-vo"]),
    ("vo", ["vo", "overstap vmbo-mbo"]),
    ("mbo", ["mbo", "overstap mbo-ho"]),
]
SPREAD = (2017, 2020)  # school years by start year
HELPDESK = (2018, 2020)
CURRENT = 2020


def normalised(expr):
    """oco-report's name key: accents and case folded, anything but letters and digits a space."""
    return f"trim(regexp_replace(lower(strip_accents({expr})), '[^a-z0-9]+', ' ', 'g'))"


def school_year(expr):
    return f"(year({expr}) - CASE WHEN month({expr}) >= 8 THEN 0 ELSE 1 END)"


def run(data):
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    q = lambda sql: con.execute(sql).fetchall()
    d = f"{data}/dossiers.csv"
    s = f"{data}/scholen.csv"
    p = f"{data}/pageviews.csv"
    con.execute(
        f"""
        CREATE TEMP TABLE scholen AS
        SELECT upper(trim(brin)) AS brin, stadsdeel,
               TRY_CAST(replace(schoolweging, ',', '.') AS DOUBLE) AS weging,
               coalesce(nullif(lower(trim(sector)), ''), 'po') AS sector,
               naam, aliassen
        FROM read_csv('{s}', delim=';', header=true, all_varchar=true)
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE namen AS
        SELECT DISTINCT {normalised('n')} AS sleutel, brin FROM (
            SELECT naam AS n, brin FROM scholen
            UNION ALL
            SELECT unnest(string_split(aliassen, '|')) AS n, brin FROM scholen
        ) WHERE {normalised('n')} <> ''
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE dossiers AS
        SELECT dossier_id,
               coalesce(try_strptime(datum, '%Y-%m-%d'), try_strptime(datum, '%d-%m-%Y'))::DATE
                   AS datum,
               lower(trim(sector)) AS sector, themas,
               lower(trim(kanaal)) = 'webinar' AS webinar,
               upper(trim(school_brin)) AS school_brin, schoolnaam
        FROM read_csv('{d}', header=true, all_varchar=true)
        """
    )
    con.execute(
        f"ALTER TABLE dossiers ADD COLUMN schooljaar INTEGER; "
        f"UPDATE dossiers SET schooljaar = {school_year('datum')}"
    )
    named = f"""
        WITH resolved AS (
            SELECT d.webinar, coalesce(b.brin, n.brin) AS brin
            FROM dossiers d
            LEFT JOIN scholen b ON b.brin = d.school_brin
            LEFT JOIN namen n ON b.brin IS NULL AND n.sleutel = {normalised('d.schoolnaam')}
            WHERE d.schooljaar BETWEEN {SPREAD[0]} AND {SPREAD[1]}
        )
        SELECT r.webinar, s.stadsdeel, s.weging
        FROM resolved r JOIN scholen s ON s.brin = r.brin
        WHERE s.sector = 'po' AND s.stadsdeel IS NOT NULL AND trim(s.stadsdeel) <> ''
    """
    out = {}
    rows = q(f"SELECT stadsdeel, webinar, count(*) FROM ({named}) GROUP BY ALL")
    out["stadsdelen"] = {f"{sd}|{w}": n for sd, w, n in rows}
    band = " ".join(
        f"WHEN weging >= {lo} AND weging {'<=' if hi == 40 else '<'} {hi} THEN '{key}'"
        for lo, hi, key in BANDS
    )
    rows = q(
        f"SELECT band, webinar, count(*) FROM (SELECT CASE {band} END AS band, webinar "
        f"FROM ({named})) WHERE band IS NOT NULL GROUP BY ALL"
    )
    out["schoolweging"] = {f"{b}|{w}": n for b, w, n in rows}
    groups = ", ".join(f"('{g}', '{sector}')" for g, sectors in SECTOR_GROUPS for sector in sectors)
    rows = q(
        f"""SELECT g.groep, count(*) FROM dossiers d
            JOIN (VALUES {groups}) g(groep, sector) ON g.sector = d.sector
            WHERE d.schooljaar = {CURRENT} GROUP BY ALL"""
    )
    out["sectoren"] = dict(rows)
    rows = q(
        f"""SELECT thema, schooljaar, count(*) FROM (
                SELECT DISTINCT dossier_id, schooljaar, lower(trim(t)) AS thema
                FROM (SELECT dossier_id, schooljaar, unnest(string_split(themas, '|')) AS t
                      FROM dossiers
                      WHERE schooljaar BETWEEN {HELPDESK[0]} AND {HELPDESK[1]})
                WHERE trim(t) <> '')
            GROUP BY ALL"""
    )
    out["themas"] = {f"{t}|{y}": n for t, y, n in rows}
    rows = q(
        f"""SELECT {school_year('datum')} AS schooljaar, sum(unieke_paginaweergaven)
            FROM read_csv('{p}', header=true,
                          columns={{'datum': 'DATE', 'pagina': 'VARCHAR',
                                    'unieke_paginaweergaven': 'BIGINT'}})
            GROUP BY ALL"""
    ) if has_pagina(p) else q(
        f"""SELECT {school_year('datum')} AS schooljaar, sum(unieke_paginaweergaven)
            FROM read_csv('{p}', header=true,
                          columns={{'datum': 'DATE', 'unieke_paginaweergaven': 'BIGINT'}})
            GROUP BY ALL"""
    )
    out["pageviews"] = {str(y): int(n) for y, n in rows}
    return out


def has_pagina(path):
    with open(path, encoding="utf-8-sig") as f:
        return "pagina" in f.readline().lower()


def from_figures(path):
    """The same aggregates as oco-report wrote them in figures.json."""
    figures = json.load(open(path, encoding="utf-8"))
    tables = {t["id"]: t for a in figures["appendices"] for t in a["tables"]}
    rows = lambda tid: {r["key"]: r["values"] for r in tables[tid]["rows"]}
    out = {"stadsdelen": {}, "schoolweging": {}, "sectoren": {}, "themas": {}, "pageviews": {}}
    for sd, v in rows("stadsdelen").items():
        if sd in STADSDELEN:
            excl, incl = v["vragen_excl_webinars"], v["vragen_incl_webinars"]
            out["stadsdelen"][f"{sd}|False"] = excl
            out["stadsdelen"][f"{sd}|True"] = incl - excl
    for band, v in rows("schoolweging").items():
        out["schoolweging"][f"{band}|False"] = v["helpdesk"]
        out["schoolweging"][f"{band}|True"] = v["webinars"]
    for group, v in rows("sectoren").items():
        out["sectoren"][group] = v["dossiers"]
    for theme, v in rows("helpdesk-themas").items():
        for year in range(HELPDESK[0], HELPDESK[1] + 1):
            out["themas"][f"{theme}|{year}"] = v[f"{year}-{year + 1}"]
    for year, v in rows("websitebezoek").items():
        out["pageviews"][year.split("-")[0]] = v["unieke_paginaweergaven"]
    return out


def compare(duck, report):
    differences = []
    for table, expected in report.items():
        got = duck[table]
        for key, value in expected.items():
            if got.get(key, 0) != value:
                differences.append(f"{table} {key}: oco-report {value}, duckdb {got.get(key, 0)}")
    return differences


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    data = args[0]
    start = time.perf_counter()
    result = run(data)
    seconds = time.perf_counter() - start
    print(f"duckdb {duckdb.__version__}: queries {seconds:.3f} s")
    if "--json" in args:
        json.dump(result, open(args[args.index("--json") + 1], "w"), indent=1, sort_keys=True)
    if "--figures" in args:
        differences = compare(result, from_figures(args[args.index("--figures") + 1]))
        if differences:
            print("DIFFERENT from oco-report:\n  " + "\n  ".join(differences))
            sys.exit(1)
        print("same aggregates as oco-report's figures.json")
    print(f"QUERY_SECONDS={seconds:.4f}")


if __name__ == "__main__":
    main()
