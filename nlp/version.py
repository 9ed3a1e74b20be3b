"""The one place Saring's version is written.

pyproject.toml reads it (setuptools dynamic version), the server reports it, and
scripts/package_extension.py copies it into extension/manifest.json when packaging.
"""

__version__ = "0.1.0"
