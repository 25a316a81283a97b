"""Validation at the boundary: pandera schemas for every tidy table, and cross-table checks."""
