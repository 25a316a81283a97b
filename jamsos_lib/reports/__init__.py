"""Parameterised notebooks to HTML: parameter checks, the runner and the monthly batch."""
