"""Settings modules: ``base`` plus one module per environment.

``development`` (default for manage.py), ``test`` (pytest) and ``production``.
"""
