"""Print the dependencies declared in pyproject.toml, one per line, for `pip install -r`.

The Makefile installs them with `-c constraints.txt`, so the versions are the locked ones.
Usage: python infra/print_requirements.py [extra ...]
"""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())[
    "project"
]
lines = list(project["dependencies"])
for extra in sys.argv[1:]:
    lines += project["optional-dependencies"][extra]
sys.stdout.write("\n".join(lines) + "\n")
