"""Copy the user guides' screenshots into docs/guides/img/ (``make guide-images``).

tests/browser/test_guide_screens.py saves them as
test-output/screenshots/guide-<role>[-phone|-public]/NN-<name>.png; the guides link to
docs/guides/img/<role>-<name>.png, a name without the running number, so a screen added
in the middle of a walk does not rename the others. Only the pictures a guide (or the
README) shows are kept there, and any other picture in that folder is removed: the
repository holds what the documents use, nothing more. Pictures over 400 KB are named.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "test-output" / "screenshots"
TARGET = ROOT / "docs" / "guides" / "img"
LARGE_BYTES = 400 * 1024
NUMBERED = re.compile(r"^\d+-(?P<name>.+\.png)$")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs" / "guides").glob("*.md"))]
IMAGE_LINK = re.compile(r"\(\s*(?:docs/guides/)?img/(?P<name>[\w.-]+\.png)\s*\)")


def guide_image_name(journey: str, file_name: str) -> str | None:
    """``guide-complaints-public``, ``03-track-phone.png`` -> ``complaints-track-phone.png``."""
    match = NUMBERED.match(file_name)
    if not journey.startswith("guide-") or match is None:
        return None
    role = journey.removeprefix("guide-").split("-")[0]
    return f"{role}-{match['name']}"


def images_used() -> set[str]:
    """The picture names the guides and the README link to (``img/<name>.png``)."""
    return {
        match["name"]
        for document in DOCUMENTS
        for match in IMAGE_LINK.finditer(document.read_text(encoding="utf-8"))
    }


def main() -> int:
    used = images_used()
    copied: list[Path] = []
    for folder in sorted(SOURCE.glob("guide-*")):
        for picture in sorted(folder.glob("*.png")):
            name = guide_image_name(folder.name, picture.name)
            if name is None or name not in used:
                continue
            TARGET.mkdir(parents=True, exist_ok=True)
            target = TARGET / name
            shutil.copyfile(picture, target)
            copied.append(target)
    if not copied:
        sys.stdout.write(
            f"No guide screenshots under {SOURCE}: run tests/browser/test_guide_screens.py" + "\n"
        )
        return 1
    for stale in sorted(TARGET.glob("*.png")):
        if stale.name not in used:
            stale.unlink()
    missing = sorted(used - {path.name for path in copied})
    if missing:
        sys.stdout.write(f"Linked but not taken by the test: {', '.join(missing)}\n")
        return 1
    total = sum(path.stat().st_size for path in copied)
    sys.stdout.write(
        f"{len(copied)} pictures copied to {TARGET.relative_to(ROOT)} ({total // 1024} KB)" + "\n"
    )
    for path in copied:
        size = path.stat().st_size
        if size > LARGE_BYTES:
            sys.stdout.write(
                f"  large: {path.name} is {size // 1024} KB (over {LARGE_BYTES // 1024} KB)" + "\n"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
