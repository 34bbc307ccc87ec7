"""The check-in poster staff print and put up at the session: the QR code (made with the `qrcode`
library) with the activity's title, time and place above it, as a PNG."""

import io
from functools import cache
from pathlib import Path

import qrcode
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from activities.models import Activity

# A CJK font if the machine has one (Debian: fonts-noto-cjk); otherwise Pillow's own font, and
# the poster still carries a scannable code.
FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
POSTER_WIDTH = 1240  # A4 at 150 dpi
POSTER_HEIGHT = 1754


@cache
def _font_path() -> str | None:
    return next((p for p in FONT_CANDIDATES if Path(p).exists()), None)


def _font(size: int) -> ImageFont.ImageFont:
    path = _font_path()
    if path:
        return ImageFont.truetype(path, size=size)
    return ImageFont.load_default(size=size)


def qr_image(data: str, *, box_size: int = 20) -> Image.Image:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4
    )
    code.add_data(data)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break Chinese text (no spaces to break at) into lines that fit `width` pixels."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def poster_png(*, activity: Activity, url: str) -> bytes:
    """An A4 poster (PNG) whose QR code opens `url` (the check-in page with the signed token)."""
    poster = Image.new("RGB", (POSTER_WIDTH, POSTER_HEIGHT), "white")
    draw = ImageDraw.Draw(poster)
    margin, y = 90, 90
    title_font, body_font, small_font = _font(64), _font(40), _font(32)
    draw.text((margin, y), _("扫码签到"), font=title_font, fill="#c8161d")
    y += 110
    for line in _wrap(draw, activity.title, body_font, POSTER_WIDTH - 2 * margin)[:3]:
        draw.text((margin, y), line, font=body_font, fill="black")
        y += 56
    when = date_format(timezone.localtime(activity.starts_at), "Y年n月j日 H:i")
    details = [
        _("时间：%(t)s") % {"t": when},
        _("地点：%(p)s") % {"p": activity.place or "—"},
        _("主办：%(u)s") % {"u": activity.union.name},
    ]
    y += 10
    for line in details:
        draw.text((margin, y), line, font=small_font, fill="#333333")
        y += 46
    code = qr_image(url)
    side = min(POSTER_WIDTH - 2 * margin, POSTER_HEIGHT - y - 260)
    code = code.resize((side, side), Image.Resampling.NEAREST)
    poster.paste(code, ((POSTER_WIDTH - side) // 2, y + 40))
    y += side + 80
    note = _("请用手机扫描二维码签到，每人每场只记一次。签到码在活动结束后失效。")
    for line in _wrap(draw, note, small_font, POSTER_WIDTH - 2 * margin):
        draw.text((margin, y), line, font=small_font, fill="#333333")
        y += 46
    buffer = io.BytesIO()
    poster.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
