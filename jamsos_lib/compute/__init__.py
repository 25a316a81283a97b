"""Analytics over the processed data set: coverage, gap to target, bantuan iuran cost,
participant-list reconciliation. Pure functions of DataFrames; no file I/O."""
