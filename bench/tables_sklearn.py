"""scikit-learn's answer to bench/tables.sh's table: ColumnTransformer
(SimpleImputer + StandardScaler for numbers, OneHotEncoder with a
"(missing)" category for text, days since 1970 and weekday one-hot for the
date) and an MLPClassifier shaped like workbench's defaults (one hidden
layer of 64 ReLU, Adam lr 0.01, L2 0.001, batch 32, 20% validation, patience
20). Prints the test accuracy."""
import csv
import datetime
import sys

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

folder, seed = sys.argv[1], int(sys.argv[2])


def read(name):
    with open(f"{folder}/{name}") as f:
        rows = list(csv.DictReader(f))
    X, y = [], []
    for r in rows:
        d = datetime.date.fromisoformat(r["Boarded"])
        days = (d - datetime.date(1970, 1, 1)).days
        num = lambda s: float(s) if s != "" else np.nan
        X.append([num(r["Pclass"]), num(r["Age"]), num(r["Fare"]), float(days),
                  r["Sex"] or "(missing)", r["Port"] or "(missing)", str(d.weekday())])
        y.append(int(r["Survived"]))
    return np.array(X, dtype=object), np.array(y)


Xtr, ytr = read("train.csv")
Xte, yte = read("test.csv")
pre = ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), [0, 1, 2, 3]),
    ("cat", OneHotEncoder(handle_unknown="ignore"), [4, 5, 6]),
])
model = Pipeline([("pre", pre), ("mlp", MLPClassifier(
    hidden_layer_sizes=(64,), activation="relu", solver="adam", learning_rate_init=0.01,
    alpha=0.001, batch_size=32, early_stopping=True, validation_fraction=0.2,
    n_iter_no_change=20, max_iter=200, random_state=seed))])
model.fit(Xtr, ytr)
print(f"{model.score(Xte, yte):.4f}")
