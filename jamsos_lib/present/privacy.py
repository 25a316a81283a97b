"""Small-cell suppression for every published table of person counts, checked against the
linear relations a reader can use.

Rule (``papermill-nbconvert-notes.md`` C3, following the CMS/Duke 1–9 practice):

* **primary suppression**: a count of 1–9 is shown as ``"<10"``; 0 is shown;
* **secondary suppression over the whole published system**: the tables a command
  publishes together, with every linear relation a reader can write down between their
  cells (row identities such as ``reported = registered_and_domiciled + moved_out +
  duplicates + invalid_nik``, column totals, the flow matrix summing to the coverage
  columns, summary totals), are one system of equations ``A·x = 0``. A hidden cell is
  *disclosed* when the system, with every shown cell put in, fixes its value. Further
  cells (marked ``"s"``) are hidden until no hidden cell is fixed;
* a percentage or an amount computed from a hidden count is hidden (``None``).

How disclosure is decided
-------------------------
With ``H`` the hidden cells and ``A_H`` the columns of ``A`` for them, the shown cells give
``A_H·x_H = b``; the solutions are one solution plus the null space of ``A_H``. Cell ``j``
is fixed iff every null-space vector has a zero in ``j``, i.e. iff the unit vector ``e_j``
lies in the row space of ``A_H`` (:func:`fixed_cells`: an SVD of ``A_H``). This is the
audit of exact disclosure in tabular data by linear algebra (Cox 1980, "Suppression
methodology and statistical disclosure control", JASA 75(370):377–385; Hundepool et al.
2012, *Statistical Disclosure Control*, Wiley, §4.3, and the τ-ARGUS manual's "audit";
Fischetti & Salazar-González 2001, "Solving the cell suppression problem in tabular data
with linear constraints", Management Science 47(7):1008–1027, for the general linear
constraints used here).

Choosing the complementary cells (:func:`protect`) is a greedy heuristic, not the optimal
integer program of Fischetti & Salazar: for each fixed cell ``j`` it hides the cheapest
shown cell ``k`` that frees ``j`` — ``k`` frees ``j`` iff ``A_H·w = a_k`` has a solution with
``w_j ≠ 0`` (then ``(-w, 1)`` is a null-space vector moving ``j``); hiding never fixes a cell
that was free, so the loop ends. Cost: small non-zero counts first, zeros and totals last.

Limits, stated as they are: the guarantee is that no hidden cell is *determined*; a
reader who also uses non-negativity and the ``<10`` marks can still bound a hidden cell to
an interval (interval disclosure, which needs linear programming, is not checked).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

THRESHOLD = 10
PRIMARY = "<10"
SECONDARY = "s"
RULE = (
    "Counts of 1-9 persons are shown as '<10'; cells marked 's' are hidden as well, chosen over the whole "
    "published tables (rows, columns, totals and the identities between them) so that no hidden count can be "
    "worked out from the shown ones (secondary suppression); percentages and amounts computed from a hidden "
    "count are left blank."
)
#: numerical tolerance of the rank decisions (the coefficients are small integers)
_TOL = 1e-8


@dataclass
class Constraints:
    """A system of published cells and the linear relations between them (each relation
    ``Σ coef·cell = 0``).

    ``known`` cells are known to every reader (file row counts the command prints): never
    hidden. ``free`` cells are quantities in the relations that are never published (the
    rows whose kab/kota could not be resolved, split by kind): always unknown.
    """

    names: list[Hashable] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    equations: list[dict[int, float]] = field(default_factory=list)
    known: set[int] = field(default_factory=set)
    free: set[int] = field(default_factory=set)
    small: set[int] = field(default_factory=set)
    _index: dict[Hashable, int] = field(default_factory=dict)

    def cell(
        self,
        name: Hashable,
        value,
        *,
        weight: float = 1.0,
        known: bool = False,
        free: bool = False,
        primary: bool = True,
    ) -> int:
        """Add a cell (once per name) and return its index. ``primary``: a count of 1–9 is
        hidden; ``weight`` multiplies the cost of hiding it as a complement."""
        if name in self._index:
            return self._index[name]
        idx = len(self.names)
        self._index[name] = idx
        self.names.append(name)
        self.values.append(int(value))
        self.weights.append(float(weight))
        if known:
            self.known.add(idx)
        if free:
            self.free.add(idx)
        if primary and not known and not free and 0 < int(value) < THRESHOLD:
            self.small.add(idx)
        return idx

    def make_known(self, name: Hashable) -> None:
        """Mark a cell as known to every reader (it is never hidden)."""
        i = self._index[name]
        self.known.add(i)
        self.small.discard(i)

    def index(self, name: Hashable) -> int:
        return self._index[name]

    def __contains__(self, name: Hashable) -> bool:
        return name in self._index

    def equation(self, terms: Mapping[Hashable, float] | Iterable[tuple[Hashable, float]], check: bool = True) -> None:
        """Add ``Σ coef·cell = 0`` (cells by name). Checks that the values satisfy it, unless
        ``check`` is false: a relation a reader might *assume* (protecting against it too
        is conservative: more relations can only fix more cells)."""
        items = terms.items() if isinstance(terms, Mapping) else terms
        eq: dict[int, float] = {}
        for name, coef in items:
            i = self._index[name]
            eq[i] = eq.get(i, 0.0) + float(coef)
        eq = {i: c for i, c in eq.items() if c != 0}
        if not eq:
            return
        total = sum(c * self.values[i] for i, c in eq.items())
        if check and abs(total) > 1e-6:
            shown = {self.names[i]: c for i, c in eq.items()}
            raise ValueError(f"the published relation {shown} does not hold for the values")
        self.equations.append(eq)

    def sum_equation(self, parts: Iterable[Hashable], total: Hashable, check: bool = True) -> None:
        """``Σ parts = total``."""
        terms = [(p, 1.0) for p in parts] + [(total, -1.0)]
        self.equation(terms, check)

    def matrix(self) -> np.ndarray:
        a = np.zeros((len(self.equations), len(self.names)))
        for r, eq in enumerate(self.equations):
            for i, c in eq.items():
                a[r, i] = c
        return a


def _row_space(a_h: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(orthonormal basis V of the row space of ``a_h`` as columns, pseudo-inverse)."""
    if a_h.size == 0:
        return np.zeros((a_h.shape[1], 0)), None
    u, s, vt = np.linalg.svd(a_h, full_matrices=False)
    rank = int((s > _TOL * max(1.0, s[0] if len(s) else 1.0)).sum())
    v = vt[:rank].T
    pinv = (vt[:rank].T / s[:rank]) @ u[:, :rank].T
    return v, pinv


