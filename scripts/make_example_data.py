"""Generate the example project's survey response CSVs (seeded, so every run is identical).

Usage: python scripts/make_example_data.py [CONTENT_DIR]   (default: content/)

The numbers tell the example's story: pickup problems during the spring rollout of
two-hour click & collect (May-June 2026) pull NPS and pickup CSAT down, and they recover
through October as stores fix staging and stock accuracy.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import random
import sys
from pathlib import Path

MONTHS = [(2026, m) for m in range(3, 11)]  # March to October 2026
PERSONAS = {  # id -> weight in the samples (close to segment_share)
    "maya-okafor": 0.27,
    "dan-whitfield": 0.31,
    "priya-raman": 0.14,
    "walt-gruber": 0.18,
    "": 0.10,  # respondents we could not match to a segment
}
JOURNEY_OF = {  # persona -> the journeys their answers are most often about
    "maya-okafor": ["click-and-collect", "click-and-collect", "return-or-exchange"],
    "dan-whitfield": ["family-camping-trip", "family-camping-trip", "return-or-exchange"],
    "priya-raman": ["family-camping-trip", "click-and-collect", "return-or-exchange"],
    "walt-gruber": ["family-camping-trip", "return-or-exchange"],
    "": ["click-and-collect", "return-or-exchange", "family-camping-trip"],
}
LAST_TOUCHPOINT = {
    "click-and-collect": ["pickup-counter", "ready-for-pickup-sms", "app-checkout"],
    "return-or-exchange": ["returns-portal", "returns-desk", "customer-care-phone"],
    "family-camping-trip": ["store-floor-advice", "tent-pitching-area", "store-checkout"],
}
# Month -> (promoter share, detractor share) for NPS, share of 4-5 for CSAT, mean for CES.
NPS_MIX = [(0.54, 0.16), (0.53, 0.17), (0.50, 0.20), (0.48, 0.22)]
NPS_MIX += [(0.50, 0.19), (0.53, 0.16), (0.55, 0.14), (0.57, 0.13)]
CSAT_SHARE = [0.82, 0.80, 0.73, 0.70, 0.76, 0.81, 0.84, 0.86]
CES_MEAN = [4.7, 4.8, 4.6, 4.7, 4.9, 5.1, 5.3, 5.4]
# Persona tilts: Walt and Priya are warmer, Maya is hit hardest by pickup problems.
NPS_TILT = {"walt-gruber": 0.08, "priya-raman": 0.04, "maya-okafor": -0.06}
# The touchpoint last used matters too: a queue at the counter sours the whole relationship.
TOUCHPOINT_TILT = {
    "pickup-counter": -0.06,
    "returns-portal": -0.04,
    "ready-for-pickup-sms": -0.03,
    "store-floor-advice": 0.04,
    "tent-pitching-area": 0.05,
}
HEADER = ["date", "score", "persona", "journey", "touchpoint", "channel"]
CHANNEL_OF = {
    "pickup-counter": "store",
    "ready-for-pickup-sms": "sms",
    "app-checkout": "mobile-app",
    "returns-portal": "web",
    "returns-desk": "store",
    "customer-care-phone": "phone",
    "carrier-pickup": "partner",
    "store-floor-advice": "store",
    "tent-pitching-area": "store",
    "store-checkout": "store",
}


def _days(rng: random.Random, year: int, month: int, n: int) -> list[dt.date]:
    last = calendar.monthrange(year, month)[1]
    return sorted(dt.date(year, month, rng.randint(1, last)) for _ in range(n))


def _persona(rng: random.Random) -> str:
    return rng.choices(list(PERSONAS), weights=list(PERSONAS.values()))[0]


def _ranked(rng: random.Random, tilts: list[float]) -> list[int]:
    """Respondent indexes from warmest to coolest: random, nudged by each one's tilt."""
    keys = [rng.random() + tilt for tilt in tilts]
    return sorted(range(len(tilts)), key=lambda i: -keys[i])


def _rows_nps(rng: random.Random) -> list[list[str]]:
    # Exact monthly quotas of promoters and detractors keep the trend as designed; the
    # persona tilt decides who gets which score.
    rows = []
    for (year, month), (promoters, detractors) in zip(MONTHS, NPS_MIX, strict=True):
        n = rng.randint(72, 88)
        people = [_persona(rng) for _ in range(n)]
        journeys = [rng.choice(JOURNEY_OF[person]) for person in people]
        touchpoints = [rng.choice(LAST_TOUCHPOINT[journey]) for journey in journeys]
        tilts = [
            NPS_TILT.get(person, 0.0) + TOUCHPOINT_TILT.get(touchpoint, 0.0)
            for person, touchpoint in zip(people, touchpoints, strict=True)
        ]
        scores = [0] * n
        top, bottom = round(n * promoters), round(n * detractors)
        for rank, i in enumerate(_ranked(rng, tilts)):
            if rank < top:
                scores[i] = rng.choice([9, 10, 10])
            elif rank >= n - bottom:
                scores[i] = rng.choices(range(7), weights=[1, 1, 1, 2, 3, 5, 7])[0]
            else:
                scores[i] = rng.choice([7, 8, 8])
        days = _days(rng, year, month, n)
        for day, person, journey, touchpoint, score in zip(
            days, people, journeys, touchpoints, scores, strict=True
        ):
            rows.append([day, score, person, journey, touchpoint])
    return rows


