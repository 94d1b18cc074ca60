"""The plan file format: structuring untrusted TOML/JSON into a Bundle, and back.

Reading has three steps, one module each, and the flow goes one way
(:mod:`regimen._io`, the public face, imports from here; nothing here
imports it back):

* :mod:`._text` parses the text (size and nesting capped, duplicate JSON
  keys rejected) and reads files;
* :mod:`._structure` turns the parsed tree into the plain "document"
  classes of :mod:`._docs` that mirror the file, reading quantities, dates,
  times, durations and zone names and rejecting unknown keys (a small
  reader of its own: no converter to build on first use, so the first
  ``load()`` of a process is quick);
* :mod:`._build` turns documents into domain objects, resolving names.

:mod:`._load` runs the three; every problem of a step is collected with
its path, and any problem ends in one :class:`~regimen.LoadError` listing
them all. :mod:`._write` goes the other way.

This package's ``__init__`` imports nothing, so that reading
:data:`._text.MAX_BYTES` stays cheap.
"""
