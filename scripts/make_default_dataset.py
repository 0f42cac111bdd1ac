#!/usr/bin/env python3
"""Builds datasets/pwt/pwt91_asia5_tfp.csv, the default data of `tfp estimate`,
from the Penn World Table 9.1 extract datasets/pwt/pwt_asia5.csv by renaming
columns to tfp's default role names. No value is changed: fields are copied
as text. Run from the repository root:  python3 scripts/make_default_dataset.py
"""
import csv

SRC = "datasets/pwt/pwt_asia5.csv"
DST = "datasets/pwt/pwt91_asia5_tfp.csv"
# tfp column <- PWT column
COLUMNS = [
    ("region", "countrycode"),
    ("country_name", "country"),
    ("year", "year"),
    ("output", "rgdpna"),
    ("capital", "rnna"),
    ("labour", "emp"),
    ("hours", "avh"),
    ("human_capital", "hc"),
    ("labour_share", "labsh"),
    ("capital_services", "rkna"),
    ("depreciation_rate", "delta"),
    ("rtfpna", "rtfpna"),
]

with open(SRC, newline="") as f:
    rows = list(csv.DictReader(f))
with open(DST, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow([c for c, _ in COLUMNS])
    for r in rows:
        w.writerow([r[p] for _, p in COLUMNS])