def _rows_csat(rng: random.Random) -> list[list[str]]:
    rows = []
    tilt = {"maya-okafor": -0.12, "walt-gruber": 0.06}
    for (year, month), share in zip(MONTHS, CSAT_SHARE, strict=True):
        n = rng.randint(54, 66)
        people = [_persona(rng) for _ in range(n)]
        scores = [0] * n
        satisfied = round(n * share)
        tilts = [tilt.get(person, 0.0) for person in people]
        for rank, i in enumerate(_ranked(rng, tilts)):
            if rank < satisfied:
                scores[i] = rng.choice([4, 5, 5])
            else:
                scores[i] = rng.choices([1, 2, 3], weights=[1, 2, 4])[0]
        for day, person, score in zip(_days(rng, year, month, n), people, scores, strict=True):
            touchpoint = rng.choice(["pickup-counter", "pickup-counter", "ready-for-pickup-sms"])
            rows.append([day, score, person, "click-and-collect", touchpoint])
    return rows


def _rows_ces(rng: random.Random) -> list[list[str]]:
    rows = []
    for (year, month), mean in zip(MONTHS, CES_MEAN, strict=True):
        for day in _days(rng, year, month, rng.randint(44, 56)):
            persona = _persona(rng)
            touchpoint = rng.choice(["returns-portal", "returns-desk", "carrier-pickup"])
            shift = -0.6 if touchpoint == "carrier-pickup" else 0.2
            score = round(rng.gauss(mean + shift, 1.3))
            rows.append([day, min(7, max(1, score)), persona, "return-or-exchange", touchpoint])
    return rows


# Returns portal CSAT, May to October: flat around two thirds until the QR-code drop-off
# launched on 1 October lifts it by about 14 points, a change the site tests as significant.
PORTAL_CSAT = [(5, 118, 0.66), (6, 126, 0.64), (7, 131, 0.67), (8, 124, 0.65)]
PORTAL_CSAT += [(9, 137, 0.68), (10, 142, 0.82)]


