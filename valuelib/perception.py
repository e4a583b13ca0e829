"""Value perception at every contact: ticket satisfaction per service and quarter, the
services whose perception is falling, and what users ask for (the Needs sheet) ranked.

Every ticket a user rates is a small survey of the service it was for. Ratings arrive as
ingest reads them: ``satisfaction`` as written (a 1–5 score or a percent, decided per column)
and ``satisfaction_pct`` on a 0–100 scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import support
from .frames import pct, ratio, shift_quarters, table
from .model import Dataset

LOW_SCORE = 2.0  # a 1–5 score of 2 or less is a low score ...
LOW_PERCENT = 40.0  # ... and so is a percent of 40 or less
FALL_POINTS = 5.0  # perception falls when the mean drops by this many points or more,
MIN_RESPONSES = 10  # with at least this many responses in each of the two quarters,
FALL_CONFIDENCE = 2.0  # and the drop is more than this many standard errors (not noise)
LOOKBACK = 2  # against the previous quarter, or the one before it (a slower slide)
MISSING_IMPORTANCE = 3.0  # a need without an importance counts as the middle of 1–5

SATISFACTION_COLUMNS = ["service", "quarter", "responses", "satisfaction_pct", "low_share_pct",
                        "previous_pct", "change_points"]
FALLING_COLUMNS = ["service", "quarter", "satisfaction_pct", "previous_quarter", "previous_pct",
                   "change_points", "responses", "previous_responses"]
NEEDS_COLUMNS = ["need", "service", "business_unit", "quarter", "votes", "importance",
                 "importance_given", "score", "first_quarter", "new_this_quarter", "rank"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="str" if c in (
        "service", "quarter", "previous_quarter", "need", "business_unit", "first_quarter")
        else "float64") for c in columns})


def _low(raw: np.ndarray, scaled: np.ndarray) -> np.ndarray:
    """A low rating: a 1–5 score of 2 or less, or a percent of 40 or less. A row is a score
    where ingest scaled it (``satisfaction_pct`` differs from the number as written);
    otherwise the percent is read as it is."""
    with np.errstate(invalid="ignore"):
        # a percent column's scaled value is its number as written, exactly
        score = ~np.isnan(raw) & (raw != scaled)
        return np.where(score, raw <= LOW_SCORE, scaled <= LOW_PERCENT) & ~np.isnan(scaled)


def is_low(support: pd.DataFrame) -> pd.Series:
    """Per support row: a low rating (see :func:`_low`)."""
    return pd.Series(_low(support["satisfaction"].to_numpy(dtype=float, na_value=np.nan),
                          support["satisfaction_pct"].to_numpy(dtype=float, na_value=np.nan)),
                     index=support.index)


def _by_service_quarter(dataset: Dataset) -> pd.DataFrame:
    """Rated tickets per service and quarter: responses, the sum and sum of squares of the
    0–100 ratings, and the low ratings. Counted with the quarter and service codes support
    keeps per column (a million rated tickets: one pass of bincounts, no group-by)."""
    s = table(dataset, "support")
    columns = ["service", "quarter", "responses", "total", "squares", "low"]
    if s.empty:
        return pd.DataFrame({c: pd.Series([], dtype="str" if c in ("service", "quarter")
                                          else "float64") for c in columns})
    q_codes, quarters = support.quarter_codes(s)
    s_codes, services = support.service_codes(s)
    scaled = s["satisfaction_pct"].to_numpy(dtype=float, na_value=np.nan)
    rows = np.flatnonzero(~np.isnan(scaled) & (q_codes >= 0) & (s_codes >= 0))
    raw = s["satisfaction"].to_numpy(dtype=float, na_value=np.nan)[rows]
    sat = scaled[rows]
    nq = len(quarters)
    key = s_codes[rows].astype(np.int64) * nq + q_codes[rows]
    size = len(services) * nq
    responses = np.bincount(key, minlength=size).astype(float)
    kept = np.flatnonzero(responses)
    return pd.DataFrame({
        "service": pd.array(np.asarray(services, dtype=object)[kept // nq].astype(str),
                            dtype="str"),
        "quarter": pd.array(np.asarray(quarters, dtype=object)[kept % nq].astype(str),
                            dtype="str"),
        "responses": responses[kept],
        "total": np.bincount(key, weights=sat, minlength=size)[kept],
        "squares": np.bincount(key, weights=sat * sat, minlength=size)[kept],
        "low": np.bincount(key, weights=_low(raw, sat).astype(float), minlength=size)[kept],
    })


def _with_previous(g: pd.DataFrame, lag: int) -> pd.DataFrame:
    """``g`` with the same service's row ``lag`` quarters earlier beside it (``prev_*``)."""
    before = g.assign(quarter=shift_quarters(g["quarter"], lag)).add_prefix("prev_")
    return g.merge(before.rename(columns={"prev_service": "service", "prev_quarter": "quarter"}),
                   on=["service", "quarter"], how="left").assign(
        previous_quarter=shift_quarters(g["quarter"], -lag).to_numpy())


