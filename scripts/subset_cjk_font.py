"""Regenerates static/dashboard/fonts/NotoSansSC-*-gb2312.woff2, the font the report-card PDF is
typeset in, from Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk). GB 2312's 7,445
characters cover the report card's text; a rarer character in a union's name falls back to
whatever CJK font the machine has. Takes about five minutes (WOFF2 compression of CFF outlines).

    .venv/bin/python scripts/subset_cjk_font.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc"
TARGET = Path(__file__).resolve().parent.parent / "static/dashboard/fonts"


def gb2312() -> str:
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(chars))


def main() -> None:
    text = gb2312()
    for weight in ("Regular", "Bold"):
        collection = TTCollection(SOURCE.format(weight=weight))
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(TARGET / f"NotoSansSC-{weight}-gb2312.woff2")


if __name__ == "__main__":
    main()
