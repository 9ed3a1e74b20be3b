"""The store listing's images are made from the real extension (scripts/store_images.py): this
test makes them into the untracked tests/browser/.out/store/ and checks what the stores and a
reader need: the stores' sizes, real content, the extension's own marks in the pictures.
Refreshing the committed images in extension/store/images/ is the script's job, on purpose."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import browser_harness as H  # noqa: F401  (puts the harness on the path for store_images)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

import png_read  # noqa: E402
import store_images  # noqa: E402

OUT = ROOT / "tests" / "browser" / ".out" / "store"
HIGH_RED = (0xD3, 0x2F, 0x2F)      # the `high` severity colour of the badge and underline


def _near(colours, target, tol=24):
    return any(all(abs(c[i] - target[i]) <= tol for i in range(3)) for c in colours)


def test_store_images_from_the_real_extension(pw, server):
    shutil.rmtree(OUT, ignore_errors=True)
    made = store_images.make_images(OUT, ("id", "en"), playwright=pw, server=server)
    data = store_images.listing()
    expected = {f"screenshot-{lang}-{i}-{s['view']}.png" for lang in ("id", "en")
                for i, s in enumerate(data[lang]["screenshots"], 1)} | set(store_images.TILES)
    assert set(made) == expected
    for name, path in made.items():
        assert path.parent == OUT and path.exists()
        want = store_images.TILES.get(name, (1280, 800))
        assert png_read.size(path) == want, name
    brand = tuple(int(store_images.BRAND[i:i + 2], 16) for i in (1, 3, 5))
    for lang in ("id", "en"):
        card = png_read.colours(OUT / f"screenshot-{lang}-1-card.png")
        assert len(card) > 200, "the card screenshot looks empty"
        assert _near(card, HIGH_RED), "no `high` finding drawn in the card screenshot"
        for view in ("guard", "popup", "options", "privacy"):
            # a blank or one-colour 1280x800 picture compresses to a few KB
            path = next(OUT.glob(f"screenshot-{lang}-*-{view}.png"))
            assert path.stat().st_size > 60_000, f"{path.name} looks empty"
    for tile in ("promo-small-440x280.png", "promo-marquee-1400x560.png", "edge-logo-300x300.png"):
        assert _near(png_read.colours(OUT / tile, step=2), brand, tol=6), f"{tile} lacks the brand colour"
    # nothing was written into the tracked kit or the docs
    assert not any(p.is_relative_to(ROOT / "extension") for p in made.values())