def _rows_portal_csat(rng: random.Random) -> list[list[str]]:
    rows = []
    for month, n, share in PORTAL_CSAT:
        satisfied = round(n * share)
        scores = [rng.choice([4, 5, 5]) for _ in range(satisfied)]
        scores += [rng.choice([1, 2, 3, 3]) for _ in range(n - satisfied)]
        rng.shuffle(scores)
        for day, score in zip(_days(rng, 2026, month, n), scores, strict=True):
            persona = rng.choice(["maya-okafor", "dan-whitfield", "priya-raman"])
            rows.append([day, score, persona, "return-or-exchange", "returns-portal"])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """Write rows (date, score, persona, journey, touchpoint) with a channel column."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for day, score, persona, journey, touchpoint in rows:
            channel = CHANNEL_OF[touchpoint]
            writer.writerow([day.isoformat(), score, persona, journey, touchpoint, channel])


# --- the store visit NPS: a Qualtrics export as Qualtrics writes it ------------------------

QUALTRICS_STORES = [
    ("Boise Downtown", "Mountain West"),
    ("Bend", "Pacific Northwest"),
    ("Missoula", "Mountain West"),
    ("Portland Pearl", "Pacific Northwest"),
    ("Spokane", "Pacific Northwest"),
    ("Salt Lake City", "Mountain West"),
]
QUALTRICS_PERSONAS = [
    "Weekend warrior", "Family camper", "Trail beginner", "Retired hiker", "Prefer not to say",
]  # fmt: skip
QUALTRICS_GOOD = [
    "The boot fitting was excellent, {name} took real time with me.",
    "Friendly staff and they had my size in stock.",
    "Quick checkout, no queue at all.",
    "Great advice on tents for the kids.",
    "Loved the tent pitching area, we tried three tents.",
    "Staff knew the trails and gave great advice.",
]
QUALTRICS_MIXED = [
    "Good advice but the queue at the till was long.",
    "Nice store, but the jacket I wanted was out of stock.",
    "Helpful staff, though I had to wait 20 minutes for a fitting.",
    "Prices are higher than online.",
    "The stock checker said in stock but it was not on the shelf.",
]
QUALTRICS_BAD = [
    "Waited in line for 25 minutes to pay. Only one till open.",
    "Out of stock again, third time this month.",
    "Nobody on the floor to ask, I gave up and left.",
    "Please call me back on (208) 555-0143 about the faulty stove, nobody answers the phone.",
    "Your staff promised a refund by email to jordan.miles@example.com but nothing came.",
    "Long wait at the boot fitting bench, no way to book a slot.",
    "Not in stock, and the app said it was.",
    "Still waiting for my refund for the returned tent.",
    "Called twice on 0800 555 0199 and nobody answers, very poor.",
    "Queue for the fitting bench was 30 minutes long, gave up.",
]
QUALTRICS_HEADER = [
    ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished",
     "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage", "Q1", "Q2_TEXT",
     "Q3", "Store", "Region"],
    ["Start Date", "End Date", "Response Type", "Progress", "Duration (in seconds)",
     "Finished", "Recorded Date", "Response ID", "Distribution Channel", "User Language",
     "Based on today's visit, how likely are you to recommend Ridgeline Outfitters to a "
     "friend or colleague?",
     "What is the main reason for your score?", "Which of these describes you best?",
     "Store", "Region"],
    ['{"ImportId":"startDate","timeZone":"America/Denver"}',
     '{"ImportId":"endDate","timeZone":"America/Denver"}', '{"ImportId":"status"}',
     '{"ImportId":"progress"}', '{"ImportId":"duration"}', '{"ImportId":"finished"}',
     '{"ImportId":"recordedDate","timeZone":"America/Denver"}', '{"ImportId":"_recordId"}',
     '{"ImportId":"distributionChannel"}', '{"ImportId":"userLanguage"}',
     '{"ImportId":"QID1"}', '{"ImportId":"QID2_TEXT"}', '{"ImportId":"QID3"}',
     '{"ImportId":"Store"}', '{"ImportId":"Region"}'],
]  # fmt: skip


def write_qualtrics(path: Path, rng: random.Random) -> int:
    """A transactional NPS export after store visits, July-October 2026, in the shape of
    Qualtrics' CSV: three header rows, label scores, unfinished answers, comments."""
    moment = dt.datetime(2026, 7, 1, 9, 0, 0)
    end = dt.datetime(2026, 10, 31, 18, 0, 0)
    names = ["Sam", "Ruth", "Ana", "Kenji"]
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows(QUALTRICS_HEADER)
        while True:
            moment += dt.timedelta(minutes=rng.randint(60, 700), seconds=rng.randint(0, 59))
            if moment > end:
                break
            if not 9 <= moment.hour <= 20:
                continue
            count += 1
            draw = rng.random() * 10 + (moment.month - 7) * 0.35 + 1.2
            score = (
                10 if draw > 8.3 else 9 if draw > 6.3 else 8 if draw > 5.0 else 7
                if draw > 3.8 else rng.choice([2, 4, 5, 6, 6])
            )  # fmt: skip
            store, region = rng.choice(QUALTRICS_STORES)
            persona = rng.choice(QUALTRICS_PERSONAS)
            finished = rng.random() > 0.06
            comment = ""
            if rng.random() < 0.45:
                pool = (
                    QUALTRICS_GOOD if score >= 9 else QUALTRICS_MIXED if score >= 7
                    else QUALTRICS_BAD
                )  # fmt: skip
                comment = rng.choice(pool).format(name=rng.choice(names))
            label = {10: "10 - Extremely likely", 0: "0 - Not at all likely"}.get(score, str(score))
            if finished and rng.random() < 0.03:
                label = ""
            duration = rng.randint(40, 400)
            stamp = moment.strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow([
                (moment - dt.timedelta(seconds=duration)).strftime("%Y-%m-%d %H:%M:%S"), stamp,
                "IP Address", "100" if finished else str(rng.randint(10, 80)), str(duration),
                "True" if finished else "False", stamp, f"R_{rng.getrandbits(60):015x}",
                "email", "EN", label if finished else "", comment if finished else "",
                persona if finished else "", store, region,
            ])  # fmt: skip
    return count


def main(content: Path) -> None:
    """Write the four response CSVs of the example project into CONTENT/data/."""
    for name, make, seed in (
        ("nps-responses.csv", _rows_nps, 11),
        ("pickup-csat-responses.csv", _rows_csat, 22),
        ("returns-ces-responses.csv", _rows_ces, 33),
        ("returns-portal-csat-responses.csv", _rows_portal_csat, 44),
    ):
        rows = make(random.Random(seed))
        write_csv(content / "data" / name, rows)
        print(f"{content / 'data' / name}: {len(rows)} responses")
    path = content / "data" / "store-visit-qualtrics.csv"
    print(f"{path}: {write_qualtrics(path, random.Random(44))} responses")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "content")
