"""Writes a Titanic-like mixed table for bench/tables.sh: train.csv and
test.csv (80/20, stratified) from a seed. Columns: PassengerId (an id),
Name (every value differs), Pclass (1-3), Sex, Age (15% gaps), Port (S, C,
Q, gaps), Boarded (a date), Fare; Survived depends on Sex, Pclass, Age,
Port, Fare and the weekday of Boarded, with noise."""
import csv
import math
import random
import sys

out, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
rows = []
for i in range(n):
    pclass = rng.choice([1, 2, 3, 3])
    sex = rng.choice(["male", "female"])
    age = rng.gauss(30, 12)
    port = rng.choice(["S", "S", "S", "C", "Q"])
    day = rng.randint(0, 364)
    year, month = 2003, 1
    days_in = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    d = day
    while d >= days_in[month - 1]:
        d -= days_in[month - 1]
        month += 1
    date = f"{year}-{month:02d}-{d + 1:02d}"
    weekday = (day + 2) % 7  # 2003-01-01 was a Wednesday (Monday = 0)
    fare = round(math.exp(rng.gauss(3.0 - 0.5 * (pclass - 1), 0.5)), 2)
    z = (2.2 * (sex == "female") - 0.9 * (pclass - 2) - 0.03 * (age - 30)
         + 0.6 * (port == "C") + 0.01 * fare + 0.5 * (weekday >= 5) - 0.8 + rng.gauss(0, 0.7))
    survived = int(z > 0)
    age_s = "" if rng.random() < 0.15 else f"{max(age, 0.5):.0f}"
    port_s = "" if rng.random() < 0.03 else port
    rows.append([i + 1, f"Passenger {i + 1}", pclass, sex, age_s, port_s, date, fare, survived])
by = {0: [r for r in rows if r[-1] == 0], 1: [r for r in rows if r[-1] == 1]}
train, test = [], []
for cls in by.values():
    rng.shuffle(cls)
    k = round(len(cls) * 0.2)
    test += cls[:k]
    train += cls[k:]
rng.shuffle(train)
header = ["PassengerId", "Name", "Pclass", "Sex", "Age", "Port", "Boarded", "Fare", "Survived"]
for name, part in (("train.csv", train), ("test.csv", test)):
    with open(f"{out}/{name}", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(part)
