"""Project configuration: settings, URL maps, WSGI/ASGI and infrastructure wiring.

This package lives in ``platform/config`` and is imported as ``config``; ``platform/``
itself has no ``__init__.py`` so that it never shadows the standard library's
``platform`` module.
"""
