"""jamsos_lib: BPJS Ketenagakerjaan coverage analytics for Indonesian regions.

The package is organised by stage, read -> validate -> compute -> present:

- ``jamsos_lib.read``: readers for the real file layouts (BPS, BPJS, reference tables).
- ``jamsos_lib.validate``: pandera schemas and cross-table checks at the boundary.
- ``jamsos_lib.compute``: coverage, gap to target, bantuan iuran cost, reconciliation.
- ``jamsos_lib.present``: Indonesian number formatting, charts, tables for reports.
- ``jamsos_lib.reports``: papermill/nbconvert runner and the monthly batch.

Cross-cutting: ``paths`` (where things live), ``errors`` (one clear line per problem),
``atomic`` (temp file then rename), ``regions`` (the region registry), ``store``
(the processed data set that every later stage reads).
"""

__version__ = "0.1.0"
