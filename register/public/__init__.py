"""The public transparency site (Insyn): no login, published records only, public fields only.

Nothing here imports from ``register.web``; every read goes through ``selectors.py``, which asks
``Access`` for an anonymous visitor's records and selects only the fields in ``fields.py``.
"""
