"""One module per ``jamsos`` sub-command; each exposes ``register(subparsers)``."""