def contact_satisfaction(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Ticket satisfaction per service and quarter (every quarter, or only ``quarter``).

    Columns: service, quarter, responses (rated tickets), satisfaction_pct (their mean rating,
    0–100), low_share_pct (share of ratings that are low: ≤ 2 of 5 or ≤ 40 %), previous_pct
    (the service's mean the quarter before, NaN without one) and change_points (the change
    since, in percentage points). Tickets without a service are not counted here (the service
    desk's satisfaction counts every rated ticket)."""
    g = _with_previous(_by_service_quarter(dataset), 1)
    if g.empty:
        return _empty(SATISFACTION_COLUMNS)
    mean = ratio(g["total"], g["responses"])
    previous = ratio(g["prev_total"], g["prev_responses"])
    out = pd.DataFrame({
        "service": g["service"], "quarter": g["quarter"],
        "responses": g["responses"].astype("int64"),
        "satisfaction_pct": mean, "low_share_pct": pct(g["low"], g["responses"]),
        "previous_pct": previous, "change_points": mean - previous,
    })
    if quarter is not None:
        out = out[out["quarter"] == quarter]
    return out.sort_values(["quarter", "service"], ignore_index=True)


def latest_rated_quarter(dataset: Dataset, up_to: str | None = None) -> str | None:
    """The latest quarter (up to ``up_to``) with a rated ticket of a service."""
    g = _by_service_quarter(dataset)
    quarters = g["quarter"] if up_to is None else g.loc[g["quarter"] <= up_to, "quarter"]
    return None if quarters.empty else str(quarters.max())


def falling_perception(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """The services whose perception is falling in ``quarter`` (default: the latest quarter
    with rated tickets), the largest fall first.

    A service is falling when its mean ticket rating is at least :data:`FALL_POINTS` points
    below the previous quarter's, or the one before it (a slower slide), with at least
    :data:`MIN_RESPONSES` responses in both quarters, and the fall is more than
    :data:`FALL_CONFIDENCE` standard errors of the difference (so a handful of unhappy tickets
    in a small quarter is not called a trend). Where both earlier quarters qualify, the larger
    fall is shown.

    Columns: service, quarter, satisfaction_pct, previous_quarter, previous_pct, change_points
    (negative), responses, previous_responses."""
    g = _by_service_quarter(dataset)
    quarter = quarter or (None if g.empty else str(g["quarter"].max()))
    if quarter is None or g.empty:
        return _empty(FALLING_COLUMNS)
    found = []
    for lag in range(1, LOOKBACK + 1):
        m = _with_previous(g, lag)
        m = m[(m["quarter"] == quarter) & (m["responses"] >= MIN_RESPONSES)
              & (m["prev_responses"] >= MIN_RESPONSES)]
        n, n0 = m["responses"], m["prev_responses"]
        mean, mean0 = m["total"] / n, m["prev_total"] / n0
        # sample variances of the ratings in each quarter (n − 1 in the denominator)
        var = ((m["squares"] - n * mean**2) / (n - 1)).clip(lower=0)
        var0 = ((m["prev_squares"] - n0 * mean0**2) / (n0 - 1)).clip(lower=0)
        error = np.sqrt(var / n + var0 / n0)
        change = mean - mean0
        hit = (change <= -FALL_POINTS) & (-change > FALL_CONFIDENCE * error)
        found.append(pd.DataFrame({
            "service": m["service"], "quarter": m["quarter"], "satisfaction_pct": mean,
            "previous_quarter": m["previous_quarter"], "previous_pct": mean0,
            "change_points": change, "responses": n.astype("int64"),
            "previous_responses": n0.astype("int64"),
        })[hit.to_numpy(dtype=bool)])
    out = pd.concat(found, ignore_index=True)
    if out.empty:
        return _empty(FALLING_COLUMNS)
    out = out.sort_values(["change_points", "previous_quarter"], ascending=[True, False])
    return out.drop_duplicates("service").reset_index(drop=True)[FALLING_COLUMNS]


def _need_key(need: pd.Series) -> pd.Series:
    """One need however it is spaced or capitalised."""
    return need.astype("str").str.split().str.join(" ").str.casefold()


def latest_needs_quarter(dataset: Dataset, up_to: str | None = None) -> str | None:
    """The latest quarter (up to ``up_to``) with a row in the Needs sheet."""
    q = table(dataset, "needs")["quarter"].dropna()
    if up_to is not None:
        q = q[q <= up_to]
    return None if q.empty else str(q.max())


def ranked_needs(dataset: Dataset, quarter: str | None = None,
                 business_unit: str | None = None) -> pd.DataFrame:
    """What users asked for in ``quarter`` (default: the latest quarter with needs), one row
    per need × service × business unit, the highest score first.

    - votes: how many asked (rows for the same need, service and unit are added up; the
      same need is the same words, whatever the spacing or capitals);
    - importance: the votes-weighted mean of the importances given (1–5), NaN when none was;
      importance_given says whether any was;
    - score = votes × importance, where a missing importance counts as
      :data:`MISSING_IMPORTANCE` (the middle of the 1–5 scale: neither pushed up nor down);
    - first_quarter: the first quarter anyone raised the need for that service (any unit);
      new_this_quarter: first raised in ``quarter``;
    - rank: 1 for the highest score (ties share a rank).

    ``business_unit`` keeps that unit's needs only."""
    n = table(dataset, "needs")
    n = n[n["need"].notna() & n["quarter"].notna()]
    if n.empty:
        return _empty(NEEDS_COLUMNS)
    n = n.assign(key=_need_key(n["need"]), service=n["service"].astype("str"),
                 business_unit=n["business_unit"].astype("str"))
    # the service filled in so that a need without one still groups (NaN keys are dropped)
    n = n.assign(service_key=n["service"].fillna(""), unit_key=n["business_unit"].fillna(""))
    first = n.groupby(["key", "service_key"], as_index=False)["quarter"].min().rename(
        columns={"quarter": "first_quarter"})
    # a need is shown as it was first written (spaces tidied)
    spelling = n.sort_values("quarter", kind="stable").drop_duplicates("key")[["key", "need"]]
    spelling["need"] = spelling["need"].str.split().str.join(" ")
    quarter = quarter or str(n["quarter"].max())
    n = n[n["quarter"] == quarter]
    if business_unit is not None:
        n = n[n["business_unit"].eq(business_unit).to_numpy(dtype=bool, na_value=False)]
    if n.empty:
        return _empty(NEEDS_COLUMNS)
    votes = n["votes"].astype("float64").fillna(1.0)
    importance = n["importance"].astype("float64")
    parts = pd.DataFrame({
        "key": n["key"], "service_key": n["service_key"], "unit_key": n["unit_key"],
        "votes": votes, "given_votes": votes.where(importance.notna(), 0.0),
        "weighted": (importance * votes).fillna(0.0),
        "scored": votes * importance.fillna(MISSING_IMPORTANCE),
    })
    g = parts.groupby(["key", "service_key", "unit_key"], as_index=False, sort=False).sum()
    shown = n.drop_duplicates(["key", "service_key", "unit_key"])[
        ["key", "service_key", "unit_key", "service", "business_unit"]]
    g = g.merge(shown, on=["key", "service_key", "unit_key"]).merge(
        first, on=["key", "service_key"], how="left").merge(spelling, on="key", how="left")
    out = pd.DataFrame({
        "need": g["need"], "service": g["service"], "business_unit": g["business_unit"],
        "quarter": quarter, "votes": g["votes"],
        "importance": ratio(g["weighted"], g["given_votes"]),
        "importance_given": g["given_votes"] > 0, "score": g["scored"],
        "first_quarter": g["first_quarter"].astype("str"),
        "new_this_quarter": g["first_quarter"].eq(quarter).to_numpy(dtype=bool),
    })
    out = out.sort_values(["score", "votes", "need"], ascending=[False, False, True],
                          ignore_index=True)
    out["rank"] = out["score"].rank(method="min", ascending=False).astype("int64")
    return out[NEEDS_COLUMNS]
