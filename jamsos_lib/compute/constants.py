"""Light constants of the compute layer: no pandas, pandera or numpy here.

The ``jamsos`` argument parser needs these (``--denominator`` and ``--national-series``
choices) and must build without importing the analytics stack, so they live here and are
re-exported by the modules that own them (:mod:`jamsos_lib.compute.coverage`,
:mod:`jamsos_lib.compute.targets`, :mod:`jamsos_lib.compute.subsidy`,
:mod:`jamsos_lib.compute.reconcile`); import them from either place.
"""

from __future__ import annotations

#: Coverage denominators: eligible workers (excl. PNS/TNI/Polri, as UCJ publishes) or BPS employed.
DENOMINATORS = ("eligible", "bps")
#: National target series, in the order of the fallback chain.
NATIONAL_SERIES = ("RPJMN", "KEMENDAGRI_UCJ", "RKP", "RPJPN")
#: Declared monthly income of a BPU worker for the official package (Rp).
DEFAULT_INCOME_RP = 1_000_000
#: Months a bantuan iuran list covers when it has no such column.
DEFAULT_MONTHS = 12
#: DuckDB memory limit: 10 million rows fit with room to spare; beyond it DuckDB spills to
#: the private temporary folder of ``compute.reconcile.connect`` instead of failing.
DEFAULT_MEMORY_LIMIT = "2GB"
