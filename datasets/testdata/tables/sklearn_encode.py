#!/usr/bin/python3
"""Encode mixed.csv with scikit-learn, the reference for TestPreprocessMatchesScikitLearn.

Fits a ColumnTransformer (SimpleImputer(median) for numbers; a constant
"(missing)" then OneHotEncoder(handle_unknown="ignore") for the text column;
days since 1970-01-01 and a one-hot day of week for the date) on rows
0-149 and writes the encoded rows 150-199 to sklearn_test.csv. Run with
Debian's Python (python3-sklearn):

    cd datasets/testdata/tables && /usr/bin/python3 sklearn_encode.py
"""
import csv
from datetime import date

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

MISSING = {"", "?", "NA", "N/A", "na", "n/a", "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "none", "-"}


def days(s):
    if "/" in s:
        m, d, y = (int(p) for p in s.split("/"))
    else:
        y, m, d = (int(p) for p in s.split("-"))
    return (date(y, m, d) - date(1970, 1, 1)).days


def num(s):
    return np.nan if s in MISSING else float(s)


with open("mixed.csv", newline="") as f:
    rows = list(csv.DictReader(f))
X = np.array(
    [[num(r["age"]), r["port"] if r["port"] not in MISSING else np.nan, days(r["boarded"]),
      (days(r["boarded"]) + 3) % 7, num(r["fare"])] for r in rows],
    dtype=object,
)
ct = ColumnTransformer([
    ("age", SimpleImputer(strategy="median"), [0]),
    ("port", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                           OneHotEncoder(handle_unknown="ignore")), [1]),
    ("days", "passthrough", [2]),
    ("weekday", OneHotEncoder(categories=[list(range(7))]), [3]),
    ("fare", SimpleImputer(strategy="median"), [4]),
], sparse_threshold=0)
ct.fit(X[:150])
out = ct.transform(X[150:]).astype(float)
with open("sklearn_test.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(ct.get_feature_names_out())
    for r in out:
        w.writerow([repr(v) for v in r])
