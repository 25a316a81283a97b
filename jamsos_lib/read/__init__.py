"""Readers for the real file layouts. Each returns a tidy table that matches a schema in
:mod:`jamsos_lib.validate.schemas`, or raises :class:`jamsos_lib.errors.InputError` with
every problem of the file."""