def fixed_cells(a: np.ndarray, hidden: Sequence[int]) -> list[int]:
    """The cells of ``hidden`` whose value the relations ``a·x = 0`` fix once every other
    cell is known: ``e_j`` in the row space of ``a[:, hidden]``."""
    hidden = list(hidden)
    if not hidden or a.size == 0:
        return []
    a_h = a[:, hidden]
    a_h = a_h[np.abs(a_h).sum(axis=1) > 0]
    v, _ = _row_space(a_h)
    if v.shape[1] == 0:
        return []
    norms = (v**2).sum(axis=1)
    return [j for j, n in zip(hidden, norms) if n > 1 - 1e-6]


def _cost(system: Constraints, k: int) -> tuple:
    value = system.values[k]
    return (value == 0, system.weights[k] * value, k)


def protect(system: Constraints) -> tuple[dict[int, str], list[int]]:
    """Primary and secondary suppression of ``system`` (see the module docstring).

    Returns (hidden cell index -> ``"<10"`` or ``"s"``, cells that stay determined because
    only known cells surround them: empty unless the whole input is tiny). The matrices are
    small: BLAS runs on one thread (many threads on a busy machine are slower, not faster)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        hidden, stuck = _protect(system)
    if stuck:
        import logging

        logging.getLogger(__name__).warning(
            "%d small count(s) stay derivable from the row counts of the input files (the lists are tiny)", len(stuck)
        )
    return hidden, stuck


def _protect(system: Constraints) -> tuple[dict[int, str], list[int]]:
    a = system.matrix()
    n = len(system.names)
    hidden: dict[int, str] = {i: PRIMARY for i in sorted(system.small)}
    unknown = set(hidden) | set(system.free)
    # cells that the known figures alone give away (a one-row table, a list of 3 rows):
    # hiding other cells cannot protect them, so none is hidden for them
    inherent = set(fixed_cells(a, [i for i in range(n) if i not in system.known])) if hidden else set()
    stuck: list[int] = sorted(inherent & set(hidden))
    involved = np.abs(a).sum(axis=0) > 0 if a.size else np.zeros(n, dtype=bool)
    while True:
        order = sorted(unknown)
        fixed = [j for j in fixed_cells(a, order) if j in hidden and j not in stuck]
        if not fixed:
            break
        a_h = a[:, order]
        candidates = [k for k in range(n) if k not in unknown and k not in system.known and involved[k]]
        unlock = np.zeros((len(order), len(candidates)), dtype=bool)
        w = np.zeros((len(order), len(candidates)))
        resid = np.zeros((a.shape[0], len(candidates)))
        if candidates:
            _, pinv = _row_space(a_h)
            a_k = a[:, candidates]
            if pinv is not None:
                w = pinv @ a_k
                resid = a_k - a_h @ w
                residual = np.abs(resid).max(axis=0) if a_k.size else np.zeros(len(candidates))
                unlock = (np.abs(w) > 1e-7) & (residual < 1e-6)[None, :]
            else:
                resid = a_k
        pos = {j: r for r, j in enumerate(order)}
        picks: list[int] = []
        col = {k: c for c, k in enumerate(candidates)}
        for j in fixed:
            row = unlock[pos[j]]
            if any(row[col[k]] for k in picks):
                continue
            options = [candidates[c] for c in np.flatnonzero(row)]
            if options:
                picks.append(min(options, key=lambda k: _cost(system, k)))
                continue
            pair = _pair(system, candidates, w[pos[j]], resid)
            if pair:
                picks.extend(pair)
                continue
            # neither one cell nor two free j: hide the cheapest cell near it and look again
            near = {i for eq in system.equations if j in eq for i in eq}
            near |= {i for eq in system.equations if near & set(eq) & unknown for i in eq}
            options = [k for k in candidates if k in near]
            if not options:
                stuck.append(j)
                continue
            picks.append(min(options, key=lambda k: _cost(system, k)))
        if not picks:
            break
        for k in picks:
            hidden[k] = SECONDARY
            unknown.add(k)
    return hidden, stuck


def _pair(system: Constraints, candidates: list[int], w_j: np.ndarray, resid: np.ndarray) -> list[int]:
    """The cheapest two shown cells that together free cell ``j``: their parts outside the
    column space of the hidden cells must be parallel (``r2 = λ·r1``), so that
    ``λ·a_k1 - a_k2`` is in it, and the solution must move ``j`` (``λ·w_j,k1 - w_j,k2 ≠ 0``)."""
    norms = np.linalg.norm(resid, axis=0)
    groups: dict[tuple, list[tuple[int, float]]] = {}
    for c in np.flatnonzero(norms > 1e-9):
        r = resid[:, c] / norms[c]
        lead = r[np.flatnonzero(np.abs(r) > 1e-9)[0]]
        key = tuple(np.round(r * np.sign(lead), 6))
        groups.setdefault(key, []).append((int(c), float(norms[c] * np.sign(lead))))
    best, best_cost = [], None
    for members in groups.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                (c1, n1), (c2, n2) = members[x], members[y]
                lam = n2 / n1  # r2 = lam * r1
                if abs(lam * w_j[c1] - w_j[c2]) <= 1e-7:
                    continue
                k1, k2 = candidates[c1], candidates[c2]
                cost = tuple(a + b for a, b in zip(_cost(system, k1)[:2], _cost(system, k2)[:2]))
                if best_cost is None or cost < best_cost:
                    best, best_cost = [k1, k2], cost
    return best


Cell = tuple[int, str]  # (row position, column name)


def table_cells(
    system: Constraints,
    name: str,
    frame: pd.DataFrame,
    columns: Sequence[str],
    weights: Mapping[int, float] | None = None,
) -> None:
    """Add every count of ``frame[columns]`` as cell ``(name, row position, column)``;
    ``weights`` by row position (a total row is costly to hide)."""
    frame = frame.reset_index(drop=True)
    weights = weights or {}
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce").fillna(0).astype("int64").tolist()
        for pos, v in enumerate(values):
            system.cell((name, pos, col), v, weight=weights.get(pos, 1.0))


def apply(
    frame: pd.DataFrame, columns: Sequence[str], system: Constraints, hidden: Mapping[int, str], name: str
) -> tuple[pd.DataFrame, dict[Cell, str]]:
    """The published frame of table ``name``: counts as text (``"1234"``, ``"<10"``, ``"s"``),
    and the hidden cells as ``{(row position, column): marker}``."""
    out = frame.reset_index(drop=True).copy()
    cells: dict[Cell, str] = {}
    for col in columns:
        texts = []
        for pos in range(len(out)):
            i = system.index((name, pos, col))
            marker = hidden.get(i)
            if marker:
                cells[(pos, col)] = marker
            texts.append(marker or str(system.values[i]))
        out[col] = pd.Series(texts, index=out.index, dtype=str) if len(out) else out[col].astype(str)
    return out, cells


def suppress(
    frame: pd.DataFrame, columns: Sequence[str], relations: Iterable[Sequence[tuple[Cell, float]]] = ()
) -> tuple[pd.DataFrame, dict[Cell, str]]:
    """One table on its own: hide small counts in ``columns`` and enough complements that
    none is determined by ``relations`` (each a list of ``((row position, column), coef)``
    with ``Σ coef·cell = 0``). Returns (published frame, hidden cells)."""
    system = Constraints()
    table_cells(system, "t", frame, columns)
    for rel in relations:
        system.equation([(("t", pos, col), coef) for (pos, col), coef in rel])
    hidden, _ = protect(system)
    return apply(frame, columns, system, hidden, "t")


def row_sums(n_rows: int, parts: Sequence[str], total: str) -> list[list[tuple[Cell, float]]]:
    """Relations ``Σ parts = total`` in every row."""
    return [[((r, c), 1.0) for c in parts] + [((r, total), -1.0)] for r in range(n_rows)]


def column_sums(n_rows: int, columns: Sequence[str]) -> list[list[tuple[Cell, float]]]:
    """Relations: the rows above the last one add up to the last one (a total row), per column."""
    return [[((r, c), 1.0) for r in range(n_rows - 1)] + [((n_rows - 1, c), -1.0)] for c in columns]


def published_count(value, threshold: int = THRESHOLD):
    """One published count: 1..threshold-1 becomes ``"<10"``; 0, large counts and None stay."""
    if value is None or isinstance(value, str):
        return value
    return f"<{threshold}" if 0 < int(value) < threshold else int(value)


def total_reveals_hidden(column: pd.Series) -> bool:
    """True when a published column has exactly one hidden cell, so its total minus the shown
    cells would give that cell back: such a total must not be published."""
    return int(column.astype(str).isin([SECONDARY, PRIMARY]).sum()) == 1


def hide_dependent(frame: pd.DataFrame, hidden: Mapping[Cell, str], depends: dict[str, Sequence[str]]) -> pd.DataFrame:
    """Blank derived columns (percentages, Rupiah) whose source count is hidden in the same row."""
    out = frame.copy()
    for target, sources in depends.items():
        rows = [r for r in range(len(out)) if any((r, s) in hidden for s in sources)]
        if rows:
            out[target] = out[target].astype(object)
            out.loc[rows, target] = None
    return out
